package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The local phase keeps each hour's top N until its lateness passes, and through a restore. */
class LocalTopNTest {

    private static OneInputStreamOperatorTestHarness<ProductHourCount, ProductHourCount> local()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new LocalTopN(SearchFixtures.settings(2)));
    }

    private static int held(OneInputStreamOperatorTestHarness<?, ?> h) {
        return ((LocalTopN) h.getOperator()).windowsHeld();
    }

    @Test
    void eachHourIsHeldUntilItsLatenessHasPassed() throws Exception {
        try (var h = local()) {
            h.open();
            h.processElement(count("a", at(0), 1), at(HOUR - 1));
            h.processElement(count("a", at(HOUR), 1), at(2 * HOUR - 1));
            assertThat(held(h)).isEqualTo(2);
            h.processWatermark(at(HOUR + 10 * MIN - 2)); // 10:00 hour: still within the lateness
            assertThat(held(h)).isEqualTo(2);
            h.processWatermark(at(HOUR + 10 * MIN - 1));
            assertThat(held(h)).isEqualTo(1);
        }
    }

    @Test
    void aRestoredLocalPhaseStillKnowsItsTopN() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = local()) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processElement(count("b", at(0), 4), at(HOUR - 1));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = local()) {
            h.initializeState(snapshot);
            h.open();
            assertThat(held(h)).isEqualTo(1);
            h.processElement(count("c", at(0), 3), at(HOUR - 1)); // below a and b: not forwarded
            h.processElement(count("b", at(0), 4), at(HOUR - 1)); // known already
            h.processElement(count("c", at(0), 6), at(HOUR - 1));
            assertThat(h.extractOutputValues()).containsExactly(count("c", at(0), 6));
        }
    }
}
