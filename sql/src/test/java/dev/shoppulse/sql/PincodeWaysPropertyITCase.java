package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.PincodeBatches.Method;
import dev.shoppulse.sql.PincodeBatches.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random batches (duplicate emails in any case, unknown emails, updates older than, equal to or
 * newer than what users already have) give the same outcomes and the same table through unnest and
 * through COPY, and both match a model of the last-writer-wins guard written in plain Java.
 */
class PincodeWaysPropertyITCase {
    /** Users 0..8 exist; 9..11 do not. One address needs CSV quoting. */
    private static final int KNOWN = 9;

    private static final int EMAILS = 12;

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final Map<Method, String> schemas = new HashMap<>();

    static String email(int k) {
        return k == 4 ? "o\"brien,x" + k + "@example.in" : "user" + k + "@example.in";
    }

    /** A stored pincode of a user before the batch, or none. */
    record Stored(int user, String pincode, int second) {}

    @BeforeProperty
    void createSchemas() {
        for (Method m : Method.values()) {
            String schema = TestServices.uniqueId("pinprop");
            TestServices.createSchema(schema);
            Migrations.apply(TestServices.postgresUrl(), TestServices.postgresUser(), null, schema);
            schemas.put(m, schema);
        }
    }

    @AfterProperty
    void dropSchemas() {
        schemas.values().forEach(TestServices::dropSchema);
    }

    @Provide
    Arbitrary<List<PincodeUpdate>> batches() {
        Arbitrary<PincodeUpdate> update =
                Combinators.combine(
                                Arbitraries.integers().between(0, EMAILS - 1),
                                Arbitraries.of(true, false),
                                Arbitraries.integers().between(0, 3),
                                Arbitraries.integers().between(0, 4))
                        .as(
                                (who, upper, pin, second) ->
                                        new PincodeUpdate(
                                                upper ? email(who).toUpperCase() : email(who),
                                                String.valueOf(110001 + pin),
                                                T0.plusSeconds(second)));
        return update.list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Stored>> stored() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, KNOWN - 1),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 4))
                .as((user, pin, second) -> new Stored(user, String.valueOf(110001 + pin), second))
                .list()
                .ofMaxSize(KNOWN)
                .uniqueElements(Stored::user);
    }

    @Property(tries = 60)
    void unnestAndCopyAgreeWithTheModel(
            @ForAll("batches") List<PincodeUpdate> batch, @ForAll("stored") List<Stored> before)
            throws Exception {
        Map<Method, List<Outcome>> outcomes = new HashMap<>();
        Map<Method, List<String>> tables = new HashMap<>();
        for (Method m : Method.values()) {
            try (Connection c = TestServices.postgres(schemas.get(m))) {
                reset(c, before);
                outcomes.put(m, PincodeBatches.apply(c, batch, m));
                tables.put(m, snapshot(c));
            }
        }
        assertThat(outcomes.get(Method.COPY)).isEqualTo(outcomes.get(Method.UNNEST));
        assertThat(tables.get(Method.COPY)).isEqualTo(tables.get(Method.UNNEST));
        assertThat(outcomes.get(Method.UNNEST)).isEqualTo(model(batch, before));
    }

    /** The guard, in Java: what each update's outcome must be. */
    static List<Outcome> model(List<PincodeUpdate> batch, List<Stored> before) {
        Map<String, PincodeUpdate> stored = new HashMap<>();
        for (Stored s : before) {
            stored.put(
                    email(s.user()),
                    new PincodeUpdate(email(s.user()), s.pincode(), T0.plusSeconds(s.second())));
        }
        Map<String, PincodeUpdate> winners = new HashMap<>();
        PincodeBatches.lastWriterWins(batch).forEach(w -> winners.put(w.email(), w));
        List<Outcome> out = new ArrayList<>();
        for (PincodeUpdate u : batch) {
            boolean known = false;
            for (int k = 0; k < KNOWN; k++) {
                known |= email(k).equals(u.email());
            }
            PincodeUpdate old = stored.get(u.email());
            if (!known) {
                out.add(Outcome.UNKNOWN);
            } else if (!winners.get(u.email()).equals(u)) {
                out.add(Outcome.STALE);
            } else {
                out.add(old == null || u.winsOver(old) ? Outcome.UPDATED : Outcome.STALE);
            }
        }
        return out;
    }

    private static void reset(Connection c, List<Stored> before) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE users RESTART IDENTITY");
        }
        String[] emails = new String[KNOWN];
        for (int k = 0; k < KNOWN; k++) {
            // Stored in mixed case: the join is on lower(email).
            emails[k] = k % 2 == 0 ? email(k) : email(k).toUpperCase();
        }
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            ps.setArray(1, c.createArrayOf("text", emails));
            ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE users SET pincode = ?, pincode_updated_at = ?"
                                + " WHERE lower(email) = ?")) {
            for (Stored s : before) {
                ps.setString(1, s.pincode());
                ps.setTimestamp(2, Timestamp.from(T0.plusSeconds(s.second())));
                ps.setString(3, email(s.user()));
                ps.executeUpdate();
            }
        }
    }

    private static List<String> snapshot(Connection c) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT email, pincode, pincode_updated_at FROM users ORDER BY"
                                        + " user_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}
