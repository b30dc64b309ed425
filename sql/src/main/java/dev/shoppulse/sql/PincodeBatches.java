package dev.shoppulse.sql;

import dev.shoppulse.common.events.PincodeUpdate;
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

/**
 * Applies a batch of pincode updates with {@link PincodeSql#UPDATE_BATCH}: last writer wins inside
 * the batch, one statement and one round trip for the whole batch, and a per-email outcome back.
 * The job, the API and the benchmark all write through here.
 */
public final class PincodeBatches {
    private PincodeBatches() {}

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

    private static Map<String, Outcome> execute(Connection c, List<PincodeUpdate> unique)
            throws SQLException {
        Map<String, Outcome> byEmail = new HashMap<>();
        String[][] a = arrays(unique);
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.UPDATE_BATCH)) {
            ps.setArray(1, c.createArrayOf("text", a[0]));
            ps.setArray(2, c.createArrayOf("text", a[1]));
            ps.setArray(3, c.createArrayOf("text", a[2]));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Outcome o =
                            rs.getBoolean("updated")
                                    ? Outcome.UPDATED
                                    : rs.getBoolean("known") ? Outcome.STALE : Outcome.UNKNOWN;
                    byEmail.put(rs.getString("email"), o);
                }
            }
        }
        return byEmail;
    }

    /**
     * Writes the batch in one statement (in its own transaction when {@code c} is in auto-commit)
     * and returns the outcome of every update given, in the order given.
     */
    public static List<Outcome> apply(Connection c, List<PincodeUpdate> updates)
            throws SQLException {
        List<PincodeUpdate> unique = lastWriterWins(updates);
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
                }
                byEmail = execute(c, unique);
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
