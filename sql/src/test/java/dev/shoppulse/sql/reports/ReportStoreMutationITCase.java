package dev.shoppulse.sql.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.sql.MigratedSchema;
import dev.shoppulse.sql.Outbox;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The report store's creation rules and reads, which the state-machine ITCase does not reach:
 * Idempotency-Key replay and reuse, a failed attempt freeing its key, de-duplication of identical
 * in-flight requests, the exact quota, the outbox record committed with the report, expiry, the
 * finished-shard queries, and the transaction handling around it all. One schema of its own, one
 * owner per test.
 */
@Timeout(60)
class ReportStoreMutationITCase {
    private static final Instant TOMORROW = Instant.now().plus(1, ChronoUnit.DAYS);
    private static final AtomicInteger IDS = new AtomicInteger();
    @RegisterExtension static final MigratedSchema db = new MigratedSchema("repm");
    // Each test is its own owner in one schema: migrating a schema per test is slow under PIT.
    private String owner;

    @BeforeEach
    void newOwner() {
        owner = "u" + IDS.incrementAndGet();
    }

    private ReportStore.NewReport report(String hash, String key, Instant expiresAt) {
        return report(owner, hash, key, expiresAt);
    }

    private ReportStore.NewReport report(String owner, String hash, String key, Instant expiresAt) {
        return new ReportStore.NewReport(
                "r" + IDS.incrementAndGet(),
                owner,
                "sales-by-day-product",
                "{}",
                hash,
                key,
                3,
                expiresAt);
    }

    private ReportStore.Created create(String hash, String key) throws SQLException {
        return ReportStore.create(db.connection(), report(hash, key, TOMORROW), 10);
    }

    private static ReportRow row(ReportStore.Created created) {
        if (created instanceof ReportStore.Created.New n) {
            return n.row();
        } else if (created instanceof ReportStore.Created.Existing e) {
            return e.row();
        } else if (created instanceof ReportStore.Created.KeyReused k) {
            return k.row();
        }
        return ((ReportStore.Created.OverQuota) created).oldestActive();
    }

    @Test
    void aKeyReplaysItsRequestAndRefusesAnotherOne() throws SQLException {
        ReportStore.Created first = create("h1", "key-1");
        assertThat(first).isInstanceOf(ReportStore.Created.New.class);
        ReportStore.Created replay = create("h1", "key-1");
        assertThat(replay).isInstanceOf(ReportStore.Created.Existing.class);
        assertThat(row(replay).id()).isEqualTo(row(first).id());
        ReportStore.Created reused = create("h2", "key-1");
        assertThat(reused).isInstanceOf(ReportStore.Created.KeyReused.class);
        assertThat(row(reused).id()).isEqualTo(row(first).id());
        // The same request under another key while the first is queued: the existing report.
        ReportStore.Created sameRequest = create("h1", "key-2");
        assertThat(sameRequest).isInstanceOf(ReportStore.Created.Existing.class);
        assertThat(row(sameRequest).id()).isEqualTo(row(first).id());
    }

    @Test
    void aFailedAttemptFreesItsKeyForAFreshAttempt() throws SQLException {
        ReportRow failed = row(create("h1", "key-1"));
        ReportStore.start(db.connection(), failed.id()).orElseThrow();
        ReportStore.fail(db.connection(), failed.id(), "boom").orElseThrow();
        ReportStore.Created retry = create("h1", "key-1");
        assertThat(retry).isInstanceOf(ReportStore.Created.New.class);
        assertThat(row(retry).id()).isNotEqualTo(failed.id());
        assertThat(row(retry).status()).isEqualTo(ReportRow.QUEUED);
        // The failed row stays visible; the key now belongs to the retry.
        assertThat(ReportStore.find(db.connection(), failed.id()).orElseThrow().status())
                .isEqualTo(ReportRow.FAILED);
        assertThat(row(create("h1", "key-1")).id()).isEqualTo(row(retry).id());
    }

    @Test
    void identicalRequestsShareOneReportOnlyWhileItIsInFlight() throws SQLException {
        ReportRow a = row(create("same", null));
        assertThat(create("same", null)).isInstanceOf(ReportStore.Created.Existing.class);
        ReportStore.start(db.connection(), a.id()).orElseThrow();
        assertThat(row(create("same", null)).id()).isEqualTo(a.id());
        ReportStore.succeed(db.connection(), a.id(), "a.csv", 7).orElseThrow();
        ReportStore.Created again = create("same", null);
        assertThat(again).isInstanceOf(ReportStore.Created.New.class);
        assertThat(row(again).id()).isNotEqualTo(a.id());
    }

    @Test
    void theQuotaAdmitsExactlyMaxActiveQueuedOrRunningReports() throws SQLException {
        ReportRow oldest = row(ReportStore.create(db.connection(), report("a", null, TOMORROW), 2));
        ReportStore.start(db.connection(), oldest.id()).orElseThrow();
        assertThat(ReportStore.create(db.connection(), report("b", null, TOMORROW), 2))
                .isInstanceOf(ReportStore.Created.New.class);
        ReportStore.Created over =
                ReportStore.create(db.connection(), report("c", null, TOMORROW), 2);
        assertThat(over).isInstanceOf(ReportStore.Created.OverQuota.class);
        ReportStore.Created.OverQuota q = (ReportStore.Created.OverQuota) over;
        assertThat(q.active()).isEqualTo(2);
        assertThat(q.oldestActive().id()).isEqualTo(oldest.id());
        // A finished report no longer counts.
        ReportStore.cancel(db.connection(), oldest.id(), owner).orElseThrow();
        assertThat(ReportStore.create(db.connection(), report("c", null, TOMORROW), 2))
                .isInstanceOf(ReportStore.Created.New.class);
    }

    @Test
    void theOutboxRecordCommitsWithANewReportOnly() throws SQLException {
        Outbox.Message m =
                new Outbox.Message("report-requests", "k", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(ReportStore.create(db.connection(), report("h", "key", TOMORROW), 1, m))
                .isInstanceOf(ReportStore.Created.New.class);
        assertThat(Outbox.pending(db.connection())).isEqualTo(1);
        assertThat(ReportStore.create(db.connection(), report("h", "key", TOMORROW), 1, m))
                .isInstanceOf(ReportStore.Created.Existing.class);
        assertThat(ReportStore.create(db.connection(), report("other", null, TOMORROW), 1, m))
                .isInstanceOf(ReportStore.Created.OverQuota.class);
        assertThat(Outbox.pending(db.connection())).isEqualTo(1);
    }

    @Test
    void creationCommitsOnItsOwnAndRestoresTheCallersAutoCommit() throws SQLException {
        ReportRow a = row(create("h1", null));
        assertThat(db.connection().getAutoCommit()).isTrue();
        db.connection().setAutoCommit(false);
        try {
            ReportRow b = row(create("h2", null));
            assertThat(db.connection().getAutoCommit()).isFalse();
            db.connection().rollback();
            // Committed by create itself: the caller's rollback does not undo it.
            assertThat(ReportStore.find(db.connection(), b.id())).isPresent();
        } finally {
            db.connection().setAutoCommit(true);
        }
        assertThat(ReportStore.find(db.connection(), a.id())).isPresent();
    }

    @Test
    void aFailedCreationRollsBackAndLeavesTheConnectionUsable() throws SQLException {
        ReportStore.NewReport bad =
                new ReportStore.NewReport("bad", owner, "t", "{not json", "h", "key", 3, TOMORROW);
        assertThatThrownBy(() -> ReportStore.create(db.connection(), bad, 10))
                .isInstanceOf(SQLException.class);
        assertThat(db.connection().getAutoCommit()).isTrue();
        assertThat(ReportStore.find(db.connection(), "bad")).isEmpty();
        assertThat(create("h", "key")).isInstanceOf(ReportStore.Created.New.class);
    }

    @Test
    void expiredReportsLeaveTheListAndAreSweptOldestExpiryFirst() throws SQLException {
        Instant past = Instant.now().minus(1, ChronoUnit.HOURS);
        ReportRow live = row(create("z", null));
        // Created last: creating a report first deletes its owner's expired ones.
        ReportRow expired = row(ReportStore.create(db.connection(), report("y", null, past), 10));
        ReportRow theirs =
                row(
                        ReportStore.create(
                                db.connection(),
                                report(owner + "-v", "x", "key-x", past.minusSeconds(60)),
                                10));
        assertThat(ReportStore.list(db.connection(), owner, 10))
                .extracting(ReportRow::id)
                .containsExactly(live.id());
        assertThat(
                        ReportStore.find(db.connection(), expired.id())
                                .orElseThrow()
                                .expired(Instant.now()))
                .isTrue();
        assertThat(ReportStore.deleteExpired(db.connection(), 1)).containsExactly(theirs.id());
        assertThat(ReportStore.deleteExpired(db.connection())).containsExactly(expired.id());
        assertThat(ReportStore.deleteExpired(db.connection())).isEmpty();
        assertThat(ReportStore.find(db.connection(), live.id())).isPresent();
    }

    @Test
    void anExpiredReportNoLongerHoldsItsKey() throws SQLException {
        Instant past = Instant.now().minus(1, ChronoUnit.HOURS);
        ReportRow expired = row(ReportStore.create(db.connection(), report("h", "key", past), 10));
        ReportStore.Created fresh = create("other-request", "key");
        assertThat(fresh).isInstanceOf(ReportStore.Created.New.class);
        assertThat(ReportStore.find(db.connection(), expired.id())).isEmpty();
    }

    @Test
    void theListIsTheOwnersNewestFirstAndLimited() throws SQLException {
        ReportRow a = row(create("a", null));
        ReportRow b = row(create("b", null));
        ReportStore.create(
                db.connection(),
                new ReportStore.NewReport(
                        "theirs", owner + "-v", "t", "{}", "a", null, 3, TOMORROW),
                10);
        assertThat(ReportStore.list(db.connection(), owner, 10))
                .extracting(ReportRow::id)
                .containsExactly(b.id(), a.id());
        assertThat(ReportStore.list(db.connection(), owner, 1))
                .extracting(ReportRow::id)
                .containsExactly(b.id());
        assertThat(ReportStore.list(db.connection(), owner, 0)).hasSize(1);
    }

    @Test
    void finishedShardsAreListedByDayAndAskedOneByOne() throws SQLException {
        ReportRow r = row(create("h", null));
        ReportStore.start(db.connection(), r.id()).orElseThrow();
        LocalDate d1 = LocalDate.parse("2026-03-01");
        LocalDate d2 = LocalDate.parse("2026-03-02");
        ReportStore.shardDone(db.connection(), r.id(), d2, 4).orElseThrow();
        ReportStore.shardDone(db.connection(), r.id(), d1, 5).orElseThrow();
        assertThat(ReportStore.finishedShards(db.connection(), r.id())).containsExactly(d1, d2);
        assertThat(ReportStore.finishedShards(db.connection(), "unknown")).isEmpty();
        assertThat(ReportStore.shardFinished(db.connection(), r.id(), d1)).isTrue();
        assertThat(
                        ReportStore.shardFinished(
                                db.connection(), r.id(), LocalDate.parse("2026-03-03")))
                .isFalse();
        assertThat(ReportStore.shardFinished(db.connection(), "unknown", d1)).isFalse();
    }

    @Test
    void aRowReadsBackItsOptionalColumnsAsAbsentUntilSet() throws SQLException {
        ReportRow queued = row(create("h", null));
        assertThat(queued.rows()).isNull();
        assertThat(queued.file()).isNull();
        assertThat(queued.startedAt()).isNull();
        assertThat(queued.finishedAt()).isNull();
        assertThat(queued.createdAt()).isNotNull();
        assertThat(queued.expiresAt()).isCloseTo(TOMORROW, within());
        assertThat(queued.parameters()).isEqualTo("{}");
        assertThat(queued.shards()).isEqualTo(3);
        ReportRow running = ReportStore.start(db.connection(), queued.id()).orElseThrow();
        assertThat(running.startedAt()).isNotNull();
        ReportRow done =
                ReportStore.succeed(db.connection(), queued.id(), "f.csv", 0).orElseThrow();
        assertThat(done.rows()).isZero();
        assertThat(done.file()).isEqualTo("f.csv");
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.shardsDone()).isEqualTo(3);
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return new org.assertj.core.data.TemporalUnitWithinOffset(1, ChronoUnit.MILLIS);
    }
}
