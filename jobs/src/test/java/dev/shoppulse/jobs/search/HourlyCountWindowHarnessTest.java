package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job's own keyed hourly count (taken from {@link TopSearchesJob#hourlyCounts}): incremental
 * counts per hour, final and late firings, provisional firings, state gone after the lateness, one
 * timer per product and hour, and counts and timers carried through a restore.
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
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        assertThat(harness.numKeyedStateEntries()).isZero();
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
    void anHourHoldsOneTimerPerProductHoweverManyPartialsArrive() throws Exception {
        partial("a", at(0), 1);
        partial("a", at(0), 1);
        partial("a", at(0), 1);
        partial("b", at(0), 1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        // The end's timer fires the final totals and is replaced by one clean-up timer each.
        harness.processWatermark(at(HOUR - 1));
        assertThat(harness.extractOutputValues())
                .containsExactlyInAnyOrder(count("a", at(0), 3), count("b", at(0), 1));
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        partial("a", at(0), 1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void aProductsFirstPartialArrivingLateFiresAtOnceAndIsCleanedUp() throws Exception {
        partial("a", at(0), 2);
        harness.processWatermark(at(HOUR + MIN));
        partial("b", at(0), 4);
        assertThat(harness.extractOutputValues())
                .containsExactly(count("a", at(0), 2), count("b", at(0), 4));
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aPartialForAnHourPastItsLatenessIsDropped() throws Exception {
        harness.processWatermark(at(HOUR + 10 * MIN - 1));
        partial("a", at(0), 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
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
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
