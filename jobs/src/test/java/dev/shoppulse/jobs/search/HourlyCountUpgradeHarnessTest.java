package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upgrading from the versions that counted with Flink's window operator under the same uid: the
 * window operator's restored counts carry on in {@link HourlyCount}, its restored timers fire into
 * nothing, and nothing of its state is left once the hours have passed. On RocksDB (timers in
 * RocksDB) and on the heap backend (timers restored from the raw keyed state).
 */
class HourlyCountUpgradeHarnessTest {
    private static final SearchSettings SETTINGS = SearchFixtures.settings(3, Duration.ZERO);

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new),
                Arguments.of("heap", (Supplier<StateBackend>) HashMapStateBackend::new));
    }

    /** The earlier versions' count: a sum accumulator per (product, window). */
    static final class Count implements AggregateFunction<ProductHourCount, Long, Long> {
        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(ProductHourCount partial, Long acc) {
            return acc + partial.count();
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

    @SuppressWarnings("unchecked")
    private static <O> KeyedOneInputStreamOperatorTestHarness<String, ProductHourCount, O> harness(
            OneInputTransformation<ProductHourCount, O> t, StateBackend backend) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        t.getOperatorFactory(), ProductHourCount::productId, Types.STRING);
        h.setStateBackend(backend);
        h.setProcessingTime(0);
        return h;
    }

    /** The window operator exactly as the earlier versions built it: uid, state and timers. */
    @SuppressWarnings("unchecked")
    private static OperatorSubtaskState windowOperatorSnapshot(StateBackend backend)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var windowed =
                env.fromData(count("x", 0, 1))
                        .keyBy(ProductHourCount::productId)
                        .window(TumblingEventTimeWindows.of(SETTINGS.window()))
                        .allowedLateness(SETTINGS.allowedLateness())
                        .aggregate(new Count(), Types.LONG, Types.LONG);
        try (var old =
                harness(
                        (OneInputTransformation<ProductHourCount, Long>)
                                windowed.getTransformation(),
                        backend)) {
            old.open();
            old.processElement(count("a", at(0), 2), at(HOUR - 1));
            old.processElement(count("b", at(HOUR), 1), at(2 * HOUR - 1));
            old.processElement(count("a", at(HOUR), 4), at(2 * HOUR - 1));
            return old.snapshot(1, 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @SuppressWarnings("unchecked")
    void theWindowOperatorsCountsCarryOnAndItsStateAndTimersAreGone(
            String name, Supplier<StateBackend> backend) throws Exception {
        OperatorSubtaskState snapshot = windowOperatorSnapshot(backend.get());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var counted = TopSearchesJob.hourlyCounts(env.fromData(count("x", 0, 1)), SETTINGS);
        try (var now =
                harness(
                        (OneInputTransformation<ProductHourCount, ProductHourCount>)
                                counted.getTransformation(),
                        backend.get())) {
            now.initializeState(snapshot);
            now.open();
            AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) now.getOperator();
            try (var legacy =
                    op.getKeyedStateBackend()
                            .getKeysAndNamespaces(HourlyCount.WINDOW_OPERATOR_STATE)) {
                assertThat(legacy.count()).as("window-operator counts moved at open").isZero();
            }

            now.processElement(count("a", at(0), 3), at(HOUR - 1));
            now.processWatermark(at(HOUR - 1));
            assertThat(now.extractOutputValues()).containsExactly(count("a", at(0), 5));

            now.processWatermark(at(2 * HOUR + 10 * MIN - 1));
            assertThat(now.extractOutputValues())
                    .containsExactlyInAnyOrder(
                            count("a", at(0), 5), count("a", at(HOUR), 4), count("b", at(HOUR), 1));
            assertThat(now.numEventTimeTimers()).as("restored window timers consumed").isZero();
            try (var held = op.getKeyedStateBackend().getKeysAndNamespaces(HourlyCount.STATE)) {
                assertThat(held.count()).isZero();
            }
        }
    }
}
