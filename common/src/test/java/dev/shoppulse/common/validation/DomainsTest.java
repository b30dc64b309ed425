package dev.shoppulse.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.Reasons;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hostile values seen in the field are rejected at the edge, each with its reason. */
class DomainsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static String order(String occurredAt, String orderId) {
        return "{\"eventId\":\"e1\",\"orderId\":"
                + orderId
                + ",\"seq\":1,\"type\":\"OrderPlaced\",\"occurredAt\":"
                + occurredAt
                + "}";
    }

    private static OrderEvent decodeOrder(String json) throws BadRecordException {
        return OrdersCapability.ORDERS.codec().decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"+300000000-01-01T00:00:00Z\"",
                "\"+300000-01-01T00:00:00Z\"",
                "\"-100000-01-01T00:00:00Z\"",
                "\"+10000-01-01T00:00:00Z\"",
                "\"-4714-11-23T23:59:59Z\"",
                "\"0000-12-31T23:59:59Z\"",
                "1700000000",
                "1e400",
                "[2024,1,1,0,0]",
                "\"2024-01-01T00:00:00\"",
                "\"2024-02-30T00:00:00Z\""
            })
    void timestampsOutsideTheStaticDomainAreBadRecords(String occurredAt) {
        assertThatThrownBy(() -> decodeOrder(order(occurredAt, "\"o1\"")))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("OrderEvent");
    }

    @Test
    void theWidestAcceptedInstantsStillFitMillisAndPostgres() throws Exception {
        OrderEvent last = decodeOrder(order("\"9999-12-31T23:59:59.999999Z\"", "\"o1\""));
        OrderEvent first = decodeOrder(order("\"0001-01-01T00:00:00Z\"", "\"o1\""));
        assertThat(last.fingerprint()).contains(Long.toString(last.occurredAt().toEpochMilli()));
        assertThat(first.fingerprint()).isNotBlank();
        assertThatThrownBy(() -> decodeOrder(order("\"9999-12-31T23:59:59.9999999Z\"", "\"o1\"")))
                .hasMessageContaining("occurredAt must be between");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"o\\u0000\"", "\"a b\"", "\"\\ud800\"", "\"\u00e9\"", "\"\""})
    void idsAreRejectedWithTheCharacterNamed(String id) {
        assertThatThrownBy(() -> decodeOrder(order("\"2026-11-27T10:00:00Z\"", id)))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("orderId");
    }

    @Test
    void aSearchDated2999IsOutsideItsWindowButOneFromTheLastHourIsIn() {
        Domain<SearchEvent> d =
                EventDomains.searches(
                        new TimeWindow(
                                TimeWindow.DEFAULT_FLOOR,
                                Duration.ofHours(1),
                                "search.max-future"));
        SearchEvent future =
                new SearchEvent("s1", "u1", null, "q", "p1", Instant.parse("2999-01-01T00:00:00Z"));
        assertThat(d.violation(future, NOW))
                .contains("is more than PT1H ahead")
                .contains("search.max-future");
        SearchEvent old =
                new SearchEvent("s1", "u1", null, "q", "p1", Instant.parse("1999-12-31T23:59:59Z"));
        assertThat(d.violation(old, NOW)).contains("events.min-time");
        SearchEvent fine = new SearchEvent("s1", "u1", null, "q", "p1", NOW.plusSeconds(3599));
        assertThat(d.violation(fine, NOW)).isNull();
    }

    @Test
    void reportRequestsOutsideTheirDomainAreRejected() {
        String json =
                "{\"reportId\":\"r1\",\"owner\":\"c1\",\"type\":\"sales-by-day-product\","
                        + "\"from\":\"%s\",\"to\":\"%s\",\"requestedAt\":\"2026-11-27T10:00:00Z\"}";
        assertThatThrownBy(
                        () ->
                                ReportsCapability.REPORT_REQUESTS
                                        .codec()
                                        .decode(
                                                String.format(json, "2026-01-01", "+9999999-01-01")
                                                        .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadRecordException.class)
                .hasMessageContaining("to must be between");
        Domain<ReportRequest> d =
                EventDomains.reportRequests(TimeWindow.defaults("reports.max-future"), 366);
        ReportRequest tooLong =
                new ReportRequest(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        LocalDate.parse("2001-01-01"),
                        LocalDate.parse("2026-01-01"),
                        NOW);
        assertThat(d.violation(tooLong, NOW)).contains("reports.max-days");
        ReportRequest beforeFloor =
                new ReportRequest(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        LocalDate.parse("1999-12-31"),
                        LocalDate.parse("2000-01-02"),
                        NOW);
        assertThat(d.violation(beforeFloor, NOW)).contains("events.min-time");
    }

    @Test
    void seqIsBoundedSoThatSeqArithmeticCannotOverflow() {
        new OrderEvent("e", "o", OrderEvent.MAX_SEQ, OrderEventType.ORDER_PLACED, NOW, "{}");
        assertThatThrownBy(
                        () ->
                                new OrderEvent(
                                        "e",
                                        "o",
                                        OrderEvent.MAX_SEQ + 1,
                                        OrderEventType.ORDER_PLACED,
                                        NOW,
                                        "{}"))
                .hasMessageContaining("seq must be >= 1 and <= 2^62");
    }

    @Test
    void payloadsWithNulAreRejected() {
        assertThatThrownBy(
                        () ->
                                decodeOrder(
                                        "{\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,"
                                                + "\"type\":\"OrderPlaced\",\"occurredAt\":"
                                                + "\"2026-11-27T10:00:00Z\",\"payload\":{\"a\":"
                                                + "\"x\\u0000\"}}"))
                .hasMessageContaining("payload must not contain NUL");
    }

    @Test
    void deadLetterKeysAndReasonsAreBounded() {
        byte[] key = new byte[1_000_000];
        Arrays.fill(key, (byte) 'k');
        String reason = "\ud800 bad \u0000".repeat(10_000);
        DeadLetter d = DeadLetter.of("t", 0, 1, key, new byte[10], reason, "parse", NOW, 1024);
        assertThat(d.key()).hasSize(DeadLetter.MAX_KEY_BYTES);
        assertThat(d.keySize()).isEqualTo(1_000_000);
        assertThat(d.keySha256()).hasSize(64);
        assertThat(d.reason().length()).isLessThanOrEqualTo(Reasons.MAX_CHARS);
        assertThat(Check.isSafe(d.reason(), false)).isTrue();
        assertThat(OrdersCapability.ORDERS_DLQ.codec().encode(d).length).isLessThan(4_096);
        DeadLetter nullKey = DeadLetter.of("t", 0, 1, null, null, "r", "parse", NOW, 1024);
        assertThat(nullKey.keySize()).isEqualTo(-1);
        assertThat(nullKey.keySha256()).isNull();
    }
}
