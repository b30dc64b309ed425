package dev.shoppulse.common.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.hostile.HostileLimits;
import dev.shoppulse.common.hostile.HostileRecords.HostileRecord;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.testing.HostileArbitraries;
import dev.shoppulse.common.testing.ValidEvents;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.validation.Check;
import dev.shoppulse.common.validation.EventDomains;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For every Kafka input codec and any generated hostile record: decoding yields an event inside its
 * domain (strings a PostgreSQL text and a Redis key can hold, times PostgreSQL and epoch millis can
 * hold, the event re-encodes to itself) or throws {@link BadRecordException} with a non-empty, safe
 * reason, never another exception, and within a bounded time; the record's dead letter always
 * encodes within its size bound.
 */
class HostileInputProperties {
    private static final Logger LOG = LoggerFactory.getLogger(HostileInputProperties.class);
    private static final int TRIES = 300;

    /** PostgreSQL timestamptz range: 4713-11-24 BC .. 294276-12-31 AD. */
    private static final Instant PG_MIN = Instant.parse("-4713-11-24T00:00:00Z");

    private static final Instant PG_MAX = Instant.parse("+294276-12-31T23:59:59.999999Z");
    private static final int MAX_DEAD_LETTER_VALUE = 262_144;

    private static final AtomicLong WORST_NANOS = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();

    @Property(tries = TRIES)
    void orders(@ForAll("orderRecords") HostileRecord r) throws Exception {
        check(OrdersCapability.ORDERS, r);
    }

    @Property(tries = TRIES)
    void searches(@ForAll("searchRecords") HostileRecord r) throws Exception {
        check(SearchCapability.SEARCHES, r);
    }

    @Property(tries = TRIES)
    void apiRequests(@ForAll("apiRequestRecords") HostileRecord r) throws Exception {
        check(RateLimitCapability.API_REQUESTS, r);
    }

    @Property(tries = TRIES)
    void pincodes(@ForAll("pincodeRecords") HostileRecord r) throws Exception {
        check(PincodesCapability.PINCODE_UPDATES, r);
    }

    @Property(tries = TRIES)
    void logs(@ForAll("logRecords") HostileRecord r) throws Exception {
        check(LogsCapability.LOGS, r);
    }

    @Property(tries = TRIES)
    void profileUpdates(@ForAll("profileRecords") HostileRecord r) throws Exception {
        check(NotificationsCapability.PROFILE_UPDATES, r);
    }

    @Property(tries = TRIES)
    void reportRequests(@ForAll("reportRequestRecords") HostileRecord r) throws Exception {
        check(ReportsCapability.REPORT_REQUESTS, r);
    }

    @Property(tries = TRIES)
    void reportReady(@ForAll("reportReadyRecords") HostileRecord r) throws Exception {
        check(ReportsCapability.REPORT_READY, r);
    }

    @Property(tries = TRIES)
    void commentReplies(@ForAll("commentRecords") HostileRecord r) throws Exception {
        check(CommentsCapability.COMMENT_REPLIES, r);
    }

    @AfterContainer
    static void report() {
        LOG.info(
                "hostile decode: {} accepted, {} rejected, worst {} us per record",
                ACCEPTED.get(),
                REJECTED.get(),
                WORST_NANOS.get() / 1_000);
    }

    private static <T> void check(Topic<T> topic, HostileRecord rec) throws BadRecordException {
        long start = System.nanoTime();
        String reason = null;
        T event = null;
        try {
            event = topic.codec().decode(rec.value());
        } catch (BadRecordException e) {
            reason = e.getMessage();
        }
        if (event != null) {
            // The processing-time domain must answer, never throw, for whatever was accepted.
            EventDomains.defaultFor(topic.codec().type()).violation(event, Instant.now());
            if (event instanceof OrderEvent o) {
                o.fingerprint();
            }
        }
        long nanos = System.nanoTime() - start;
        WORST_NANOS.accumulateAndGet(nanos, Math::max);
        assertThat(nanos / 1_000_000).as("ms to decode %s", rec).isLessThan(1_000);
        if (event != null) {
            ACCEPTED.incrementAndGet();
            assertInsideDomain(event, event.getClass().getSimpleName());
            assertThat(topic.codec().decode(topic.codec().encode(event))).isEqualTo(event);
        } else {
            REJECTED.incrementAndGet();
            assertThat(reason).isNotBlank();
            assertThat(reason.length()).isLessThanOrEqualTo(Reasons.MAX_CHARS);
            assertThat(Check.isSafe(reason, false)).as("reason is safe: %s", reason).isTrue();
        }
        DeadLetter d =
                DeadLetter.of(
                        topic.name(),
                        0,
                        42,
                        rec.key(),
                        rec.value(),
                        reason == null ? "accepted" : reason,
                        "parse",
                        Instant.now(),
                        MAX_DEAD_LETTER_VALUE);
        byte[] encoded = OrdersCapability.ORDERS_DLQ.codec().encode(d);
        assertThat(encoded.length)
                .isLessThan((MAX_DEAD_LETTER_VALUE + DeadLetter.MAX_KEY_BYTES) * 4 / 3 + 8_192);
    }

    /** Every string storable as text and key, every time storable in PostgreSQL and as millis. */
    static void assertInsideDomain(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof String s) {
            assertThat(s.indexOf('\u0000')).as("%s has NUL", path).isNegative();
            assertThat(Check.isSafe(s, true))
                    .as("%s is safe text: %s", path, Check.excerpt(s))
                    .isTrue();
            assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
        } else if (value instanceof Instant t) {
            assertThat(t).as(path).isBetween(PG_MIN, PG_MAX);
            t.toEpochMilli();
        } else if (value instanceof LocalDate d) {
            assertThat(d.getYear()).as(path).isBetween(-4713, 294276);
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> assertInsideDomain(v, path + "[]"));
        } else if (value instanceof Record r) {
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    assertInsideDomain(rc.getAccessor().invoke(r), path + "." + rc.getName());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static <T> Arbitrary<HostileRecord> hostile(Arbitrary<T> valid, Topic<T> topic) {
        return HostileArbitraries.records(
                valid.map(topic.codec()::encode),
                v -> "key".getBytes(StandardCharsets.UTF_8),
                HostileLimits.DEFAULT);
    }

    @Provide
    Arbitrary<HostileRecord> orderRecords() {
        return hostile(ValidEvents.orders(), OrdersCapability.ORDERS);
    }

    @Provide
    Arbitrary<HostileRecord> searchRecords() {
        return hostile(ValidEvents.searches(), SearchCapability.SEARCHES);
    }

    @Provide
    Arbitrary<HostileRecord> apiRequestRecords() {
        return hostile(ValidEvents.apiRequests(), RateLimitCapability.API_REQUESTS);
    }

    @Provide
    Arbitrary<HostileRecord> pincodeRecords() {
        return hostile(ValidEvents.pincodes(), PincodesCapability.PINCODE_UPDATES);
    }

    @Provide
    Arbitrary<HostileRecord> logRecords() {
        return hostile(ValidEvents.logs(), LogsCapability.LOGS);
    }

    @Provide
    Arbitrary<HostileRecord> profileRecords() {
        return hostile(ValidEvents.profileUpdates(), NotificationsCapability.PROFILE_UPDATES);
    }

    @Provide
    Arbitrary<HostileRecord> reportRequestRecords() {
        return hostile(ValidEvents.reportRequests(), ReportsCapability.REPORT_REQUESTS);
    }

    @Provide
    Arbitrary<HostileRecord> reportReadyRecords() {
        return hostile(ValidEvents.reportReady(), ReportsCapability.REPORT_READY);
    }

    @Provide
    Arbitrary<HostileRecord> commentRecords() {
        return hostile(ValidEvents.commentReplies(), CommentsCapability.COMMENT_REPLIES);
    }
}
