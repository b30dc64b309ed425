package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job's own keyed hourly count (taken from {@link TopSearchesJob#hourlyCounts}): incremental
 * counts per hour, final and late firings, provisional firings, state gone after the lateness, no
 * per-product timers, and counts and open hours carried through a restore.
 */
class HourlyCountWindowHarnessTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ProductHourCount, ProductHourCount>
            harness;

    @BeforeEach
    void open() throws Exception {
        open(SearchFixtures.settings(3, Duration.ZERO));
    }

    private void open(SearchSettings settings) throws Exception {
        open(settings, null);
    }

    @SuppressWarnings("unchecked")
    private void open(SearchSettings settings, OperatorSubtaskState restored) throws Exception {
        if (harness != null) {
            harness.close();
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var windowed = TopSearchesJob.hourlyCounts(env.fromData(count("x", 0, 1)), settings);
        var t =
                (OneInputTransformation<ProductHourCount, ProductHourCount>)
                        windowed.getTransformation();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        t.getOperatorFactory(), ProductHourCount::productId, Types.STRING);
        // The production backend: its key and namespace iteration is what the operator fires with.
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.setProcessingTime(0);
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** (product, hour) counts in keyed state; the harness counts entries only on the heap. */
    private long heldCounts() throws Exception {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) harness.getOperator();
        try (var held = op.getKeyedStateBackend().getKeysAndNamespaces(HourlyCount.STATE)) {
            return held.count();
        }
    }

    /** A partial count, stamped like the pre-aggregation stamps it. */
    private void partial(String product, long windowStart, long n) throws Exception {
        harness.processElement(count(product, windowStart, n), windowStart + HOUR - 1);
    }

    @Test
    void countsEachHourIncrementallyAndFiresWhenTheWatermarkPassesItsEnd() throws Exception {
        partial("a", at(0), 2);
        partial("a", at(0), 3);
        partial("b", at(0), 1);
        partial("a", at(HOUR), 7);
        harness.processWatermark(at(HOUR - 2));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(count("a", at(0), 5), count("b", at(0), 1));
    }

    @Test
    void aLateSearchWithinTheLatenessFiresTheUpdatedTotalAtOnce() throws Exception {
        partial("a", at(0), 2);
        harness.processWatermark(at(HOUR + 5 * MIN));
        partial("a", at(0), 1);
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 2), count("a", at(0), 3));
    }

    @Test
    void stateAndTimersAreGoneOnceTheLatenessHasPassed() throws Exception {
        partial("a", at(0), 2);
        partial("b", at(0), 2);
        assertThat(heldCounts()).isPositive();
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        assertThat(heldCounts()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void withProvisionalRankingsEveryPartialOfAnOpenHourFiresItsRunningTotal() throws Exception {
        open(SearchFixtures.settings(3, Duration.ofMinutes(1)));
        partial("a", at(0), 2);
        partial("b", at(0), 1);
        partial("a", at(0), 1);
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 2), count("b", at(0), 1), count("a", at(0), 3));
        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues()).hasSize(5);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void noTimerIsRegisteredPerProductTheWatermarkEndsEveryProductOfAnHourAtOnce()
            throws Exception {
        partial("a", at(0), 1);
        partial("a", at(0), 1);
        partial("a", at(0), 1);
        partial("b", at(0), 1);
        partial("c", at(HOUR), 1);
        assertThat(harness.numEventTimeTimers()).isZero();

        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(count("a", at(0), 3), count("b", at(0), 1));
        // Fired once: a later watermark within the lateness fires nothing more.
        harness.processWatermark(at(HOUR + MIN));
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aProductsFirstPartialArrivingLateFiresAtOnceAndIsCleanedUp() throws Exception {
        partial("a", at(0), 2);
        harness.processWatermark(at(HOUR + MIN));
        partial("b", at(0), 4);
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 2), count("b", at(0), 4));
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        assertThat(heldCounts()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aPartialForAnHourPastItsLatenessIsDropped() throws Exception {
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        partial("a", at(0), 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(heldCounts()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void countsAndTimersSurviveARestore() throws Exception {
        partial("a", at(0), 2);
        partial("b", at(HOUR), 1);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        open(SearchFixtures.settings(3, Duration.ZERO), snapshot);

        partial("a", at(0), 3);
        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues()).containsExactly(count("a", at(0), 5));
        harness.processWatermark(at(2 * HOUR + 10 * MIN - 1));
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 5), count("b", at(HOUR), 1));
        assertThat(heldCounts()).isZero();
    }

    @Test
    void aRestoredHourThatHadAlreadyFiredFiresTheSameTotalsAgainAndIsStillCleanedUp()
            throws Exception {
        partial("a", at(0), 2);
        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues()).containsExactly(count("a", at(0), 2));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        open(SearchFixtures.settings(3, Duration.ZERO), snapshot);

        // The watermark is not checkpointed: the first one after the restore fires the hour again.
        harness.processWatermark(at(HOUR + MIN));
        assertThat(harness.extractOutputValues()).containsExactly(count("a", at(0), 2));
        partial("a", at(0), 1);
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 2), count("a", at(0), 3));
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        assertThat(heldCounts()).isZero();
    }
}
