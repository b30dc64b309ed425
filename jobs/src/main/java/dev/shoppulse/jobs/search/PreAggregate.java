package dev.shoppulse.jobs.search;

import dev.shoppulse.common.events.SearchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Counts searches per (hour, product) in memory before the shuffle and emits partial counts, so the
 * keyed window touches its state once per product per flush instead of once per search.
 *
 * <p>Bundled counts are flushed before a watermark that closes an hour moves on, on every
 * provisional tick and when {@code maxEntries} distinct pairs are held; what is held at a
 * checkpoint is checkpointed. Searches too late even for the allowed lateness go to {@link
 * #TOO_LATE} here, while their identity and Kafka position are still known: the partial counts and
 * the keyed windows hold no positions, and the windows never see a count this step let through as
 * too late (their watermark, the minimum over every pre-aggregation, is never ahead of this one's).
 */
public final class PreAggregate extends AbstractStreamOperator<ProductHourCount>
        implements OneInputStreamOperator<SourcedSearchEvent, ProductHourCount>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Searches later than the allowed lateness, with their Kafka position for the dead letter. */
    public static final OutputTag<SourcedSearchEvent> TOO_LATE =
            new OutputTag<>("too-late-searches") {};

    private final SearchSettings settings;
    private final int maxEntries;
    private transient Map<Long, Map<String, long[]>> bundle;
    private transient int entries;
    private transient WatermarkState watermark;
    private transient ListState<ProductHourCount> held;
    private transient Counter tooLate;
    private transient Counter unresolved;

    public PreAggregate(SearchSettings settings, int maxEntries) {
        this.settings = settings;
        this.maxEntries = maxEntries;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        watermark = new WatermarkState();
        watermark.initialize(ctx, "pre-aggregate-watermark");
        held =
                ctx.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "pre-aggregate-bundle",
                                        TypeInformation.of(ProductHourCount.class)));
        bundle = new HashMap<>();
        if (ctx.isRestored()) {
            for (ProductHourCount c : held.get()) {
                add(c.windowStart(), c.productId(), c.count());
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        super.snapshotState(ctx);
        watermark.snapshot();
        List<ProductHourCount> all = new ArrayList<>(entries);
        for (Map.Entry<Long, Map<String, long[]>> w : bundle.entrySet()) {
            long start = w.getKey();
            for (Map.Entry<String, long[]> p : w.getValue().entrySet()) {
                all.add(
                        new ProductHourCount(
                                p.getKey(), start, start + settings.windowMs(), p.getValue()[0]));
            }
        }
        held.update(all);
    }

    @Override
    public void open() throws Exception {
        super.open();
        scheduleTick();
        tooLate = getMetricGroup().addGroup("search").counter("tooLate");
        unresolved = getMetricGroup().addGroup("search").counter("unresolved");
    }

    @Override
    public void processElement(StreamRecord<SourcedSearchEvent> record) {
        SearchEvent e = record.getValue().event();
        if (e.productId() == null) {
            // Nothing to rank: the search resolved to no product.
            unresolved.inc();
            return;
        }
        long ts = record.hasTimestamp() ? record.getTimestamp() : e.occurredAt().toEpochMilli();
        long start = settings.windowStart(ts);
        if (settings.tooLate(start + settings.windowMs(), watermark.get())) {
            tooLate.inc();
            output.collect(TOO_LATE, record);
            return;
        }
        add(start, e.productId(), 1);
    }

    private void add(long windowStart, String productId, long n) {
        long[] c = bundle.computeIfAbsent(windowStart, k -> new HashMap<>()).get(productId);
        if (c == null) {
            bundle.get(windowStart).put(productId, new long[] {n});
            if (++entries >= maxEntries) {
                flush(Long.MAX_VALUE);
            }
        } else {
            c[0] += n;
        }
    }

    /** Every provisional interval, on the clock's multiples: the open hours' counts move on. */
    private void scheduleTick() {
        long interval = settings.provisionalInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        (Math.floorDiv(now, interval) + 1) * interval,
                        t -> {
                            flush(Long.MAX_VALUE);
                            scheduleTick();
                        });
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // Partial counts of an hour must reach the window before the watermark that closes it.
        flush(watermark.advance(mark.getTimestamp()));
        super.processWatermark(mark);
    }

    @Override
    public void endInput() {
        flush(Long.MAX_VALUE);
    }

    /** Emits every bundled window whose last millisecond is at or before {@code upTo}. */
    private void flush(long upTo) {
        Iterator<Map.Entry<Long, Map<String, long[]>>> it = bundle.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<String, long[]>> w = it.next();
            long start = w.getKey();
            long end = start + settings.windowMs();
            if (upTo != Long.MAX_VALUE && end - 1 > upTo) {
                continue;
            }
            for (Map.Entry<String, long[]> p : w.getValue().entrySet()) {
                output.collect(
                        new StreamRecord<>(
                                new ProductHourCount(p.getKey(), start, end, p.getValue()[0]),
                                end - 1));
            }
            entries -= w.getValue().size();
            it.remove();
        }
    }
}
