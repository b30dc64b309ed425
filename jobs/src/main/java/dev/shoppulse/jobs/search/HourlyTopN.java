package dev.shoppulse.jobs.search;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Phase two of the top N, run with parallelism 1: merges every subtask's candidates into the exact
 * top N per hour and emits {@link HourRanking}s.
 *
 * <ul>
 *   <li>final: when the watermark passes the end of the hour;
 *   <li>corrected final: at once, when a late search within the allowed lateness changes a closed
 *       hour's top N;
 *   <li>provisional: every {@code provisional-interval} of processing time, for open hours whose
 *       top N changed.
 * </ul>
 *
 * An hour is forgotten once its allowed lateness has passed; an hour without searches has no
 * ranking at all.
 */
public final class HourlyTopN extends AbstractStreamOperator<HourRanking>
        implements OneInputStreamOperator<ProductHourCount, HourRanking> {
    private static final long serialVersionUID = 1L;

    private final SearchSettings settings;
    private transient WindowTops tops;
    private transient WatermarkState checkpointedWatermark;
    private transient long watermark;
    private transient Set<Long> finalized;
    private transient Set<Long> dirty;
    private transient Counter finals;
    private transient Counter corrections;
    private transient Counter provisionals;

    public HourlyTopN(SearchSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        tops = new WindowTops(settings.topN(), settings.windowMs());
        tops.initialize(ctx, "hourly-top-n");
        checkpointedWatermark = new WatermarkState();
        checkpointedWatermark.initialize(ctx, "hourly-top-n-watermark");
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = checkpointedWatermark.get();
        // Hours closed before a restore were published then; a correction republishes them.
        finalized = new HashSet<>();
        for (long start : tops.all().keySet()) {
            if (closed(start)) {
                finalized.add(start);
            }
        }
        dirty = new TreeSet<>(tops.all().keySet());
        var group = getMetricGroup().addGroup("search");
        finals = group.counter("finalPublished");
        corrections = group.counter("correctionsPublished");
        provisionals = group.counter("provisionalPublished");
        scheduleProvisional();
    }

    private void scheduleProvisional() {
        long interval = settings.provisionalInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        long next = (Math.floorDiv(now, interval) + 1) * interval;
        getProcessingTimeService()
                .registerTimer(
                        next,
                        t -> {
                            publishProvisional();
                            scheduleProvisional();
                        });
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        super.snapshotState(ctx);
        tops.snapshot();
        checkpointedWatermark.snapshot();
    }

    @Override
    public void processElement(StreamRecord<ProductHourCount> record) {
        ProductHourCount c = record.getValue();
        if (settings.tooLate(c.windowEnd(), watermark) || !tops.offer(c)) {
            return;
        }
        if (closed(c.windowStart())) {
            if (finalized.contains(c.windowStart())) {
                corrections.inc();
            }
            emitFinal(c.windowStart());
        } else {
            dirty.add(c.windowStart());
        }
    }

    private boolean closed(long windowStart) {
        return windowStart + settings.windowMs() - 1 <= watermark;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = checkpointedWatermark.advance(mark.getTimestamp());
        for (Map.Entry<Long, TopN> w : tops.all().entrySet()) {
            long start = w.getKey();
            if (!closed(start)) {
                break;
            }
            if (!finalized.contains(start)) {
                emitFinal(start);
            }
        }
        tops.expire(watermark, settings.latenessMs());
        finalized.removeIf(s -> tops.get(s) == null);
        dirty.removeIf(s -> tops.get(s) == null || closed(s));
        super.processWatermark(mark);
    }

    private void emitFinal(long start) {
        TopN top = tops.get(start);
        if (finalized.add(start)) {
            finals.inc();
        }
        dirty.remove(start);
        output.collect(
                new StreamRecord<>(top.toRanking(start, start + settings.windowMs(), false)));
    }

    private void publishProvisional() {
        for (long start : dirty) {
            TopN top = tops.get(start);
            if (top != null && !closed(start)) {
                provisionals.inc();
                output.collect(
                        new StreamRecord<>(
                                top.toRanking(start, start + settings.windowMs(), true)));
            }
        }
        dirty.clear();
    }

    /** For tests: hours still held. */
    int windowsHeld() {
        return tops.windows();
    }
}
