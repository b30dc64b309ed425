package dev.shoppulse.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The day-partition maintenance of {@code app_logs}: creates the partitions of the kept window and
 * the days ahead, detaches and drops whole days past the retention, and keeps the default partition
 * empty. Idempotent (run it as often as you like; concurrent runs skip via an advisory lock) and
 * safe under concurrent inserts: DDL that needs a strong lock runs with a short {@code
 * lock_timeout} and is retried on the next run rather than queueing writers behind it.
 *
 * <p>Why not pg_partman: it is the reference design, but it is an extension users must install (a
 * Debian package plus {@code CREATE EXTENSION}, often with superuser) and its background worker or
 * {@code pg_cron} for scheduling; this routine is ~150 lines of plain SQL, runs on any PostgreSQL
 * 12+, and is tested here.
 */
public final class LogPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(LogPartitions.class);

    /** What one run did. */
    public record Report(
            boolean ran,
            int created,
            int dropped,
            long movedFromDefault,
            long purgedFromDefault,
            long defaultRows) {}

    /** Detach attempts per retired day within one run. */
    public static final int DETACH_ATTEMPTS = 10;

    /** Pause after the n-th timed-out detach: n times this, so writers drain in between. */
    public static final long DETACH_PAUSE_MS = 100;

    private final int retentionDays;
    private final int aheadDays;
    private final long lockTimeoutMs;
    private final int detachAttempts;
    private final long detachPauseMs;

    public LogPartitions(int retentionDays, int aheadDays, long lockTimeoutMs) {
        this(retentionDays, aheadDays, lockTimeoutMs, DETACH_ATTEMPTS, DETACH_PAUSE_MS);
    }

    public LogPartitions(
            int retentionDays,
            int aheadDays,
            long lockTimeoutMs,
            int detachAttempts,
            long detachPauseMs) {
        if (retentionDays < 1 || aheadDays < 0) {
            throw new IllegalArgumentException("retention must be >= 1 day, ahead >= 0 days");
        }
        if (lockTimeoutMs < 1 || detachAttempts < 1 || detachPauseMs < 0) {
            throw new IllegalArgumentException(
                    "lock timeout must be >= 1 ms (0 would wait for ever), attempts >= 1, pause"
                            + " >= 0");
        }
        this.retentionDays = retentionDays;
        this.aheadDays = aheadDays;
        this.lockTimeoutMs = lockTimeoutMs;
        this.detachAttempts = detachAttempts;
        this.detachPauseMs = detachPauseMs;
    }

    /** Where a row goes, decided before it is inserted. */
    public enum Route {
        /** Inside the kept window: insert. */
        KEEP,
        /** Older than the retention: its partition is gone or about to go; dead-letter it. */
        RETIRED,
        /** Beyond the pre-created days: it would land in the default partition; dead-letter it. */
        TOO_FAR_AHEAD
    }

    /** Routes a row by its timestamp against the window at {@code now}. */
    public static Route route(Instant loggedAt, Instant now, int retentionDays, int aheadDays) {
        if (loggedAt.isBefore(boundary(now, retentionDays))) {
            return Route.RETIRED;
        }
        if (!loggedAt.isBefore(horizon(now, aheadDays))) {
            return Route.TOO_FAR_AHEAD;
        }
        return Route.KEEP;
    }

    /** The first instant still kept at {@code now}: rows before it are retired. */
    public static Instant boundary(Instant now, int retentionDays) {
        return day(now).minusDays(retentionDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant past the last pre-created day at {@code now}. */
    public static Instant horizon(Instant now, int aheadDays) {
        return day(now).plusDays(aheadDays + 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The days whose partitions should exist at {@code now}, oldest first. */
    public List<LocalDate> wantedDays(Instant now) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate first = day(boundary(now, retentionDays));
        LocalDate last = day(now).plusDays(aheadDays);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /** Whether a partition of {@code day} is entirely past the retention at {@code now}. */
    public boolean retired(LocalDate day, Instant now) {
        return day.plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .compareTo(boundary(now, retentionDays))
                <= 0;
    }

    /** Runs the maintenance once on {@code c} (auto-commit, search_path at the schema). */
    public Report run(Connection c, Instant now) throws SQLException {
        c.setAutoCommit(true);
        if (!query1(c, LogSql.TRY_LOCK)) {
            return new Report(false, 0, 0, 0, 0, -1);
        }
        try {
            exec(c, "SET lock_timeout = " + lockTimeoutMs);
            // The detach holds ACCESS EXCLUSIVE on app_logs until its commit; a synchronous
            // commit would keep writers queued through a WAL flush. Safe to lose in a crash:
            // every step here is redone by the next run, and a writer's own (synchronous)
            // commit flushes the WAL before it, maintenance commits included.
            exec(c, LogSql.ASYNC_COMMIT);
            TreeSet<LocalDate> existing = new TreeSet<>();
            List<String> attached = names(c, LogSql.LIST_PARTITIONS);
            for (String t : attached) {
                LocalDate d = LogSql.dayOf(t);
                if (d != null) {
                    existing.add(d);
                }
            }
            int dropped = 0;
            // A previous run may have stopped between detach and drop.
            for (String t : names(c, LogSql.LIST_DETACHED)) {
                exec(c, LogSql.drop(t));
                dropped++;
            }
            int created = 0;
            long moved = 0;
            for (LocalDate d : wantedDays(now)) {
                if (!existing.contains(d)) {
                    Long m = createDay(c, d);
                    if (m != null) {
                        created++;
                        moved += m;
                    }
                }
            }
            for (LocalDate d : existing) {
                if (retired(d, now) && dropDay(c, d)) {
                    dropped++;
                }
            }
            long purged;
            try (PreparedStatement ps = c.prepareStatement(LogSql.PURGE_DEFAULT)) {
                ps.setTimestamp(1, Timestamp.from(boundary(now, retentionDays)));
                purged = ps.executeUpdate();
            }
            long defaultRows = count(c, LogSql.COUNT_DEFAULT);
            if (defaultRows > 0) {
                LOG.warn(
                        "app_logs_default holds {} rows (no day partition for them yet); the next"
                                + " maintenance run moves them",
                        defaultRows);
            }
            return new Report(true, created, dropped, moved, purged, defaultRows);
        } finally {
            exec(c, "RESET lock_timeout");
            exec(c, "RESET synchronous_commit");
            query1(c, LogSql.UNLOCK);
        }
    }

    /** Creates and attaches one day; the rows moved from default, or null when it must wait. */
    private Long createDay(Connection c, LocalDate d) throws SQLException {
        c.setAutoCommit(false);
        try {
            exec(c, LogSql.createDay(d));
            long moved;
            try (Statement st = c.createStatement()) {
                moved = st.executeUpdate(LogSql.moveFromDefault(d));
            }
            // SHARE UPDATE EXCLUSIVE on app_logs: inserts go on; the CHECK skips the scan.
            exec(c, LogSql.attachDay(d));
            c.commit();
            return moved;
        } catch (SQLException e) {
            c.rollback();
            if (isLockTimeout(e)) {
                LOG.info("partition {} not created this run: {}", d, e.getMessage());
                return null;
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Detaches then drops one retired day; false when a lock could not be had in time. */
    private boolean dropDay(Connection c, LocalDate d) throws SQLException {
        String t = LogSql.partition(d);
        for (int attempt = 1; ; attempt++) {
            try {
                // With a DEFAULT partition, PostgreSQL does not allow DETACH CONCURRENTLY; the
                // plain form holds ACCESS EXCLUSIVE for a catalog update only. While it waits for
                // that lock (behind a long reader, say) new inserts queue behind it, so the wait
                // is cut at lock_timeout and tried again after a pause in which they go on.
                exec(c, LogSql.detach(t));
                break;
            } catch (SQLException e) {
                if (!isLockTimeout(e)) {
                    throw e;
                }
                if (attempt >= detachAttempts || !pause(detachPauseMs * attempt)) {
                    LOG.info(
                            "partition {} not detached this run ({} attempts): {}",
                            t,
                            attempt,
                            e.getMessage());
                    return false;
                }
            }
        }
        // ACCESS EXCLUSIVE on the detached table only: writers of app_logs no longer see it.
        exec(c, LogSql.drop(t));
        return true;
    }

    /** False when interrupted (the interrupt is kept): the run stops trying. */
    private static boolean pause(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static boolean query1(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> names(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
