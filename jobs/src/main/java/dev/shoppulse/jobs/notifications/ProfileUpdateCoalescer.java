package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per user: updates within the quiet window after the first become one {@link Notification} listing
 * every changed field; a security-relevant change (email, password, phone by default) is mailed at
 * once with priority HIGH, taking whatever was pending along with it.
 *
 * <p>The window is fixed from the first update (processing time), not re-armed by each update: a
 * user who keeps editing still hears from us once per window, and the delay stays bounded. The
 * notification id is {@code userId:firstEventId}, so a replay after a restart rebuilds the same id
 * and the provider's idempotency drops the repeat. State and timer are gone once it is emitted.
 */
public final class ProfileUpdateCoalescer
        extends KeyedProcessFunction<String, ProfileUpdated, Notification> {
    private static final long serialVersionUID = 1L;

    private final long quietWindowMs;
    private final Set<String> securityFields;
    private transient ValueState<PendingNotification> pending;
    private transient Counter coalesced;
    private transient Counter urgent;
    private transient Counter emitted;

    public ProfileUpdateCoalescer(NotificationSettings settings) {
        this.quietWindowMs = settings.quietWindow().toMillis();
        this.securityFields = Set.copyOf(settings.securityFields());
    }

    @Override
    public void open(OpenContext ctx) {
        pending =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "pending", TypeInformation.of(PendingNotification.class)));
        var group = getRuntimeContext().getMetricGroup().addGroup("notifications");
        coalesced = group.counter("coalesced");
        urgent = group.counter("urgent");
        emitted = group.counter("emitted");
    }

    @Override
    public void processElement(ProfileUpdated u, Context ctx, Collector<Notification> out)
            throws Exception {
        PendingNotification p = pending.value();
        if (p == null) {
            long at = ctx.timerService().currentProcessingTime() + quietWindowMs;
            p =
                    new PendingNotification(
                            u.eventId(),
                            u.email(),
                            List.copyOf(new TreeSet<>(u.changedFields())),
                            1,
                            u.occurredAt(),
                            at);
        } else {
            p = p.merge(u.email(), u.changedFields());
            coalesced.inc();
        }
        if (u.changedFields().stream().anyMatch(securityFields::contains)) {
            if (p.updates() > 1) {
                ctx.timerService().deleteProcessingTimeTimer(p.timerAt());
            }
            urgent.inc();
            emit(ctx.getCurrentKey(), p, Notification.Priority.HIGH, out);
            return;
        }
        if (p.updates() == 1) {
            ctx.timerService().registerProcessingTimeTimer(p.timerAt());
        }
        pending.update(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Notification> out)
            throws Exception {
        PendingNotification p = pending.value();
        if (p != null && p.timerAt() == timestamp) {
            emit(ctx.getCurrentKey(), p, Notification.Priority.NORMAL, out);
        }
    }

    private void emit(
            String userId,
            PendingNotification p,
            Notification.Priority priority,
            Collector<Notification> out) {
        pending.clear();
        emitted.inc();
        out.collect(
                new Notification(
                        Notification.idFor(userId, p.firstEventId()),
                        userId,
                        p.email(),
                        p.fields(),
                        priority,
                        p.updates(),
                        p.firstOccurredAt()));
    }
}
