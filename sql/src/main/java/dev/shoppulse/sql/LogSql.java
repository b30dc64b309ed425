package dev.shoppulse.sql;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * The statements behind {@code app_logs}: the batched insert, and the DDL the partition maintenance
 * ({@link LogPartitions}) issues for one day.
 */
public final class LogSql {
    private LogSql() {}

    static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    /** Parameters: logged_at, service, level, message. */
    public static final String INSERT =
            "INSERT INTO app_logs (logged_at, service, level, message) VALUES (?, ?, ?, ?)";

    /**
     * The job's idempotent insert: a row whose Kafka position is already stored is skipped, so
     * replays after a restart add nothing. Parameters: logged_at, service, level, message,
     * source_partition, source_offset.
     */
    public static final String INSERT_SOURCED =
            "INSERT INTO app_logs (logged_at, service, level, message, source_partition,"
                    + " source_offset) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** The partition table of a day, e.g. {@code app_logs_20261127}. */
    public static String partition(LocalDate day) {
        return "app_logs_" + SUFFIX.format(day);
    }

    /** The day of a partition name made by {@link #partition}, or null for any other name. */
    public static LocalDate dayOf(String table) {
        if (!table.matches("app_logs_\\d{8}")) {
            return null;
        }
        return LocalDate.parse(table.substring("app_logs_".length()), SUFFIX);
    }

    static String bound(LocalDate day) {
        return "'" + day + " 00:00:00+00'";
    }

    /**
     * A stand-alone table shaped like app_logs, with the CHECK constraint of its range so that
     * ATTACH PARTITION can skip the validation scan.
     */
    public static String createDay(LocalDate day) {
        String t = partition(day);
        return "CREATE TABLE "
                + t
                + " (LIKE app_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT "
                + t
                + "_range CHECK (logged_at >= "
                + bound(day)
                + " AND logged_at < "
                + bound(day.plusDays(1))
                + "))";
    }

    /** Moves rows of that day that fell into the default partition into the new table. */
    public static String moveFromDefault(LocalDate day) {
        return "WITH moved AS (DELETE FROM app_logs_default WHERE logged_at >= "
                + bound(day)
                + " AND logged_at < "
                + bound(day.plusDays(1))
                + " RETURNING *) INSERT INTO "
                + partition(day)
                + " SELECT * FROM moved";
    }

    public static String attachDay(LocalDate day) {
        return "ALTER TABLE app_logs ATTACH PARTITION "
                + partition(day)
                + " FOR VALUES FROM ("
                + bound(day)
                + ") TO ("
                + bound(day.plusDays(1))
                + ")";
    }

    public static String detach(String table) {
        return "ALTER TABLE app_logs DETACH PARTITION " + table;
    }

    public static String drop(String table) {
        return "DROP TABLE IF EXISTS " + table;
    }

    /** The day partitions attached to app_logs in the current schema. */
    public static final String LIST_PARTITIONS =
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'app_logs'::regclass";

    /** Left-over detached day tables (a run that stopped between detach and drop). */
    public static final String LIST_DETACHED =
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r'"
                    + " AND c.relnamespace = current_schema()::regnamespace"
                    + " AND c.relname ~ '^app_logs_[0-9]{8}$'"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)";

    /** Retired rows that slipped into the default partition. Parameter: the boundary. */
    public static final String PURGE_DEFAULT = "DELETE FROM app_logs_default WHERE logged_at < ?";

    public static final String COUNT_DEFAULT = "SELECT count(*) FROM app_logs_default";

    /** The maintenance session's commits; see LogPartitions#run for why. */
    public static final String ASYNC_COMMIT = "SET synchronous_commit = off";

    /** Serialises maintainers (one per database schema) without blocking anyone else. */
    public static final String TRY_LOCK =
            "SELECT pg_try_advisory_lock(hashtext(current_schema() || '.app_logs'))";

    public static final String UNLOCK =
            "SELECT pg_advisory_unlock(hashtext(current_schema() || '.app_logs'))";
}
