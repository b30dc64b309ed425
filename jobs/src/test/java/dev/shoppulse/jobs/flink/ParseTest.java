package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.common.validation.TimeWindow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The parse step applies the processing-time domain with its own clock: a search dated 2999 never
 * reaches the windows, it is dead-lettered at stage parse with its reason and position.
 */
class ParseTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void eventsOutsideTheirWindowAreDeadLetteredAtParseWithReasonAndPosition() throws Exception {
        Parse<SearchEvent, SearchEvent> parse =
                new Parse<>(
                        SearchCapability.SEARCHES.codec(),
                        EventDomains.searches(
                                new TimeWindow(
                                        TimeWindow.DEFAULT_FLOOR,
                                        Duration.ofHours(1),
                                        "search.max-future")),
                        (e, r) -> e,
                        1024,
                        Clock.fixed(NOW, ZoneOffset.UTC));
        try (OneInputStreamOperatorTestHarness<RawRecord, SearchEvent> h =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            h.processElement(raw(7, search("2026-11-27T10:59:00Z")), 0);
            h.processElement(raw(8, search("2999-01-01T00:00:00Z")), 0);
            h.processElement(raw(9, search("1999-01-01T00:00:00Z")), 0);
            h.processElement(raw(10, search("+300000000-01-01T00:00:00Z")), 0);
            h.processElement(raw(11, "{\"eventId\":\"s\\u0000\"}"), 0);

            assertThat(h.extractOutputValues())
                    .extracting(SearchEvent::occurredAt)
                    .containsExactly(Instant.parse("2026-11-27T10:59:00Z"));
            ConcurrentLinkedQueue<StreamRecord<DeadLetter>> side =
                    h.getSideOutput(Parse.DEAD_LETTERS);
            List<DeadLetter> dead = side.stream().map(StreamRecord::getValue).toList();
            assertThat(dead).extracting(DeadLetter::stage).containsOnly("parse");
            assertThat(dead).extracting(DeadLetter::offset).containsExactly(8L, 9L, 10L, 11L);
            assertThat(dead.get(0).reason())
                    .contains("invalid SearchEvent: occurredAt 2999-01-01T00:00:00Z")
                    .contains("search.max-future");
            assertThat(dead.get(1).reason()).contains("events.min-time");
            assertThat(dead.get(2).reason()).contains("occurredAt must be between");
            assertThat(dead.get(3).reason()).isNotBlank();
            assertThat(dead.get(0).position()).isEqualTo("searches/0@8");
        }
    }

    @Test
    void theDefaultDomainIsTheTypesOwn() throws Exception {
        Parse<SearchEvent, SearchEvent> parse =
                new Parse<>(SearchCapability.SEARCHES.codec(), (e, r) -> e, 1024);
        try (OneInputStreamOperatorTestHarness<RawRecord, SearchEvent> h =
                ProcessFunctionTestHarnesses.forProcessFunction(parse)) {
            h.processElement(raw(1, search(Instant.now().plus(Duration.ofDays(2)).toString())), 0);
            h.processElement(raw(2, search(Instant.now().minusSeconds(5).toString())), 0);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getSideOutput(Parse.DEAD_LETTERS)).hasSize(1);
        }
    }

    private static String search(String occurredAt) {
        return "{\"eventId\":\"s1\",\"userId\":\"u1\",\"query\":\"q\",\"productId\":\"p1\","
                + "\"occurredAt\":\""
                + occurredAt
                + "\"}";
    }

    private static RawRecord raw(long offset, String json) {
        return new RawRecord(
                "searches",
                0,
                offset,
                0L,
                "u1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }
}
