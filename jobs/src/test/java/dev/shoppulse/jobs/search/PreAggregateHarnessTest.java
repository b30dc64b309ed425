package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static dev.shoppulse.jobs.search.SearchFixtures.search;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.SearchEvent;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pre-aggregation before the shuffle: hour boundaries, flushing, and too-late searches. */
class PreAggregateHarnessTest {
    private OneInputStreamOperatorTestHarness<SourcedSearchEvent, ProductHourCount> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    private static OneInputStreamOperatorTestHarness<SourcedSearchEvent, ProductHourCount>
            newHarness() throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new PreAggregate(SearchFixtures.settings(3), 1000));
        h.setProcessingTime(0);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(String product, long ts) throws Exception {
        harness.processElement(sourced(search(product, ts)), ts);
    }

    /** A search as the parse step passes it on; its offset is its timestamp, for the asserts. */
    private static SourcedSearchEvent sourced(SearchEvent e) {
        return new SourcedSearchEvent(e, "searches", 1, e.occurredAt().toEpochMilli());
    }

    private List<ProductHourCount> counts() {
        return harness.extractOutputValues();
    }

    @Test
    void countsPerHourSplitAtTheBoundaryAndFlushBeforeTheClosingWatermark() throws Exception {
        send("a", at(HOUR - 1)); // last millisecond of 10:00-11:00
        send("a", at(HOUR - 2));
        send("a", at(HOUR)); // first millisecond of 11:00-12:00
        send("b", at(5 * MIN));
        assertThat(counts()).isEmpty();

        harness.processWatermark(at(HOUR - 1));
        List<Object> out = List.copyOf(harness.getOutput());
        // Partial counts of the closed hour come before the watermark that closes it.
        assertThat(out.get(out.size() - 1)).isInstanceOf(Watermark.class);
        assertThat(counts()).containsExactlyInAnyOrder(count("a", at(0), 2), count("b", at(0), 1));
        assertThat(harness.extractOutputStreamRecords())
                .allMatch(r -> r.getTimestamp() == at(HOUR - 1));

        harness.setProcessingTime(MIN); // the provisional tick flushes
        assertThat(counts()).contains(count("a", at(HOUR), 1));
    }

    @Test
    void tooLateSearchesGoToTheSideOutputAndTheMetric() throws Exception {
        harness.processWatermark(at(HOUR + 10 * MIN - 1)); // 10:00 hour: lateness just over
        send("late", at(30 * MIN));
        send("ok", at(HOUR + 5 * MIN));
        harness.setProcessingTime(MIN); // the provisional tick flushes
        assertThat(harness.getSideOutput(PreAggregate.TOO_LATE))
                .extracting(r -> r.getValue().event().productId())
                .containsExactly("late");
        // Too late is decided before counting, so the dead letter can still cite the search.
        assertThat(harness.getSideOutput(PreAggregate.TOO_LATE))
                .extracting(r -> r.getValue().partition() + "@" + r.getValue().offset())
                .containsExactly("1@" + at(30 * MIN));
        assertThat(counts()).containsExactly(count("ok", at(HOUR), 1));
    }

    @Test
    void aSearchStillWithinTheLatenessIsCounted() throws Exception {
        harness.processWatermark(at(HOUR + 10 * MIN - 2));
        send("late-but-ok", at(30 * MIN));
        harness.setProcessingTime(MIN); // the provisional tick flushes
        assertThat(counts()).containsExactly(count("late-but-ok", at(0), 1));
        assertThat(harness.getSideOutput(PreAggregate.TOO_LATE)).isNullOrEmpty();
    }

    @Test
    void searchesWithoutAProductAreNotRanked() throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        SourcedSearchEvent.unsourced(
                                new SearchEvent(
                                        "e1",
                                        null,
                                        "s1",
                                        "socks",
                                        null,
                                        Instant.ofEpochMilli(at(0)))),
                        at(0)));
        harness.setProcessingTime(MIN); // the provisional tick flushes
        assertThat(counts()).isEmpty();
    }

    @Test
    void countsHeldAtACheckpointSurviveARestore() throws Exception {
        send("a", at(0));
        send("a", at(1));
        var snapshot = harness.snapshot(1, 1);
        assertThat(counts()).isEmpty();
        try (var restored = newHarness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(sourced(search("a", at(2))), at(2));
            restored.setProcessingTime(MIN);
            assertThat(restored.extractOutputValues()).containsExactly(count("a", at(0), 3));
        }
    }

    @Test
    void aFullBundleFlushesWithoutWaiting() throws Exception {
        for (int i = 0; i < 1000; i++) {
            send("p" + i, at(i));
        }
        assertThat(counts()).hasSize(1000);
        assertThat(counts().stream().collect(Collectors.summingLong(ProductHourCount::count)))
                .isEqualTo(1000);
    }
}
