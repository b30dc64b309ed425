package dev.shoppulse.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.config.ConfigException;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.search.SearchCapability;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Processing-time domains: the window's edges, each input type's field, and the defaults. */
class TimeWindowTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final TimeWindow W = TimeWindow.defaults("x.max-future");

    @Test
    void theFutureBoundMayBeZeroTo3650DaysAndNoMore() {
        new TimeWindow(TimeWindow.DEFAULT_FLOOR, Duration.ZERO, "s");
        new TimeWindow(TimeWindow.DEFAULT_FLOOR, Duration.ofDays(3650), "s");
        assertThatThrownBy(
                        () ->
                                new TimeWindow(
                                        TimeWindow.DEFAULT_FLOOR,
                                        Duration.ofDays(3650).plusNanos(1),
                                        "s"))
                .hasMessageStartingWith("s must be between 0 and 3650d");
        assertThatThrownBy(
                        () -> new TimeWindow(TimeWindow.DEFAULT_FLOOR, Duration.ofNanos(-1), "s"))
                .hasMessageStartingWith("s must be between 0 and 3650d");
    }

    @Test
    void instantsFromTheFloorToMaxFutureAheadAreIn() {
        assertThat(W.violation("t", TimeWindow.DEFAULT_FLOOR, NOW)).isNull();
        assertThat(W.violation("t", NOW.plus(Duration.ofHours(1)), NOW)).isNull();
        assertThat(W.violation("t", TimeWindow.DEFAULT_FLOOR.minusNanos(1), NOW))
                .isEqualTo(
                        "t 1999-12-31T23:59:59.999999999Z is before 2000-01-01T00:00:00Z"
                                + " (events.min-time)");
        assertThat(W.violation("t", NOW.plus(Duration.ofHours(1)).plusNanos(1), NOW))
                .isEqualTo(
                        "t 2026-11-27T11:00:00.000000001Z is more than PT1H ahead of processing"
                                + " time 2026-11-27T10:00:00Z (x.max-future)");
    }

    @Test
    void datesFromTheFloorsDayToTheLastAllowedDayAreIn() {
        Instant lateEvening = Instant.parse("2026-11-27T23:30:00Z");
        assertThat(W.violation("d", LocalDate.parse("2000-01-01"), lateEvening)).isNull();
        // One hour ahead of 23:30 is tomorrow: tomorrow is allowed, the day after is not.
        assertThat(W.violation("d", LocalDate.parse("2026-11-28"), lateEvening)).isNull();
        assertThat(W.violation("d", LocalDate.parse("2026-11-29"), lateEvening))
                .isEqualTo("d 2026-11-29 is after 2026-11-28, the last day x.max-future allows");
        assertThat(W.violation("d", LocalDate.parse("1999-12-31"), lateEvening))
                .isEqualTo("d 1999-12-31 is before 2000-01-01 (events.min-time)");
    }

    /** One event of each input type at {@code at}. */
    private static final List<Object> FINE = events(NOW);

    private static final List<Object> AHEAD = events(NOW.plus(Duration.ofHours(2)));

    private static List<Object> events(Instant at) {
        return List.of(
                new OrderEvent("e1", "o1", 1, OrderEventType.ORDER_PLACED, at, "{}"),
                new SearchEvent("s1", "u1", null, "q", "p1", at),
                new ApiRequestEvent("r1", "c1", "free", "GET", "/v1/q", 200, "allowed", 1, at),
                new PincodeUpdate("a@b.in", "560001", at),
                new LogEntry(at, "svc", "INFO", "m"),
                new ProfileUpdated("e1", "u1", "a@b.in", List.of("name"), at),
                new ReportReady(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        "FAILED",
                        null,
                        0,
                        "why",
                        at),
                new CommentReply(1, "p1", 2, "a1", "b1", "hi", at),
                new ReportRequest(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        LocalDate.parse("2026-11-01"),
                        LocalDate.parse("2026-11-02"),
                        at));
    }

    private static final List<String> FIELDS =
            List.of(
                    "occurredAt",
                    "occurredAt",
                    "at",
                    "occurredAt",
                    "loggedAt",
                    "occurredAt",
                    "finishedAt",
                    "createdAt",
                    "requestedAt");

    private static final List<Function<TimeWindow, Domain<?>>> DOMAINS =
            List.of(
                    EventDomains::orders,
                    EventDomains::searches,
                    EventDomains::apiRequests,
                    EventDomains::pincodes,
                    EventDomains::logs,
                    EventDomains::profileUpdates,
                    EventDomains::reportReady,
                    EventDomains::commentReplies,
                    w -> EventDomains.reportRequests(w, 366));

    @SuppressWarnings("unchecked")
    private static String violation(Domain<?> d, Object e) {
        return ((Domain<Object>) d).violation(e, NOW);
    }

    @Test
    void everyInputTypeChecksItsOwnTimeField() {
        for (int k = 0; k < DOMAINS.size(); k++) {
            Domain<?> d = DOMAINS.get(k).apply(W);
            assertThat(violation(d, FINE.get(k))).as("%s", FINE.get(k)).isNull();
            assertThat(violation(d, AHEAD.get(k)))
                    .as("%s", AHEAD.get(k))
                    .startsWith(FIELDS.get(k) + " ")
                    .endsWith("(x.max-future)");
        }
    }

    @Test
    void everyInputTypeHasItsDefaultDomainAndOtherTypesHaveNone() {
        for (int k = 0; k < FINE.size(); k++) {
            Domain<?> d = EventDomains.defaultFor(FINE.get(k).getClass());
            assertThat(violation(d, FINE.get(k))).isNull();
            assertThat(violation(d, AHEAD.get(k)))
                    .as("%s", AHEAD.get(k))
                    .startsWith(FIELDS.get(k) + " ")
                    .contains("max-future");
        }
        assertThat(EventDomains.defaultFor(String.class).violation("anything", NOW)).isNull();
    }

    @Test
    void aReportMayCoverExactlyMaxDays() {
        Domain<ReportRequest> d = EventDomains.reportRequests(W, 2);
        ReportRequest two =
                new ReportRequest(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        LocalDate.parse("2026-11-01"),
                        LocalDate.parse("2026-11-02"),
                        NOW);
        ReportRequest three =
                new ReportRequest(
                        "r1",
                        "c1",
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        LocalDate.parse("2026-11-01"),
                        LocalDate.parse("2026-11-03"),
                        NOW);
        assertThat(d.violation(two, NOW)).isNull();
        assertThat(d.violation(three, NOW))
                .isEqualTo("the range covers 3 days; at most 2 (reports.max-days)");
    }

    @Test
    void theConfiguredWindowHasTheConfiguredFloorAndBound() {
        ShopPulseConfig config =
                ShopPulseConfig.defaults()
                        .with(Settings.EVENTS_MIN_TIME, "2020-01-01T00:00:00Z")
                        .with(SearchCapability.SEARCH_MAX_FUTURE, "5m");
        assertThat(EventDomains.window(config, SearchCapability.SEARCH_MAX_FUTURE))
                .isEqualTo(
                        new TimeWindow(
                                Instant.parse("2020-01-01T00:00:00Z"),
                                Duration.ofMinutes(5),
                                "search.max-future"));
        assertThatThrownBy(
                        () ->
                                EventDomains.window(
                                        config.with(Settings.EVENTS_MIN_TIME, "yesterday"),
                                        SearchCapability.SEARCH_MAX_FUTURE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("events.min-time must be an ISO-8601 instant");
    }

    @Test
    void anyAcceptsEverythingAndAndReportsTheFirstViolation() {
        Domain<String> any = Domain.any();
        assertThat(any.violation("x", NOW)).isNull();
        Domain<String> first = (s, now) -> s.startsWith("a") ? "first" : null;
        Domain<String> second = (s, now) -> s.endsWith("z") ? "second" : null;
        Domain<String> both = first.and(second);
        assertThat(both.violation("az", NOW)).isEqualTo("first");
        assertThat(both.violation("bz", NOW)).isEqualTo("second");
        assertThat(both.violation("bb", NOW)).isNull();
    }
}
