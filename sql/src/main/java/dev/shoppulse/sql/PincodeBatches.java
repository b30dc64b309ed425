package dev.shoppulse.sql;

import dev.shoppulse.common.events.PincodeUpdate;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * Applies a batch of pincode updates in one guarded statement: last writer wins inside the batch,
 * and a per-email outcome back. The statement's source is chosen by the batch's size ({@link
 * #choose}): three arrays through {@code unnest} (one round trip) below the COPY threshold, a
 * COPY-filled temporary table at or above it (BENCHMARKS.md, bulk-update, has the measurements).
 * The job, the API and the benchmark all write through here.
 */
public final class PincodeBatches {
    private PincodeBatches() {}

    /**
     * The measured crossover (BENCHMARKS.md, bulk-update), the default of {@code
     * pincodes.copy-threshold}.
     */
    public static final int DEFAULT_COPY_THRESHOLD = 10_000;

    /** How a batch reaches the statement. */
    public enum Method {
        /** {@link PincodeSql#UPDATE_BATCH}: the batch as three array parameters. */
        UNNEST,
        /**
         * {@link PincodeSql#COPY_IN} into a temporary table, then {@link PincodeSql#UPDATE_STAGED}.
         */
        COPY
    }

    /** The outcome of every update given, in the order given, and the way the batch was written. */
    public record Applied(List<Outcome> outcomes, Method method) {}

    /**
     * The way to write {@code uniqueEmails} rows: COPY from {@code copyThreshold} rows on, unnest
     * below it (so 0 means always COPY, {@link Integer#MAX_VALUE} never).
     */
    public static Method choose(int uniqueEmails, int copyThreshold) {
        if (copyThreshold < 0) {
            throw new IllegalArgumentException(
                    "pincodes.copy-threshold must be >= 0, was " + copyThreshold);
        }
        return uniqueEmails >= copyThreshold ? Method.COPY : Method.UNNEST;
    }

    /** What happened to one update. */
    public enum Outcome {
        /** The user's pincode is now this update's. */
        UPDATED,
        /** The user already had a newer (or the same) update, or a newer one won in the batch. */
        STALE,
        /** No user has this email. */
        UNKNOWN
    }

    /** The winner per email, sorted by email; the SQL needs unique emails. */
    public static List<PincodeUpdate> lastWriterWins(Collection<PincodeUpdate> updates) {
        TreeMap<String, PincodeUpdate> byEmail = new TreeMap<>();
        for (PincodeUpdate u : updates) {
            byEmail.merge(u.email(), u, (a, b) -> b.winsOver(a) ? b : a);
        }
        return new ArrayList<>(byEmail.values());
    }

    /** The three array parameters of {@link PincodeSql#UPDATE_BATCH}, in order. */
    public static String[][] arrays(List<PincodeUpdate> unique) {
        int n = unique.size();
        String[] emails = new String[n];
        String[] pincodes = new String[n];
        String[] times = new String[n];
        for (int k = 0; k < n; k++) {
            PincodeUpdate u = unique.get(k);
            emails[k] = u.email();
            pincodes[k] = u.pincode();
            times[k] = u.occurredAt().toString();
        }
        return new String[][] {emails, pincodes, times};
    }

    /**
     * The staged rows as CSV: every email quoted (the event allows any character but NUL, which
     * PostgreSQL rejects here exactly as in the array parameters: a data error, so the caller
     * splits the batch); pincodes are digits; instants ISO-8601, as in the arrays.
     */
    static String csv(List<PincodeUpdate> unique) {
        StringBuilder csv = new StringBuilder(unique.size() * 56);
        for (PincodeUpdate u : unique) {
            csv.append('"')
                    .append(u.email().replace("\"", "\"\""))
                    .append("\",")
                    .append(u.pincode())
                    .append(',')
                    .append(u.occurredAt())
                    .append('\n');
        }
        return csv.toString();
    }

    /** Runs {@code update} (which returns the emails it updated), then tells the rest apart. */
    private static Map<String, Outcome> outcomes(
            Connection c, List<PincodeUpdate> unique, PreparedStatement update)
            throws SQLException {
        Map<String, Outcome> byEmail = new HashMap<>();
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                byEmail.put(rs.getString(1), Outcome.UPDATED);
            }
        }
        List<String> rest = new ArrayList<>();
        for (PincodeUpdate u : unique) {
            if (!byEmail.containsKey(u.email())) {
                rest.add(u.email());
                byEmail.put(u.email(), Outcome.UNKNOWN);
            }
        }
        if (!rest.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(PincodeSql.KNOWN)) {
                ps.setArray(1, c.createArrayOf("text", rest.toArray(new String[0])));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byEmail.put(rs.getString(1), Outcome.STALE);
                    }
                }
            }
        }
        return byEmail;
    }

    private static Map<String, Outcome> unnest(Connection c, List<PincodeUpdate> unique)
            throws SQLException {
        String[][] a = arrays(unique);
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.UPDATE_BATCH)) {
            ps.setArray(1, c.createArrayOf("text", a[0]));
            ps.setArray(2, c.createArrayOf("text", a[1]));
            ps.setArray(3, c.createArrayOf("text", a[2]));
            return outcomes(c, unique, ps);
        }
    }

    private static Map<String, Outcome> copy(
            Connection c, List<PincodeUpdate> unique, boolean ownTransaction) throws SQLException {
        if (!ownTransaction) {
            // In the caller's transaction an earlier batch's stage would still exist.
            exec(c, PincodeSql.DROP_STAGE);
        }
        exec(c, PincodeSql.COPY_STAGE);
        try {
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(PincodeSql.COPY_IN, new StringReader(csv(unique)));
        } catch (IOException e) {
            // Only the StringReader could throw it, and it does not.
            throw new SQLException("staging the pincode batch failed", e);
        }
        Map<String, Outcome> byEmail;
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.UPDATE_STAGED)) {
            byEmail = outcomes(c, unique, ps);
        }
        if (!ownTransaction) {
            exec(c, PincodeSql.DROP_STAGE);
        }
        return byEmail;
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * Writes the batch the way {@link #DEFAULT_COPY_THRESHOLD} chooses and returns the outcome of
     * every update given, in the order given.
     */
    public static List<Outcome> apply(Connection c, List<PincodeUpdate> updates)
            throws SQLException {
        return apply(c, updates, DEFAULT_COPY_THRESHOLD).outcomes();
    }

    /** Writes the batch the way {@link #choose} picks for its number of distinct emails. */
    public static Applied apply(Connection c, List<PincodeUpdate> updates, int copyThreshold)
            throws SQLException {
        List<PincodeUpdate> unique = lastWriterWins(updates);
        Method method = choose(unique.size(), copyThreshold);
        return new Applied(write(c, updates, unique, method), method);
    }

    /**
     * Writes the batch in one statement fed by {@code method} (in its own transaction when {@code
     * c} is in auto-commit) and returns the outcome of every update given, in the order given.
     */
    public static List<Outcome> apply(Connection c, List<PincodeUpdate> updates, Method method)
            throws SQLException {
        return write(c, updates, lastWriterWins(updates), method);
    }

    private static List<Outcome> write(
            Connection c, List<PincodeUpdate> updates, List<PincodeUpdate> unique, Method method)
            throws SQLException {
        Map<String, Outcome> byEmail = new HashMap<>();
        if (!unique.isEmpty()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement st = c.createStatement()) {
                    // From ~10K rows the planner's estimate crosses jit_above_cost and LLVM
                    // compiles the plan at -O3, which costs more than running it (measured: 711
                    // vs 257 ms for 10K rows). Scoped to this transaction only.
                    st.execute(PincodeSql.NO_JIT);
                    for (String setting : PincodeSql.PLAN) {
                        st.execute(setting);
                    }
                }
                byEmail = method == Method.COPY ? copy(c, unique, auto) : unnest(c, unique);
                if (auto) {
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (auto) {
                    c.rollback();
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        Map<String, PincodeUpdate> winners = new HashMap<>();
        unique.forEach(u -> winners.put(u.email(), u));
        List<Outcome> out = new ArrayList<>(updates.size());
        for (PincodeUpdate u : updates) {
            Outcome o = byEmail.get(u.email());
            // A loser inside the batch was never sent: for an existing user it is stale.
            if (o == Outcome.UPDATED && !winners.get(u.email()).equals(u)) {
                o = Outcome.STALE;
            }
            out.add(o);
        }
        return out;
    }
}
