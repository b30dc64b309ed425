package dev.shoppulse.sql;

/**
 * The statements that write users' pincodes: ShopPulse's one-statement-per-batch update and, for
 * the benchmark's same-run comparison, the per-row and COPY alternatives.
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
     * One statement for a whole batch. Parameters: emails {@code text[]} (lower-cased, unique),
     * pincodes {@code text[]}, occurred_at {@code text[]} of ISO-8601 instants, all the same
     * length. Returns one row per input email: {@code email, updated, known}.
     *
     * <p>{@code locked} takes the row locks in user_id order ({@code ORDER BY ... FOR UPDATE} locks
     * after sorting), so two batches touching overlapping users always lock in the same order and
     * cannot deadlock, whatever join plan they get. Rows already newer are neither locked nor
     * written. The UPDATE finds the locked rows again by {@code ctid}: the lock returns the row's
     * current version and nobody else can create a newer one before this transaction ends, so the
     * ctid is exact, and a TID lookup per row is the cheapest join there is (joining on user_id let
     * the planner pick a merge join over the whole primary key). {@code known} is looked up only
     * for rows that were not updated.
     */
    public static final String UPDATE_BATCH =
            "WITH i AS ("
                    + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[]::timestamptz[])"
                    + " AS t(email, pincode, occurred_at)),"
                    + " locked AS ("
                    + " SELECT u.ctid AS tid, i.email, i.pincode, i.occurred_at"
                    + " FROM i JOIN users u ON lower(u.email) = i.email"
                    + " WHERE "
                    + NEWER
                    + " ORDER BY u.user_id FOR UPDATE OF u),"
                    + " updated AS ("
                    + " UPDATE users u SET pincode = i.pincode, pincode_updated_at = i.occurred_at"
                    + " FROM locked i WHERE u.ctid = i.tid AND "
                    + NEWER
                    + " RETURNING i.email)"
                    + " SELECT i.email, (up.email IS NOT NULL) AS updated,"
                    + " CASE WHEN up.email IS NOT NULL THEN true"
                    + " ELSE EXISTS (SELECT 1 FROM users k WHERE lower(k.email) = i.email) END"
                    + " AS known"
                    + " FROM i LEFT JOIN updated up ON up.email = i.email";

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

    /** Run before {@link #UPDATE_BATCH} in its transaction; see PincodeBatches for why. */
    public static final String NO_JIT = "SET LOCAL jit = off";

    /** Staging table for the COPY variant; dropped at commit. */
    public static final String COPY_STAGE =
            "CREATE TEMP TABLE pincode_stage (email text, pincode text, occurred_at timestamptz)"
                    + " ON COMMIT DROP";

    public static final String COPY_IN =
            "COPY pincode_stage (email, pincode, occurred_at) FROM STDIN WITH (FORMAT csv)";

    /** The COPY variant's set-based update from the staging table, guard included. */
    public static final String UPDATE_FROM_STAGE =
            "UPDATE users u SET pincode = i.pincode, pincode_updated_at = i.occurred_at"
                    + " FROM pincode_stage i WHERE lower(u.email) = i.email AND "
                    + NEWER;

    /** Inserts users for tests, the local run and the benchmark. Parameter: emails text[]. */
    public static final String INSERT_USERS =
            "INSERT INTO users (email) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING";
}
