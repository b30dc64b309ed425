package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import dev.shoppulse.sql.LogPartitions.Report;
import dev.shoppulse.sql.LogPartitions.Route;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The app_logs partition maintenance against the real PostgreSQL, alone and under writers. */
@Timeout(120)
class LogPartitionsITCase {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    @RegisterExtension final MigratedSchema db = new MigratedSchema("logs");

    private static void insert(Connection c, Instant at) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(LogSql.INSERT)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, "svc");
            ps.setString(3, "INFO");
            ps.setString(4, "m");
            ps.executeUpdate();
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void createsAheadDropsRetiredDaysIsIdempotentAndEmptiesTheDefaultPartition() throws Exception {
        LogPartitions p = new LogPartitions(3, 1, 500);
        try (Connection c = TestServices.postgres(db.name())) {
            Report first = p.run(c, T0);
            assertThat(first.created()).isEqualTo(3 + 1 + 1);
            // The run's session settings do not outlive it.
            assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(c, "lock_timeout")).isEqualTo("0");
            assertThat(p.run(c, T0)).isEqualTo(new Report(true, 0, 0, 0, 0, 0));

            // A row two days ahead has no partition yet: it lands in default, and moves out once
            // its day is created. A retired row in default is purged.
            insert(c, T0.plus(Duration.ofDays(2)));
            insert(c, T0.minus(Duration.ofDays(10)));
            assertThat(count(c, LogSql.COUNT_DEFAULT)).isEqualTo(2);

            Report later = p.run(c, T0.plus(Duration.ofDays(2)));
            assertThat(later.created()).isEqualTo(2);
            assertThat(later.dropped()).isEqualTo(2);
            assertThat(later.movedFromDefault()).isEqualTo(1);
            assertThat(later.purgedFromDefault()).isEqualTo(1);
            assertThat(later.defaultRows()).isZero();
            assertThat(count(c, "SELECT count(*) FROM app_logs")).isEqualTo(1);
            assertThat(partitions(c)).hasSize(3 + 1 + 1 + 1);
        }
    }

    private static String setting(Connection c, String name) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> partitions(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(LogSql.LIST_PARTITIONS)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void fourWritersAndLateRowsWhileRetentionRunsLoseNothingInTheWindow() throws Exception {
        int retention = 3;
        int ahead = 1;
        // A writer queued behind the maintenance's DDL waits at most its lock timeout; the batch
        // latency budget is five of them, the rest being a shared machine's (both scaled).
        long lockTimeoutMs = TestTime.scaledMillis(200);
        long budgetMicros = 5 * lockTimeoutMs * 1000;
        LogPartitions p = new LogPartitions(retention, ahead, lockTimeoutMs);
        AtomicReference<Instant> clock = new AtomicReference<>(T0);
        try (Connection c = TestServices.postgres(db.name())) {
            p.run(c, clock.get());
        }
        Map<LocalDate, AtomicLong> written = new ConcurrentHashMap<>();
        AtomicLong deadLettered = new AtomicLong();
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            writers.add(
                    pool.submit(
                            () -> {
                                Random random = new Random(seed);
                                try (Connection c = TestServices.postgres(db.name());
                                        PreparedStatement ps = c.prepareStatement(LogSql.INSERT)) {
                                    while (!stop.get()) {
                                        Instant now = clock.get();
                                        List<Instant> kept = new ArrayList<>();
                                        for (int k = 0; k < 100; k++) {
                                            // 10 % late rows, up to a week old.
                                            long back =
                                                    random.nextDouble() < 0.1
                                                            ? random.nextInt(7 * 86_400)
                                                            : random.nextInt(86_400);
                                            Instant at = now.minusSeconds(back);
                                            if (LogPartitions.route(at, now, retention, ahead)
                                                    != Route.KEEP) {
                                                deadLettered.incrementAndGet();
                                                continue;
                                            }
                                            ps.setTimestamp(1, Timestamp.from(at));
                                            ps.setString(2, "svc" + seed);
                                            ps.setString(3, "INFO");
                                            ps.setString(4, "row");
                                            ps.addBatch();
                                            kept.add(at);
                                        }
                                        long start = System.nanoTime();
                                        ps.executeBatch();
                                        latenciesMicros.add((System.nanoTime() - start) / 1000);
                                        for (Instant at : kept) {
                                            written.computeIfAbsent(
                                                            LocalDate.ofInstant(at, ZoneOffset.UTC),
                                                            d -> new AtomicLong())
                                                    .incrementAndGet();
                                        }
                                    }
                                }
                                return null;
                            }));
        }
        int dropped = 0;
        try (Connection c = TestServices.postgres(db.name())) {
            // Ten simulated days; each maintenance run happens while the writers insert.
            for (int day = 1; day <= 10; day++) {
                long before = latenciesMicros.size();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> latenciesMicros.size() >= before + 8);
                clock.set(T0.plus(Duration.ofDays(day)));
                dropped += p.run(c, clock.get()).dropped();
            }
        }
        stop.set(true);
        for (Future<?> f : writers) {
            f.get(30, TimeUnit.SECONDS); // a writer error fails here
        }
        pool.shutdown();

        List<Long> sorted = new ArrayList<>(latenciesMicros);
        Collections.sort(sorted);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        assertThat(p99)
                .as("p99 batch insert latency (µs), budget five lock timeouts")
                .isLessThan(budgetMicros);
        assertThat(dropped).isGreaterThanOrEqualTo(8);
        assertThat(deadLettered.get()).isPositive();

        try (Connection c = TestServices.postgres(db.name())) {
            Report last = p.run(c, clock.get());
            for (LocalDate d : p.wantedDays(clock.get())) {
                long expected = written.getOrDefault(d, new AtomicLong()).get();
                long stored =
                        count(
                                c,
                                "SELECT count(*) FROM app_logs WHERE logged_at >= '"
                                        + d
                                        + " 00:00:00+00' AND logged_at < '"
                                        + d.plusDays(1)
                                        + " 00:00:00+00'");
                assertThat(stored).as("rows of %s", d).isEqualTo(expected);
            }
            // Bounded: only the window's partitions (plus default) remain, nothing older.
            assertThat(partitions(c)).hasSize(retention + 1 + ahead + 1);
            assertThat(last.defaultRows()).isZero();
            assertThat(
                            count(
                                    c,
                                    "SELECT count(*) FROM app_logs WHERE logged_at < '"
                                            + LogPartitions.boundary(clock.get(), retention)
                                            + "'"))
                    .isZero();
        }
    }

    /** Whether some session waits for a lock on app_logs of this schema (the detach, here). */
    private boolean detachWaiting(Connection probe) throws Exception {
        try (PreparedStatement ps =
                probe.prepareStatement(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class r ON r.oid = l.relation"
                                + " WHERE NOT l.granted AND r.relname = 'app_logs'"
                                + " AND r.relnamespace = ?::regnamespace")) {
            ps.setString(1, db.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Test
    void aLongReaderDelaysTheDetachWithinTheRunButNeverQueuesWritersLongerThanTheLockTimeout()
            throws Exception {
        long lockTimeoutMs = TestTime.scaledMillis(100);
        // The reader holds app_logs for fifteen lock timeouts; a writer must never wait anything
        // like that long (ordering: its longest wait is under two thirds of the hold).
        long holdNanos = 15 * lockTimeoutMs * 1_000_000;
        // Pauses of 100, 200, ... ms (scaled) between attempts: long enough for the probe to see
        // them.
        LogPartitions p = new LogPartitions(3, 0, lockTimeoutMs, 50, lockTimeoutMs);
        try (Connection c = TestServices.postgres(db.name())) {
            p.run(c, T0);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong maxWriteMicros = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection reader = TestServices.postgres(db.name());
                Connection probe = TestServices.postgres(db.name())) {
            // A reader in an open transaction holds ACCESS SHARE on app_logs until it ends.
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM app_logs");
            long heldFrom = System.nanoTime();

            Future<?> writer =
                    pool.submit(
                            () -> {
                                try (Connection c = TestServices.postgres(db.name())) {
                                    while (!stop.get()) {
                                        long t = System.nanoTime();
                                        insert(c, T0);
                                        maxWriteMicros.accumulateAndGet(
                                                (System.nanoTime() - t) / 1000, Math::max);
                                        writes.incrementAndGet();
                                    }
                                }
                                return null;
                            });
            Future<Report> maintenance =
                    pool.submit(
                            () -> {
                                try (Connection c = TestServices.postgres(db.name())) {
                                    return p.run(c, T0.plus(Duration.ofDays(1)));
                                }
                            });
            // Two detach attempts time out behind the reader, and it holds on for the hold.
            for (int attempt = 0; attempt < 2; attempt++) {
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> detachWaiting(probe));
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> !detachWaiting(probe));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> System.nanoTime() - heldFrom > holdNanos);
            assertThat(maintenance).isNotDone();
            reader.commit();

            Report r = maintenance.get(30, TimeUnit.SECONDS);
            assertThat(r.dropped()).isEqualTo(1);
            long before = writes.get();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > before);
            stop.set(true);
            writer.get(30, TimeUnit.SECONDS);
            // The reader held app_logs for the hold; a writer queued behind the waiting detach
            // waited at most the lock timeout (plus a loaded machine's scheduling), far less.
            assertThat(maxWriteMicros.get())
                    .as("longest insert (µs) while the reader held app_logs")
                    .isLessThan(holdNanos / 1000 * 2 / 3);
            assertThat(partitions(probe))
                    .doesNotContain(LogSql.partition(LocalDate.of(2026, 11, 24)));
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }
}
