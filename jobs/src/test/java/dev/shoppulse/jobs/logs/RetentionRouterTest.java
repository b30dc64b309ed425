package dev.shoppulse.jobs.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.jobs.flink.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Where each log record goes before the database: kept inside the partition window, dead-lettered
 * as retired before the retention boundary or as too far ahead from the horizon on, and as invalid
 * when the domain (max-future) refuses a row the window would keep.
 */
class RetentionRouterTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int RETENTION_DAYS = 7;
    private static final int AHEAD_DAYS = 1;
    // The first kept instant and the first instant past the pre-created days at NOW.
    private static final Instant BOUNDARY = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant HORIZON = Instant.parse("2026-11-29T00:00:00Z");

    private static OneInputStreamOperatorTestHarness<RawRecord, SourcedLogEntry> harness(
            RetentionRouter router) throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(router);
    }

    private static RetentionRouter router(int maxDeadLetterBytes) {
        return new RetentionRouter(
                RETENTION_DAYS, AHEAD_DAYS, maxDeadLetterBytes, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static RawRecord raw(long offset, Instant loggedAt) {
        LogEntry e = new LogEntry(loggedAt, "checkout", "INFO", "line " + offset);
        return raw(offset, LogsCapability.LOGS.codec().encode(e));
    }

    private static RawRecord raw(long offset, byte[] value) {
        return new RawRecord(
                "logs", 2, offset, 0L, "checkout".getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<RawRecord, SourcedLogEntry> h) {
        var queue = h.getSideOutput(RetentionRouter.DEAD_LETTERS);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
    }

    /** The one dead letter {@code router} makes of {@code record}, which it must not keep. */
    private static DeadLetter rejected(RetentionRouter router, RawRecord record) throws Exception {
        try (var h = harness(router)) {
            h.processElement(record, 0);
            assertThat(h.extractOutputValues()).isEmpty();
            List<DeadLetter> dead = deadLetters(h);
            assertThat(dead).hasSize(1);
            return dead.get(0);
        }
    }

    @Test
    void rowsFromTheBoundaryToBeforeTheHorizonAreKeptWithTheirKafkaPosition() throws Exception {
        try (var h = harness(router(1024))) {
            h.processElement(raw(10, BOUNDARY), 0);
            h.processElement(raw(11, NOW.minusSeconds(60)), 0);
            h.processElement(raw(12, NOW.plusSeconds(30 * 60)), 0);
            List<SourcedLogEntry> kept = h.extractOutputValues();
            assertThat(kept).extracting(SourcedLogEntry::offset).containsExactly(10L, 11L, 12L);
            assertThat(kept)
                    .allSatisfy(
                            k -> {
                                assertThat(k.topic()).isEqualTo("logs");
                                assertThat(k.partition()).isEqualTo(2);
                            });
            assertThat(kept.get(0).entry().loggedAt()).isEqualTo(BOUNDARY);
            assertThat(kept.get(1).entry().message()).isEqualTo("line 11");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aRowBeforeTheBoundaryIsRetiredNamingTheBoundary() throws Exception {
        DeadLetter d = rejected(router(1024), raw(20, BOUNDARY.minusMillis(1)));
        assertThat(d.stage()).isEqualTo("retention");
        assertThat(d.offset()).isEqualTo(20L);
        assertThat(d.partition()).isEqualTo(2);
        assertThat(d.reason())
                .contains("older than the retention boundary")
                .contains(BOUNDARY.toString());
    }

    @Test
    void aRowAtTheHorizonIsTooFarAheadNamingTheHorizon() throws Exception {
        DeadLetter d = rejected(router(1024), raw(30, HORIZON));
        assertThat(d.stage()).isEqualTo("retention");
        assertThat(d.offset()).isEqualTo(30L);
        assertThat(d.reason())
                .contains("at or past the pre-created horizon")
                .contains(HORIZON.toString());
    }

    @Test
    void aRowTheWindowKeepsButTheDomainRefusesIsInvalid() throws Exception {
        // Tomorrow is pre-created, but more than the default hour ahead of NOW.
        DeadLetter d = rejected(router(1024), raw(40, NOW.plusSeconds(3 * 3600)));
        assertThat(d.stage()).isEqualTo("parse");
        assertThat(d.reason()).startsWith("invalid LogEntry: ").contains("loggedAt");
    }

    @Test
    void aCustomDomainIsAppliedToKeptRowsOnly() throws Exception {
        RetentionRouter strict =
                new RetentionRouter(
                        RETENTION_DAYS,
                        AHEAD_DAYS,
                        1024,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        (e, now) -> e.message().endsWith("1") ? "no ones" : null);
        try (var h = harness(strict)) {
            h.processElement(raw(51, NOW), 0);
            h.processElement(raw(52, NOW), 0);
            h.processElement(raw(61, BOUNDARY.minusSeconds(1)), 0);
            assertThat(h.extractOutputValues())
                    .extracting(SourcedLogEntry::offset)
                    .containsExactly(52L);
            assertThat(deadLetters(h))
                    .extracting(DeadLetter::offset, DeadLetter::stage)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(51L, "parse"),
                            org.assertj.core.groups.Tuple.tuple(61L, "retention"));
            assertThat(deadLetters(h).get(0).reason()).isEqualTo("invalid LogEntry: no ones");
        }
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAtParseAndTruncated() throws Exception {
        byte[] junk = "{not json at all, and rather long too}".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = rejected(router(8), raw(70, junk));
        assertThat(d.stage()).isEqualTo("parse");
        assertThat(d.offset()).isEqualTo(70L);
        assertThat(d.valueSize()).isEqualTo(junk.length);
        assertThat(d.value()).hasSizeLessThanOrEqualTo(8);
    }
}
