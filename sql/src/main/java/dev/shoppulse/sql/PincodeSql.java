package dev.shoppulse.sql;

/**
 * The statements that write users' pincodes: one guarded statement per batch, its source either
 * three arrays ({@code unnest}, small batches) or a COPY-filled temporary table (large batches),
 * and, for the benchmark's same-run comparison, the per-row baseline.
 *
 * <p>Every variant carries the same last-writer-wins guard: a row changes only if the incoming
 * {@code (occurred_at, pincode)} is greater than the stored {@code (pincode_updated_at, pincode)},
 * so replays and reordering are harmless.
 */
public final class PincodeSql {
    private PincodeSql() {}

    /** The guard, for a source aliased {@code i} with columns email, pincode, occurred_at. */
    static final String NEWER =
            "(u.pincode_updated_at IS NULL"
                    + " OR (u.pincode_updated_at, u.pincode) < (i.occurred_at, i.pincode))";

    /**
     * The lock step, for a {@code source} relation {@code i} of (email, pincode, occurred_at) with
     * unique emails; {@link #UPDATE_LOCKED} follows it.
     *
     * <p>{@code locked} takes the row locks in user_id order ({@code ORDER BY ... FOR UPDATE} locks
     * after sorting), so two batches touching overlapping users always lock in the same order and
     * cannot deadlock, whatever join plan they get and whichever way each was written. Rows already
     * newer are neither locked nor written. The UPDATE finds the locked rows again by {@code ctid}:
     * the lock returns the row's current version and nobody else can create a newer one before this
     * transaction ends, so the ctid is exact, and a TID lookup per row is the cheapest join there
     * is (joining on user_id let the planner pick a merge join over the whole primary key).
     */
    static String locked(String source) {
        return " locked AS ("
                + " SELECT u.ctid AS tid, i.email, i.pincode, i.occurred_at"
                + " FROM "
                + source
                + " i JOIN users u ON lower(u.email) = i.email"
                + " WHERE "
                + NEWER
                + " ORDER BY u.user_id FOR UPDATE OF u)";
    }

    /** The guarded write of the locked rows; returns the emails it updated. */
    static final String UPDATE_LOCKED =
            " UPDATE users u SET pincode = i.pincode, pincode_updated_at = i.occurred_at"
                    + " FROM locked i WHERE u.ctid = i.tid AND "
                    + NEWER
                    + " RETURNING i.email";

    /**
     * One statement for a whole batch, the batch in three array parameters: emails {@code text[]}
     * (lower-cased, unique), pincodes {@code text[]}, occurred_at {@code text[]} of ISO-8601
     * instants, all the same length. Returns the emails it updated; {@link #KNOWN} tells the rest
     * apart.
     */
    public static final String UPDATE_BATCH =
            "WITH i AS ("
                    + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[]::timestamptz[])"
                    + " AS t(email, pincode, occurred_at)),"
                    + locked("i")
                    + UPDATE_LOCKED;

    /**
     * The baseline "one statement per email", used by the benchmark. Parameters: pincode,
     * occurred_at (timestamptz), email (lower-cased), then occurred_at and pincode again for the
     * guard.
     */
    public static final String UPDATE_ONE =
            "UPDATE users u SET pincode = ?, pincode_updated_at = ?"
                    + " WHERE lower(u.email) = ?"
                    + " AND (u.pincode_updated_at IS NULL"
                    + " OR (u.pincode_updated_at, u.pincode) < (?::timestamptz, ?::text))";

    /** Run before either batch statement in its transaction; see PincodeBatches for why. */
    public static final String NO_JIT = "SET LOCAL jit = off";

    /**
     * The staging table of the COPY way (large batches): private to the session, gone at commit,
     * never WAL-logged.
     */
    public static final String COPY_STAGE =
            "CREATE TEMP TABLE pincode_stage (email text, pincode text, occurred_at timestamptz)"
                    + " ON COMMIT DROP";

    /** Rows of unique, lower-cased emails, in CSV; the batch's data, no parameters. */
    public static final String COPY_IN =
            "COPY pincode_stage (email, pincode, occurred_at) FROM STDIN WITH (FORMAT csv)";

    /**
     * The plan of both batch statements, set in their transaction only: one index probe per batch
     * row and one TID lookup per update. Knowing a batch's real size (a staged table's, or an
     * array's in a custom plan), the planner prices those probes as disk reads and picks hash joins
     * over sequential scans of the whole users table instead (measured on 1 M users: 352 vs ~90 ms
     * at 10 K rows, 1.8 vs 1.1 s at 100 K), and the sort that orders the locks spills to disk at
     * the default work_mem. Nothing in either statement needs a hash or merge join.
     */
    public static final String[] PLAN = {
        "SET LOCAL enable_hashjoin = off",
        "SET LOCAL enable_mergejoin = off",
        "SET LOCAL work_mem = '64MB'"
    };

    /** For a caller's own transaction, where ON COMMIT DROP would come too late for a 2nd batch. */
    public static final String DROP_STAGE = "DROP TABLE IF EXISTS pg_temp.pincode_stage";

    /**
     * The one guarded {@code UPDATE ... FROM} of the staged rows: same guard and lock order as
     * {@link #UPDATE_BATCH}; returns the emails it updated. It does not join its result back to the
     * stage (with hash joins off that join would be a nested loop over both): the caller asks
     * {@link #KNOWN} about the rest.
     */
    public static final String UPDATE_STAGED = "WITH" + locked("pincode_stage") + UPDATE_LOCKED;

    /**
     * Which of the emails (lower-cased) a user has; for the staged emails not updated, so stale and
     * unknown are told apart as in {@link #UPDATE_BATCH}. Parameter: emails {@code text[]}.
     */
    public static final String KNOWN =
            "SELECT e FROM unnest(?::text[]) AS e"
                    + " WHERE EXISTS (SELECT 1 FROM users k WHERE lower(k.email) = e)";

    /** Inserts users for tests, the local run and the benchmark. Parameter: emails text[]. */
    public static final String INSERT_USERS =
            "INSERT INTO users (email) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING";
}
