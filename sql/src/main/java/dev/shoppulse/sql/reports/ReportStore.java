package dev.shoppulse.sql.reports;

import dev.shoppulse.common.reports.ReportRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The report state machine in PostgreSQL: every transition is one guarded {@code UPDATE ... WHERE
 * status = <from>} returning the new row (empty when the guard failed), so concurrent or replayed
 * writers cannot move a report backwards; the V8 trigger refuses it even for hand-written SQL.
 */
public final class ReportStore {
    private ReportStore() {}

    private static final String COLUMNS =
            "report_id, owner, type, parameters::text, status, shards, shards_done, version, rows,"
                    + " file, error, created_at, started_at, finished_at, expires_at";

    /** A report to create. */
    public record NewReport(
            String id,
            String owner,
            String type,
            String parametersJson,
            String requestHash,
            String idempotencyKey,
            int shards,
            Instant expiresAt) {}

    /** What {@link #create} did. */
    public sealed interface Created {
        /** A new report was stored. */
        record New(ReportRow row) implements Created {}

        /** The same Idempotency-Key or an identical in-flight request: the existing report. */
        record Existing(ReportRow row) implements Created {}

        /** The Idempotency-Key was used before for a different request. */
        record KeyReused(ReportRow row) implements Created {}

        /** The owner has {@code active} queued or running reports, the most allowed. */
        record OverQuota(int active, ReportRow oldestActive) implements Created {}
    }

    /**
     * Creates a report in one transaction serialised per owner (advisory lock), so the quota and
     * the de-duplication are exact under concurrent requests.
     */
    public static Created create(Connection c, NewReport r, int maxActive) throws SQLException {
        return create(c, r, maxActive, null);
    }

    /**
     * Like {@link #create(Connection, NewReport, int)}, and when a new report is stored, adds
     * {@code request} to the outbox in the same transaction: the report and the record that queues
     * it commit together or not at all.
     */
    public static Created create(
            Connection c, NewReport r, int maxActive, dev.shoppulse.sql.Outbox.Message request)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('report:' || ?))")) {
                ps.setString(1, r.owner());
                ps.execute();
            }
            // An expired report no longer holds its key.
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "DELETE FROM reports WHERE owner = ? AND expires_at <= now()")) {
                ps.setString(1, r.owner());
                ps.executeUpdate();
            }
            Created result = existing(c, r);
            if (result == null) {
                List<ReportRow> active = active(c, r.owner());
                if (active.size() >= maxActive) {
                    result = new Created.OverQuota(active.size(), active.get(0));
                } else {
                    result = new Created.New(insert(c, r));
                    if (request != null) {
                        dev.shoppulse.sql.Outbox.add(c, request);
                    }
                }
            }
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static Created existing(Connection c, NewReport r) throws SQLException {
        if (r.idempotencyKey() != null) {
            Optional<ReportRow> byKey =
                    one(
                            c,
                            "SELECT "
                                    + COLUMNS
                                    + " FROM reports WHERE owner = ? AND idempotency_key = ?",
                            r.owner(),
                            r.idempotencyKey());
            if (byKey.isPresent() && ReportRow.FAILED.equals(byKey.get().status())) {
                // A failed attempt does not hold its key: the caller was told to retry, so the
                // retry is a fresh attempt (the failed row stays visible in the list, keyless).
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE reports SET idempotency_key = NULL WHERE report_id = ?")) {
                    ps.setString(1, byKey.get().id());
                    ps.executeUpdate();
                }
                byKey = Optional.empty();
            }
            if (byKey.isPresent()) {
                String hash = hashOf(c, byKey.get().id());
                return hash.equals(r.requestHash())
                        ? new Created.Existing(byKey.get())
                        : new Created.KeyReused(byKey.get());
            }
        }
        return one(
                        c,
                        "SELECT "
                                + COLUMNS
                                + " FROM reports WHERE owner = ? AND request_hash = ?"
                                + " AND status IN ('QUEUED', 'RUNNING')",
                        r.owner(),
                        r.requestHash())
                .<Created>map(Created.Existing::new)
                .orElse(null);
    }

    private static String hashOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT request_hash FROM reports WHERE report_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<ReportRow> active(Connection c, String owner) throws SQLException {
        return many(
                c,
                "SELECT "
                        + COLUMNS
                        + " FROM reports WHERE owner = ? AND status IN ('QUEUED', 'RUNNING')"
                        + " ORDER BY created_at",
                owner);
    }

    private static ReportRow insert(Connection c, NewReport r) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO reports (report_id, owner, type, parameters, request_hash,"
                                + " idempotency_key, shards, expires_at)"
                                + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING "
                                + COLUMNS)) {
            ps.setString(1, r.id());
            ps.setString(2, r.owner());
            ps.setString(3, r.type());
            ps.setString(4, r.parametersJson());
            ps.setString(5, r.requestHash());
            ps.setString(6, r.idempotencyKey());
            ps.setInt(7, r.shards());
            ps.setTimestamp(8, Timestamp.from(r.expiresAt()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return row(rs);
            }
        }
    }

    /** The report, expired or not (callers decide); empty when unknown. */
    public static Optional<ReportRow> find(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM reports WHERE report_id = ?", id);
    }

    /** The owner's unexpired reports, newest first. */
    public static List<ReportRow> list(Connection c, String owner, int limit) throws SQLException {
        return many(
                c,
                "SELECT "
                        + COLUMNS
                        + " FROM reports WHERE owner = ? AND expires_at > now()"
                        + " ORDER BY created_at DESC, report_id LIMIT "
                        + Math.max(1, limit),
                owner);
    }

    /** QUEUED → RUNNING; empty if it was not queued (already running on a replay, cancelled…). */
    public static Optional<ReportRow> start(Connection c, String id) throws SQLException {
        return one(
                c,
                "UPDATE reports SET status = 'RUNNING', started_at = now(), version = version + 1"
                        + " WHERE report_id = ? AND status = 'QUEUED' RETURNING "
                        + COLUMNS,
                id);
    }

    /**
     * Records a finished shard (idempotent) and moves the running report's progress to the number
     * of finished shards; empty when the report is not running or the shard was already counted.
     */
    public static Optional<ReportRow> shardDone(
            Connection c, String id, java.time.LocalDate day, long rows) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO report_shards (report_id, shard_day, rows) VALUES (?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            ps.setString(1, id);
            ps.setObject(2, day);
            ps.setLong(3, rows);
            ps.executeUpdate();
        }
        return one(
                c,
                "UPDATE reports r SET shards_done = d.n, version = version + 1"
                        + " FROM (SELECT count(*)::int AS n FROM report_shards WHERE report_id = ?) d"
                        + " WHERE r.report_id = ? AND r.status = 'RUNNING' AND r.shards_done < d.n"
                        + " RETURNING "
                        + COLUMNS.replace("report_id", "r.report_id"),
                id,
                id);
    }

    /** The days whose shard already finished: a restarted job skips them. */
    public static List<java.time.LocalDate> finishedShards(Connection c, String id)
            throws SQLException {
        List<java.time.LocalDate> days = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT shard_day FROM report_shards WHERE report_id = ? ORDER BY 1")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(rs.getObject(1, java.time.LocalDate.class));
                }
            }
        }
        return days;
    }

    /** Whether PostgreSQL recorded this shard as finished. */
    public static boolean shardFinished(Connection c, String id, java.time.LocalDate day)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM report_shards WHERE report_id = ? AND shard_day = ?")) {
            ps.setString(1, id);
            ps.setObject(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** RUNNING → SUCCEEDED with the file and its row count. */
    public static Optional<ReportRow> succeed(Connection c, String id, String file, long rows)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE reports SET status = 'SUCCEEDED', shards_done = shards, file = ?,"
                                + " rows = ?, finished_at = now(), version = version + 1"
                                + " WHERE report_id = ? AND status = 'RUNNING' RETURNING "
                                + COLUMNS)) {
            ps.setString(1, file);
            ps.setLong(2, rows);
            ps.setString(3, id);
            return first(ps);
        }
    }

    /** QUEUED or RUNNING → FAILED with the reason. */
    public static Optional<ReportRow> fail(Connection c, String id, String error)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE reports SET status = 'FAILED', error = ?, finished_at = now(),"
                                + " version = version + 1"
                                + " WHERE report_id = ? AND status IN ('QUEUED', 'RUNNING')"
                                + " RETURNING "
                                + COLUMNS)) {
            ps.setString(1, error);
            ps.setString(2, id);
            return first(ps);
        }
    }

    /** QUEUED or RUNNING → CANCELLED, only by the owner. */
    public static Optional<ReportRow> cancel(Connection c, String id, String owner)
            throws SQLException {
        return one(
                c,
                "UPDATE reports SET status = 'CANCELLED', finished_at = now(),"
                        + " version = version + 1 WHERE report_id = ? AND owner = ?"
                        + " AND status IN ('QUEUED', 'RUNNING') RETURNING "
                        + COLUMNS,
                id,
                owner);
    }

    /** Deletes expired reports (their shards cascade); returns their ids, to delete files. */
    public static List<String> deleteExpired(Connection c) throws SQLException {
        return deleteExpired(c, Integer.MAX_VALUE);
    }

    /**
     * Deletes at most {@code limit} expired reports, oldest expiry first (their shards cascade);
     * returns their ids, so the caller deletes their files. Rows another transaction holds are
     * skipped, so sweeps on several instances do not queue behind each other.
     */
    public static List<String> deleteExpired(Connection c, int limit) throws SQLException {
        List<String> files = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement(
                                "DELETE FROM reports WHERE report_id IN (SELECT report_id FROM"
                                        + " reports WHERE expires_at <= now() ORDER BY expires_at"
                                        + " LIMIT "
                                        + Math.max(1, limit)
                                        + " FOR UPDATE SKIP LOCKED) RETURNING report_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    private static Optional<ReportRow> one(Connection c, String sql, String... args)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            return first(ps);
        }
    }

    private static Optional<ReportRow> first(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
    }

    private static List<ReportRow> many(Connection c, String sql, String... args)
            throws SQLException {
        List<ReportRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    private static ReportRow row(ResultSet rs) throws SQLException {
        long rows = rs.getLong(9);
        boolean noRows = rs.wasNull();
        return new ReportRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getInt(7),
                rs.getInt(8),
                noRows ? null : rows,
                rs.getString(10),
                rs.getString(11),
                instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)),
                instant(rs.getTimestamp(14)),
                instant(rs.getTimestamp(15)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
