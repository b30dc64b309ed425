package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static dev.shoppulse.jobs.search.SearchFixtures.search;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** What the pre-aggregation emits when, and what it remembers: flushed counts go, once. */
class PreAggregateFlushTest {

    private static OneInputStreamOperatorTestHarness<SourcedSearchEvent, ProductHourCount> harness(
            SearchSettings settings, int maxEntries) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new PreAggregate(settings, maxEntries));
        h.setProcessingTime(0);
        return h;
    }

    private static void send(
            OneInputStreamOperatorTestHarness<SourcedSearchEvent, ProductHourCount> h,
            String product,
            long ts)
            throws Exception {
        h.processElement(SourcedSearchEvent.unsourced(search(product, ts)), ts);
    }

    @Test
    void aFlushedHourIsEmittedOnceAndFreesItsEntries() throws Exception {
        try (var h = harness(SearchFixtures.settings(3), 3)) {
            h.open();
            send(h, "a", at(0));
            send(h, "b", at(0));
            h.processWatermark(at(HOUR - 1));
            h.processWatermark(at(HOUR + MIN));
            assertThat(h.extractOutputValues())
                    .containsExactlyInAnyOrder(count("a", at(0), 1), count("b", at(0), 1));
            // Two entries were freed: two more do not fill the bundle of three.
            send(h, "c", at(HOUR));
            send(h, "d", at(HOUR));
            assertThat(h.extractOutputValues()).hasSize(2);
            send(h, "e", at(HOUR));
            assertThat(h.extractOutputValues()).hasSize(5);
        }
    }

    @Test
    void everyTickFlushesNotOnlyTheFirst() throws Exception {
        try (var h = harness(SearchFixtures.settings(3), 1000)) {
            h.open();
            send(h, "a", at(0));
            h.setProcessingTime(MIN);
            send(h, "a", at(1));
            h.setProcessingTime(2 * MIN);
            assertThat(h.extractOutputValues())
                    .containsExactly(count("a", at(0), 1), count("a", at(0), 1));
        }
    }

    @Test
    void withoutAProvisionalIntervalOnlyWatermarksAndTheEndFlush() throws Exception {
        try (var h = harness(SearchFixtures.settings(3, Duration.ZERO), 1000)) {
            h.open();
            send(h, "a", at(0));
            send(h, "b", at(HOUR));
            h.setProcessingTime(HOUR);
            assertThat(h.extractOutputValues()).isEmpty();
            ((PreAggregate) h.getOperator()).endInput();
            assertThat(h.extractOutputValues())
                    .containsExactlyInAnyOrder(count("a", at(0), 1), count("b", at(HOUR), 1));
        }
    }

    @Test
    void theRecordTimestampDecidesTheHourNotTheEventTime() throws Exception {
        try (var h = harness(SearchFixtures.settings(3), 1000)) {
            h.open();
            // Occurred at 10:05 by the event, stamped 11:05 by the source.
            h.processElement(
                    new StreamRecord<>(
                            SourcedSearchEvent.unsourced(search("a", at(5 * MIN))),
                            at(HOUR + 5 * MIN)));
            // Without a record timestamp the event's own time counts.
            h.processElement(
                    new StreamRecord<>(SourcedSearchEvent.unsourced(search("b", at(5 * MIN)))));
            h.setProcessingTime(MIN);
            assertThat(h.extractOutputValues())
                    .containsExactlyInAnyOrder(count("a", at(HOUR), 1), count("b", at(0), 1));
        }
    }

    @Test
    void aRestoredPreAggregationKeepsItsWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(SearchFixtures.settings(3), 1000)) {
            h.open();
            h.processWatermark(at(HOUR + 10 * MIN - 1)); // the 10:00 hour's lateness is over
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(SearchFixtures.settings(3), 1000)) {
            h.initializeState(snapshot);
            h.open();
            send(h, "late", at(30 * MIN));
            h.setProcessingTime(MIN);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.getSideOutput(PreAggregate.TOO_LATE))
                    .extracting(r -> r.getValue().event().productId())
                    .containsExactly("late");
        }
    }
}
