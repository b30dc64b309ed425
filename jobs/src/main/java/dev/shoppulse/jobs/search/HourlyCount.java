package dev.shoppulse.jobs.search;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.internal.InternalAggregatingState;
import org.apache.flink.runtime.state.internal.InternalValueState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed hourly count per product: one long of keyed state per (product, hour), namespaced by
 * the hour's start, and no per-key timers.
 *
 * <p>Emits, stamped with the hour's last millisecond: the running total after every partial count
 * while the hour is open when provisional rankings are on; the total once when the watermark passes
 * the hour's end (final); the updated total at once for every partial count that arrives after
 * that, within the allowed lateness (correction). State is dropped when the watermark passes the
 * end plus the allowed lateness; partial counts for an hour that is gone are dropped (the
 * pre-aggregation has already dead-lettered the searches behind them).
 *
 * <p>The same firings as Flink's {@code WindowOperator} with an incremental count and a trigger
 * that fires per element, for a fraction of its state work. A window operator reads and writes the
 * count, registers two timers (end and clean-up) in RocksDB for every partial and reads the count
 * again to fire, and at the end polls every (product, hour) timer back out of RocksDB. Every hour
 * here ends for all its products at once, so the operator keeps the few hours it holds in memory
 * and, when the watermark passes an hour's end or its clean-up time, walks that hour's keys in the
 * state backend: a partial costs one read and one write, an hour's end one read per product.
 *
 * <p>The hours held are not checkpointed: they are read back from the keyed state on restore, so
 * they follow the key groups when the job is rescaled. A restored subtask does not know which of
 * its closed hours had already fired, so it fires them again at the first watermark: the same
 * totals, which the local top N ignores (a count only enters it by growing).
 *
 * <p>Earlier versions counted with Flink's window operator under the same uid; a savepoint of
 * theirs is adopted at open (its counts moved into this operator's state, its timers consumed), so
 * an upgrade loses no open hour. Walks over an hour's keys take them in passes of {@link
 * #KEYS_PER_PASS} where the state changes, so no walk holds every product of an hour at once.
 */
public final class HourlyCount extends AbstractStreamOperator<ProductHourCount>
        implements OneInputStreamOperator<ProductHourCount, ProductHourCount> {
    private static final long serialVersionUID = 1L;

    static final String STATE = "hourly-count";

    /**
     * The state and timer service names of Flink's window operator, which held these counts under
     * the same uid in earlier versions (an incremental sum per (product, window)).
     */
    static final String WINDOW_OPERATOR_STATE = "window-contents";

    static final String WINDOW_OPERATOR_TIMERS = "window-timers";

    /**
     * Keys taken from the state backend per pass when an hour's keys are walked: the walk's memory
     * is bounded by this, not by how many products an hour holds.
     */
    static final int KEYS_PER_PASS = 4096;

    private final SearchSettings settings;
    private transient InternalValueState<String, Long, Long> counts;

    /** Start of every hour with state on this subtask → whether its final firing is done. */
    private transient TreeMap<Long, Boolean> hours;

    private transient long watermark;
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
                                new ValueStateDescriptor<>(STATE, LongSerializer.INSTANCE));
        adoptWindowOperatorState();
        hours = new TreeMap<>();
        try (Stream<Tuple2<String, Long>> held =
                this.<String>getKeyedStateBackend().<Long>getKeysAndNamespaces(STATE)) {
            held.forEach(k -> hours.put(k.f1, false));
        }
        watermark = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        dropped = getMetricGroup().addGroup("search").counter("droppedLatePartials");
    }

    @Override
    public void processElement(StreamRecord<ProductHourCount> record) throws Exception {
        ProductHourCount partial = record.getValue();
        long start = settings.windowStart(partial.windowStart());
        long last = start + settings.windowMs() - 1;
        if (cleanupTime(last) <= watermark) {
            dropped.inc();
            return;
        }
        counts.setCurrentNamespace(start);
        Long before = counts.value();
        long total = (before == null ? 0 : before) + partial.count();
        counts.update(total);
        // An hour first seen after its end (a late partial within the lateness) fires here, at
        // once, and waits only for its clean-up.
        boolean closed = last <= watermark;
        hours.putIfAbsent(start, closed);
        if (closed || settings.provisionalInterval().toMillis() > 0) {
            emit(partial.productId(), start, total);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        Iterator<Map.Entry<Long, Boolean>> it = hours.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Boolean> hour = it.next();
            long start = hour.getKey();
            long last = start + settings.windowMs() - 1;
            if (last > watermark) {
                break; // later hours end later
            }
            if (!hour.getValue()) {
                fire(start);
                hour.setValue(true);
            }
            if (cleanupTime(last) <= watermark) {
                // Cleared keys leave the backend's key set, so each pass takes the next ones.
                for (List<String> keys = keys(start); !keys.isEmpty(); keys = keys(start)) {
                    for (String key : keys) {
                        setCurrentKey(key);
                        counts.setCurrentNamespace(start);
                        counts.clear();
                    }
                }
                it.remove();
            }
        }
        super.processWatermark(mark);
    }

    /**
     * The final firing of one hour: every product's total, read while the backend walks the hour's
     * keys (reads do not disturb the walk, as in the backend's own {@code applyToAllKeys}).
     */
    private void fire(long start) throws Exception {
        try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(STATE, start)) {
            for (Iterator<String> it = keys.iterator(); it.hasNext(); ) {
                String key = it.next();
                setCurrentKey(key);
                counts.setCurrentNamespace(start);
                Long total = counts.value();
                if (total != null) {
                    emit(key, start, total);
                }
            }
        }
    }

    /**
     * The next at most {@link #KEYS_PER_PASS} products with a count in this hour, collected before
     * the state is changed.
     */
    private List<String> keys(long start) {
        try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(STATE, start)) {
            return keys.limit(KEYS_PER_PASS).collect(Collectors.toList());
        }
    }

    /**
     * Moves counts restored from a savepoint of the window-operator version into this operator's
     * state, and takes over that operator's timer service so its restored timers are consumed
     * rather than left without a target. Nothing to do on a fresh start or any later restore.
     */
    @SuppressWarnings("unchecked")
    private void adoptWindowOperatorState() throws Exception {
        InternalAggregatingState<String, TimeWindow, Long, Long, Long> windows =
                (InternalAggregatingState<String, TimeWindow, Long, Long, Long>)
                        getOrCreateKeyedState(
                                new TimeWindow.Serializer(),
                                new AggregatingStateDescriptor<>(
                                        WINDOW_OPERATOR_STATE, new Sum(), LongSerializer.INSTANCE));
        getInternalTimerService(WINDOW_OPERATOR_TIMERS, new TimeWindow.Serializer(), new Ignore());
        List<Tuple2<String, TimeWindow>> batch;
        do {
            try (Stream<Tuple2<String, TimeWindow>> held =
                    this.<String>getKeyedStateBackend()
                            .<TimeWindow>getKeysAndNamespaces(WINDOW_OPERATOR_STATE)) {
                batch = held.limit(KEYS_PER_PASS).collect(Collectors.toList());
            }
            for (Tuple2<String, TimeWindow> held : batch) {
                setCurrentKey(held.f0);
                windows.setCurrentNamespace(held.f1);
                Long sum = windows.get();
                windows.clear();
                if (sum != null) {
                    counts.setCurrentNamespace(settings.windowStart(held.f1.getStart()));
                    Long before = counts.value();
                    counts.update(before == null ? sum : before + sum);
                }
            }
        } while (!batch.isEmpty());
    }

    /** The window operator's incremental count, so its restored state can be read. */
    private static final class Sum implements AggregateFunction<Long, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long value, Long acc) {
            return acc + value;
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    /**
     * The window operator's restored end and clean-up timers: its counts now live in this
     * operator's state, which fires and clears them by the watermark, so they fire into nothing.
     */
    private static final class Ignore implements Triggerable<String, TimeWindow> {
        @Override
        public void onEventTime(InternalTimer<String, TimeWindow> timer) {}

        @Override
        public void onProcessingTime(InternalTimer<String, TimeWindow> timer) {}
    }

    private long cleanupTime(long last) {
        long cleanup = last + settings.latenessMs();
        return cleanup >= last ? cleanup : Long.MAX_VALUE;
    }

    private void emit(String productId, long start, long total) {
        long end = start + settings.windowMs();
        output.collect(reuse.replace(new ProductHourCount(productId, start, end, total), end - 1));
    }

    /** For tests: hours held. */
    int hoursHeld() {
        return hours.size();
    }
}
