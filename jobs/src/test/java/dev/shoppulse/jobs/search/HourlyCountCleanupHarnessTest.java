package dev.shoppulse.jobs.search;

import static dev.shoppulse.jobs.search.SearchFixtures.HOUR;
import static dev.shoppulse.jobs.search.SearchFixtures.MIN;
import static dev.shoppulse.jobs.search.SearchFixtures.at;
import static dev.shoppulse.jobs.search.SearchFixtures.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The hourly count's clean-up: exactly at the lateness, per hour, and with no lateness at all. */
class HourlyCountCleanupHarnessTest {

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, ProductHourCount, ProductHourCount>
            harness(Duration lateness) throws Exception {
        var settings =
                new SearchSettings(
                        Duration.ofHours(1),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        lateness,
                        Duration.ZERO,
                        3,
                        1024);
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new HourlyCount(settings), ProductHourCount::productId, Types.STRING);
        h.setProcessingTime(0);
        h.open();
        return h;
    }

    private static int hoursHeld(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        return ((HourlyCount) h.getOperator()).hoursHeld();
    }

    private static void partial(
            KeyedOneInputStreamOperatorTestHarness<String, ProductHourCount, ProductHourCount> h,
            String product,
            long start,
            long n)
            throws Exception {
        h.processElement(count(product, start, n), start + HOUR - 1);
    }

    @Test
    void anHourIsClearedAtItsCleanupTimeAndLaterHoursKeepTheirCounts() throws Exception {
        try (var h = harness(Duration.ofMinutes(10))) {
            partial(h, "a", at(0), 2);
            h.processWatermark(at(HOUR - 1)); // fires the 10:00 hour
            partial(h, "a", at(HOUR), 3); // the same product, the next hour, last in
            assertThat(hoursHeld(h)).isEqualTo(2);
            h.processWatermark(at(HOUR - 1 + 10 * MIN)); // 10:00 hour: clean-up time
            assertThat(hoursHeld(h)).isEqualTo(1);
            // A partial at exactly the clean-up time is dropped.
            partial(h, "a", at(0), 7);
            h.processWatermark(at(2 * HOUR - 1));
            assertThat(h.extractOutputStreamRecords())
                    .extracting(StreamRecord::getValue, StreamRecord::getTimestamp)
                    .containsExactly(
                            tuple(count("a", at(0), 2), at(HOUR - 1)),
                            tuple(count("a", at(HOUR), 3), at(2 * HOUR - 1)));
        }
    }

    @Test
    void aPartialArrivingExactlyAtTheEndOfItsHourFiresAtOnce() throws Exception {
        try (var h = harness(Duration.ofMinutes(10))) {
            h.processWatermark(at(HOUR - 1));
            partial(h, "a", at(0), 4);
            assertThat(h.extractOutputValues()).containsExactly(count("a", at(0), 4));
        }
    }

    @Test
    void withoutLatenessAnHourIsClearedWhenItCloses() throws Exception {
        try (var h = harness(Duration.ZERO)) {
            partial(h, "a", at(0), 2);
            h.processWatermark(at(HOUR - 1));
            assertThat(hoursHeld(h)).isZero();
            partial(h, "a", at(0), 5); // too late: dropped
            h.processWatermark(at(HOUR + MIN));
            assertThat(h.extractOutputValues()).containsExactly(count("a", at(0), 2));
            assertThat(hoursHeld(h)).isZero();
        }
    }
}
