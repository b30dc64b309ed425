package dev.shoppulse.common.testing;

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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik arbitraries of valid events of every Kafka input type, dated within the last day so that
 * they lie inside every default domain: the seeds that {@link HostileArbitraries} mutates.
 */
public final class ValidEvents {
    private ValidEvents() {}

    /** Ids of the shapes producers use: short, printable ASCII. */
    public static Arbitrary<String> ids(String prefix) {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .withChars('-', '_', '.', ':')
                .ofMinLength(1)
                .ofMaxLength(24)
                .map(s -> prefix + s);
    }

    /** An instant within the last day (millisecond precision, like every producer here). */
    public static Arbitrary<Instant> recent() {
        return Arbitraries.longs()
                .between(0, 86_400_000L)
                .map(back -> Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(back));
    }

    public static Arbitrary<OrderEvent> orders() {
        return Combinators.combine(
                        ids("e-"),
                        ids("o-"),
                        Arbitraries.longs().between(1, 1_000),
                        Arbitraries.of(OrderEventType.class),
                        recent(),
                        Arbitraries.of(
                                "{}", "{\"amountCents\":1299}", "{\"items\":[{\"sku\":\"a\"}]}"))
                .as(OrderEvent::new);
    }

    public static Arbitrary<SearchEvent> searches() {
        return Combinators.combine(
                        ids("s-"),
                        ids("u-").injectNull(0.3),
                        ids("sess-"),
                        Arbitraries.strings().alpha().withChars(' ').ofMaxLength(40),
                        ids("p-").injectNull(0.2),
                        recent())
                .as(SearchEvent::new);
    }

    public static Arbitrary<ApiRequestEvent> apiRequests() {
        return Combinators.combine(
                        ids("r-"),
                        ids("c-"),
                        Arbitraries.of("free", "pro", "anonymous"),
                        Arbitraries.of("GET", "POST"),
                        Arbitraries.of("/v1/quotes", "/v1/reports", "/v1/top-searches"),
                        Arbitraries.of(200, 201, 400, 429, 503),
                        Arbitraries.of("allowed", "limited", "blocked"),
                        Arbitraries.longs().between(0, 5_000_000))
                .flatAs(
                        (id, client, tier, method, path, status, decision, latency) ->
                                recent().map(
                                                at ->
                                                        new ApiRequestEvent(
                                                                id, client, tier, method, path,
                                                                status, decision, latency, at)));
    }

    public static Arbitrary<PincodeUpdate> pincodes() {
        return Combinators.combine(
                        ids("user").map(s -> s + "@example.com"),
                        Arbitraries.integers().between(100_000, 999_999).map(String::valueOf),
                        recent())
                .as(PincodeUpdate::new);
    }

    public static Arbitrary<LogEntry> logs() {
        return Combinators.combine(
                        recent(),
                        ids("svc-"),
                        Arbitraries.of(List.copyOf(LogEntry.LEVELS)),
                        Arbitraries.strings()
                                .ascii()
                                .withChars('\n', '\t')
                                .ofMaxLength(200)
                                .filter(
                                        s ->
                                                s.chars()
                                                        .noneMatch(
                                                                c ->
                                                                        c < 0x20 && c != '\n'
                                                                                        && c != '\t'
                                                                                || c == 0x7f)))
                .as(LogEntry::new);
    }

    public static Arbitrary<ProfileUpdated> profileUpdates() {
        return Combinators.combine(
                        ids("e-"),
                        ids("u-"),
                        ids("user").map(s -> s + "@example.com"),
                        Arbitraries.of("email", "phone", "address", "password", "name")
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3),
                        recent())
                .as(ProfileUpdated::new);
    }

    public static Arbitrary<ReportRequest> reportRequests() {
        return Combinators.combine(
                        ids("rep-"),
                        ids("c-"),
                        Arbitraries.integers().between(0, 300),
                        Arbitraries.integers().between(0, 30),
                        recent())
                .as(
                        (id, owner, back, len, at) -> {
                            LocalDate to = LocalDate.ofInstant(at, ZoneOffset.UTC).minusDays(back);
                            return new ReportRequest(
                                    id,
                                    owner,
                                    ReportRequest.SALES_BY_DAY_PRODUCT,
                                    to.minusDays(len),
                                    to,
                                    at);
                        });
    }

    public static Arbitrary<ReportReady> reportReady() {
        return Combinators.combine(
                        ids("rep-"),
                        ids("c-"),
                        Arbitraries.of("SUCCEEDED", "FAILED"),
                        Arbitraries.longs().between(0, 1_000_000),
                        recent())
                .as(
                        (id, owner, status, rows, at) ->
                                new ReportReady(
                                        id,
                                        owner,
                                        ReportRequest.SALES_BY_DAY_PRODUCT,
                                        status,
                                        status.equals("SUCCEEDED")
                                                ? "/v1/reports/" + id + "/download"
                                                : null,
                                        status.equals("SUCCEEDED") ? rows : 0,
                                        status.equals("FAILED") ? "could not be queued" : null,
                                        at));
    }

    public static Arbitrary<CommentReply> commentReplies() {
        return Combinators.combine(
                        Arbitraries.longs().between(1, 1_000_000),
                        ids("post-"),
                        Arbitraries.longs().between(1, 1_000_000),
                        ids("a-"),
                        ids("b-"),
                        Arbitraries.strings().alpha().withChars(' ', '\n').ofMaxLength(140),
                        recent())
                .as(CommentReply::new);
    }
}
