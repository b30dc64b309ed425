package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The merge's bookkeeping: each hour final once, provisionals of open hours, restored watermark.
 */
class HourlyTopNHarnessTest {

    private static OneInputStreamOperatorTestHarness<ProductHourCount, HourRanking> merge(
            SearchSettings settings) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new HourlyTopN(settings));
        h.setProcessingTime(0);
        return h;
    }

    private static OneInputStreamOperatorTestHarness<ProductHourCount, HourRanking> merge()
            throws Exception {
        return merge(SearchFixtures.settings(2));
    }

    private static int held(OneInputStreamOperatorTestHarness<?, ?> h) {
        return ((HourlyTopN) h.getOperator()).windowsHeld();
    }

    private static HourRanking ranking(long start, boolean provisional, String id, long n) {
        return new HourRanking(start, start + HOUR, provisional, new String[] {id}, new long[] {n});
    }

    @Test
    void aClosedHourIsFinalOnceHoweverManyWatermarksFollow() throws Exception {
        try (var h = merge()) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processWatermark(at(HOUR - 1));
            h.processWatermark(at(HOUR + MIN));
            h.processWatermark(at(HOUR + 2 * MIN));
            assertThat(held(h)).isEqualTo(1);
            assertThat(h.extractOutputValues()).containsExactly(ranking(at(0), false, "a", 5));
        }
    }

    @Test
    void watermarksGoOnDownstream() throws Exception {
        try (var h = merge()) {
            h.open();
            h.processWatermark(at(MIN));
            assertThat(List.copyOf(h.getOutput())).containsExactly(new Watermark(at(MIN)));
        }
    }

    @Test
    void anOpenHourStaysProvisionalAcrossWatermarksThatDoNotCloseIt() throws Exception {
        try (var h = merge()) {
            h.open();
            h.processElement(count("a", at(0), 1), at(HOUR - 1));
            h.processWatermark(at(30 * MIN));
            h.setProcessingTime(MIN);
            assertThat(h.extractOutputValues()).containsExactly(ranking(at(0), true, "a", 1));
        }
    }

    @Test
    void noProvisionalRankingsWhenTheIntervalIsZero() throws Exception {
        try (var h = merge(SearchFixtures.settings(2, Duration.ZERO))) {
            h.open();
            h.processElement(count("a", at(0), 1), at(HOUR - 1));
            h.setProcessingTime(MIN);
            h.setProcessingTime(HOUR);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(at(HOUR - 1));
            assertThat(h.extractOutputValues()).containsExactly(ranking(at(0), false, "a", 1));
        }
    }

    @Test
    void aRestoredMergeKeepsItsWatermarkSoAForgottenHourStaysClosed() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = merge()) {
            h.open();
            h.processElement(count("a", at(0), 5), at(HOUR - 1));
            h.processWatermark(at(HOUR + 10 * MIN)); // final, then forgotten
            assertThat(held(h)).isZero();
            snapshot = h.snapshot(1, 1);
        }
        try (var h = merge()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(count("z", at(0), 99), at(HOUR - 1)); // too late
            h.setProcessingTime(MIN);
            h.processWatermark(at(HOUR + 11 * MIN));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(held(h)).isZero();
        }
    }
}
