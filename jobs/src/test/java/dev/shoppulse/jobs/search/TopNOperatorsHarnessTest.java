package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The two phases of the top N: per-subtask candidates and the hourly merge. */
class TopNOperatorsHarnessTest {

    private static OneInputStreamOperatorTestHarness<ProductHourCount, HourRanking> merge(int n)
            throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new HourlyTopN(SearchFixtures.settings(n)));
        h.setProcessingTime(0);
        return h;
    }

    private static HourRanking ranking(long start, boolean provisional, Object... idCount) {
        String[] ids = new String[idCount.length / 2];
        long[] counts = new long[idCount.length / 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (String) idCount[2 * i];
            counts[i] = ((Number) idCount[2 * i + 1]).longValue();
        }
        return new HourRanking(start, start + HOUR, provisional, ids, counts);
    }

    @Test
    void finalRankingWhenTheHourClosesWithTiesBrokenByProductId() throws Exception {
        try (var h = merge(3)) {
            h.open();
            h.processElement(count("d", at(0), 4), at(HOUR - 1));
            h.processElement(count("c", at(0), 9), at(HOUR - 1));
            h.processElement(count("b", at(0), 4), at(HOUR - 1));
            h.processElement(count("a", at(0), 1), at(HOUR - 1));
            h.processElement(count("e", at(0), 4), at(HOUR - 1));
            h.processWatermark(at(HOUR - 2));
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(at(HOUR - 1));
            assertThat(h.extractOutputValues())
                    .containsExactly(ranking(at(0), false, "c", 9, "b", 4, "d", 4));
        }
    }

    @Test
    void fewerProductsThanNAndEmptyHours() throws Exception {
        try (var h = merge(10)) {
            h.open();
            h.processElement(count("x", at(0), 2), at(HOUR - 1));
            h.processElement(count("y", at(3 * HOUR), 1), at(4 * HOUR - 1));
            h.processWatermark(at(5 * HOUR));
            // Hours 11:00 and 12:00 had no searches: no ranking at all for them.
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            ranking(at(0), false, "x", 2), ranking(at(3 * HOUR), false, "y", 1));
        }
    }

    @Test
    void aLateCountWithinTheLatenessCorrectsThePublishedHour() throws Exception {
        try (var h = merge(2)) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processElement(count("b", at(0), 4), at(HOUR - 1));
            h.processElement(count("c", at(0), 3), at(HOUR - 1));
            h.processWatermark(at(HOUR + MIN));
            h.processElement(count("c", at(0), 6), at(HOUR - 1)); // late search for c
            h.processElement(count("b", at(0), 4), at(HOUR - 1)); // nothing new
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            ranking(at(0), false, "a", 5, "b", 4),
                            ranking(at(0), false, "c", 6, "a", 5));
        }
    }

    @Test
    void tooLateCountsAreIgnoredAndTheHourIsForgotten() throws Exception {
        try (var h = merge(2)) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processWatermark(at(HOUR + 10 * MIN - 1));
            assertThat(((HourlyTopN) h.getOperator()).windowsHeld()).isZero();
            h.processElement(count("z", at(0), 99), at(HOUR - 1));
            h.processWatermark(at(2 * HOUR));
            assertThat(h.extractOutputValues()).containsExactly(ranking(at(0), false, "a", 5));
            assertThat(((HourlyTopN) h.getOperator()).windowsHeld()).isZero();
        }
    }

    @Test
    void provisionalRankingOfTheOpenHourEveryIntervalWhenItChanged() throws Exception {
        try (var h = merge(2)) {
            h.open();
            h.processElement(count("a", at(0), 1), at(HOUR - 1));
            h.setProcessingTime(MIN);
            h.setProcessingTime(2 * MIN); // unchanged: nothing new
            h.processElement(count("b", at(0), 3), at(HOUR - 1));
            h.setProcessingTime(3 * MIN);
            h.processWatermark(at(HOUR - 1));
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            ranking(at(0), true, "a", 1),
                            ranking(at(0), true, "b", 3, "a", 1),
                            ranking(at(0), false, "b", 3, "a", 1));
        }
    }

    @Test
    void aRestoredMergeRanksTheSameAsBeforeTheFailure() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = merge(2)) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processElement(count("b", at(0), 7), at(HOUR - 1));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = merge(2)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(count("c", at(0), 6), at(HOUR - 1));
            h.processWatermark(at(HOUR));
            assertThat(h.extractOutputValues())
                    .containsExactly(ranking(at(0), false, "b", 7, "c", 6));
        }
    }

    @Test
    void localPhaseForwardsOnlyCountsThatChangeItsTopN() throws Exception {
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new LocalTopN(SearchFixtures.settings(2)))) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processElement(count("b", at(0), 4), at(HOUR - 1));
            h.processElement(count("c", at(0), 1), at(HOUR - 1)); // not in the top 2
            h.processElement(count("a", at(0), 5), at(HOUR - 1)); // same count again
            h.processElement(count("c", at(0), 8), at(HOUR - 1));
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            count("a", at(0), 5), count("b", at(0), 4), count("c", at(0), 8));
            h.processWatermark(at(HOUR + 10 * MIN));
            assertThat(((LocalTopN) h.getOperator()).windowsHeld()).isZero();
            // Expiring an hour emits nothing; the watermark itself goes on downstream.
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            count("a", at(0), 5), count("b", at(0), 4), count("c", at(0), 8));
            assertThat(List.copyOf(h.getOutput()))
                    .hasSize(4)
                    .last()
                    .isEqualTo(new Watermark(at(HOUR + 10 * MIN)));
        }
    }
}
