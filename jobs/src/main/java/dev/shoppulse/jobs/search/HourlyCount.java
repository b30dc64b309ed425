package dev.shoppulse.jobs.search;

import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.internal.InternalValueState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed hourly count per product: one long of keyed state per (product, hour), namespaced by
 * the hour's start, and at most one event-time timer per (product, hour) at a time.
 *
 * <p>Emits, stamped with the hour's last millisecond: the running total after every partial count
 * while the hour is open when provisional rankings are on; the total once when the watermark passes
 * the hour's end (final); the updated total at once for every partial count that arrives after
 * that, within the allowed lateness (correction). State is dropped when the watermark passes the
 * end plus the allowed lateness; partial counts for an hour that is gone are dropped (the
 * pre-aggregation has already dead-lettered the searches behind them).
 *
 * <p>The same firings as Flink's {@code WindowOperator} with an incremental count and a trigger
 * that fires per element, for about a third of its state and timer work: a window operator reads
 * and writes the count, registers two timers (end and clean-up) on every element and reads the
 * count again to fire, so each partial cost five RocksDB operations; here a partial costs one read
 * and one write, and a timer is registered only for an hour's first partial and again, once, for
 * its clean-up.
 */
public final class HourlyCount extends AbstractStreamOperator<ProductHourCount>
        implements OneInputStreamOperator<ProductHourCount, ProductHourCount>,
                Triggerable<String, Long> {
    private static final long serialVersionUID = 1L;

    private final SearchSettings settings;
    private transient InternalValueState<String, Long, Long> counts;
    private transient InternalTimerService<Long> timers;
    private transient StreamRecord<ProductHourCount> reuse;
    private transient Counter dropped;

    public HourlyCount(SearchSettings settings) {
        this.settings = settings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
        super.open();
        counts =
                (InternalValueState<String, Long, Long>)
                        getOrCreateKeyedState(
                                LongSerializer.INSTANCE,
                                new ValueStateDescriptor<>(
                                        "hourly-count", LongSerializer.INSTANCE));
        timers = getInternalTimerService("hourly-count-timers", LongSerializer.INSTANCE, this);
        reuse = new StreamRecord<>(null);
        dropped = getMetricGroup().addGroup("search").counter("droppedLatePartials");
    }

    @Override
    public void processElement(StreamRecord<ProductHourCount> record) throws Exception {
        ProductHourCount partial = record.getValue();
        long start = settings.windowStart(partial.windowStart());
        long last = start + settings.windowMs() - 1;
        long watermark = timers.currentWatermark();
        if (cleanupTime(last) <= watermark) {
            dropped.inc();
            return;
        }
        counts.setCurrentNamespace(start);
        Long before = counts.value();
        long total = (before == null ? 0 : before) + partial.count();
        counts.update(total);
        boolean closed = last <= watermark;
        if (before == null) {
            // An hour still open fires at its end; one already closed (a late partial within
            // the lateness) waits only for its clean-up.
            timers.registerEventTimeTimer(start, closed ? cleanupTime(last) : last);
        }
        if (closed || settings.provisionalInterval().toMillis() > 0) {
            emit(partial.productId(), start, total);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, Long> timer) throws Exception {
        long start = timer.getNamespace();
        long last = start + settings.windowMs() - 1;
        counts.setCurrentNamespace(start);
        if (timer.getTimestamp() == last) {
            Long total = counts.value();
            if (total != null) {
                emit(timer.getKey(), start, total);
            }
        }
        long cleanup = cleanupTime(last);
        if (timer.getTimestamp() >= cleanup) {
            counts.clear();
        } else {
            timers.registerEventTimeTimer(start, cleanup);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, Long> timer) {
        // No processing-time timers: provisional totals go out as partial counts arrive.
    }

    private long cleanupTime(long last) {
        long cleanup = last + settings.latenessMs();
        return cleanup >= last ? cleanup : Long.MAX_VALUE;
    }

    private void emit(String productId, long start, long total) {
        long end = start + settings.windowMs();
        output.collect(reuse.replace(new ProductHourCount(productId, start, end, total), end - 1));
    }
}
