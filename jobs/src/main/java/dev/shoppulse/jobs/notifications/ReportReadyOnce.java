package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets one {@code report-ready} email per report through (keyed by the notification id, {@code
 * report:<reportId>}): a replayed event (the report job re-publishing, or a producer retry) would
 * otherwise take a slot of the provider's ceiling, and only the provider's Idempotency-Key would
 * keep it from becoming a second email. A failure between this step and the provider can still
 * replay one; the Idempotency-Key covers that. The flag lives for {@link #TTL} (one boolean per
 * report finished within a day), like the report job's own ready-sent flag.
 */
public final class ReportReadyOnce
        extends KeyedProcessFunction<String, Notification, Notification> {
    private static final long serialVersionUID = 1L;

    static final Duration TTL = Duration.ofDays(1);

    private transient ValueState<Boolean> sent;
    private transient Counter replays;

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("sent", Types.BOOLEAN);
        d.enableTimeToLive(StateTtlConfig.newBuilder(TTL).build());
        sent = getRuntimeContext().getState(d);
        replays =
                getRuntimeContext()
                        .getMetricGroup()
                        .addGroup("notifications")
                        .counter("reportReplays");
    }

    @Override
    public void processElement(Notification n, Context ctx, Collector<Notification> out)
            throws Exception {
        if (sent.value() != null) {
            replays.inc();
            return;
        }
        sent.update(true);
        out.collect(n);
    }
}
