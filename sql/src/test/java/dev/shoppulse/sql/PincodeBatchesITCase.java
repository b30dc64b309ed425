package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.PincodeBatches.Method;
import dev.shoppulse.sql.PincodeBatches.Outcome;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batch statement against the real PostgreSQL, one contract for both ways of feeding it (unnest
 * arrays, COPY into a temporary table): guards, outcomes, concurrent replays, and the size-based
 * choice between them.
 */
@Timeout(120)
class PincodeBatchesITCase {
    private final List<String> schemas = new ArrayList<>();

    @AfterEach
    void dropSchemas() {
        schemas.forEach(TestServices::dropSchema);
    }

    private String migratedSchema() {
        String schema = TestServices.uniqueId("pin");
        schemas.add(schema);
        TestServices.createSchema(schema);
        Migrations.apply(TestServices.postgresUrl(), TestServices.postgresUser(), null, schema);
        return schema;
    }

    private static void insertUsers(Connection c, List<String> emails) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            Array a = c.createArrayOf("text", emails.toArray(new String[0]));
            ps.setArray(1, a);
            ps.executeUpdate();
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

    @ParameterizedTest
    @EnumSource(Method.class)
    void outcomesAndTheLastWriterWinsGuard(Method method) throws Exception {
        String schema = migratedSchema();
        try (Connection c = TestServices.postgres(schema)) {
            insertUsers(c, List.of("Asha@Example.in", "ravi@example.in"));
            Instant t = Instant.parse("2026-11-01T10:00:00Z");
            List<Outcome> first =
                    apply(
                            c,
                            method,
                            List.of(
                                    new PincodeUpdate("ASHA@example.in", "560001", t),
                                    new PincodeUpdate(
                                            "asha@example.in", "110001", t.minusSeconds(5)),
                                    new PincodeUpdate("nobody@example.in", "400001", t)));
            assertThat(first).containsExactly(Outcome.UPDATED, Outcome.STALE, Outcome.UNKNOWN);

            // Older than stored, or the very same update again: nothing changes; newer: applied.
            assertThat(
                            apply(
                                    c,
                                    method,
                                    List.of(
                                            new PincodeUpdate(
                                                    "asha@example.in", "110001", t.minusSeconds(1)),
                                            new PincodeUpdate("asha@example.in", "560001", t))))
                    .containsExactly(Outcome.STALE, Outcome.STALE);
            assertThat(apply(c, method, List.of(new PincodeUpdate("asha@example.in", "560001", t))))
                    .containsExactly(Outcome.STALE);
            assertThat(
                            apply(
                                    c,
                                    method,
                                    List.of(
                                            new PincodeUpdate(
                                                    "ravi@example.in",
                                                    "600001",
                                                    t.plusSeconds(1)))))
                    .containsExactly(Outcome.UPDATED);
            assertThat(snapshot(c))
                    .containsExactly(
                            "Asha@Example.in|560001|2026-11-01 10:00:00+00",
                            "ravi@example.in|600001|2026-11-01 10:00:01+00");
        }
    }

    private static List<Outcome> apply(Connection c, Method method, List<PincodeUpdate> batch)
            throws Exception {
        return PincodeBatches.apply(c, batch, method);
    }

    @Test
    void sameBatchReplayedThreeTimesFromFourThreadsBothWaysEqualsApplyingItOnce() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int k = 0; k < 3000; k++) {
            emails.add("user" + k + "@example.in");
        }
        Random random = new Random(42);
        List<PincodeUpdate> batch = new ArrayList<>();
        for (int k = 0; k < 5000; k++) {
            // Some emails twice or more (last writer wins inside the batch), some unknown.
            int who = random.nextInt(3300);
            batch.add(
                    new PincodeUpdate(
                            "User" + who + "@Example.in",
                            String.valueOf(100000 + random.nextInt(899999)),
                            Instant.ofEpochSecond(1_700_000_000L + random.nextInt(50))));
        }

        String once = migratedSchema();
        List<String> expected;
        try (Connection c = TestServices.postgres(once)) {
            insertUsers(c, emails);
            PincodeBatches.apply(c, batch);
            expected = snapshot(c);
        }

        String replayed = migratedSchema();
        try (Connection c = TestServices.postgres(replayed)) {
            insertUsers(c, emails);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            // Two threads each way: both lock in user_id order, so they cannot deadlock each other.
            Method method = Method.values()[thread % 2];
            runs.add(
                    pool.submit(
                            () -> {
                                try (Connection c = TestServices.postgres(replayed)) {
                                    start.await();
                                    for (int replay = 0; replay < 3; replay++) {
                                        PincodeBatches.apply(c, batch, method);
                                    }
                                }
                                return null;
                            }));
        }
        start.countDown();
        for (Future<?> f : runs) {
            f.get(100, TimeUnit.SECONDS); // rethrows any error, e.g. a deadlock
        }
        pool.shutdown();
        try (Connection c = TestServices.postgres(replayed)) {
            assertThat(snapshot(c)).isEqualTo(expected);
        }
        assertThat(expected).anyMatch(r -> !r.endsWith("|null|null"));
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void emailsWithQuotesAndCommasRoundTrip(Method method) throws Exception {
        String schema = migratedSchema();
        try (Connection c = TestServices.postgres(schema)) {
            String odd = "o\"brien,\\x'y@example.in";
            insertUsers(c, List.of(odd));
            Instant t = Instant.parse("2026-11-01T10:00:00Z");
            assertThat(apply(c, method, List.of(new PincodeUpdate(odd, "560001", t))))
                    .containsExactly(Outcome.UPDATED);
            assertThat(snapshot(c)).containsExactly(odd + "|560001|2026-11-01 10:00:00+00");
        }
    }

    @Test
    void copyRunsTwiceInTheCallersOwnTransaction() throws Exception {
        String schema = migratedSchema();
        try (Connection c = TestServices.postgres(schema)) {
            insertUsers(c, List.of("a@x.in", "b@x.in"));
            Instant t = Instant.parse("2026-11-01T10:00:00Z");
            c.setAutoCommit(false);
            assertThat(apply(c, Method.COPY, List.of(new PincodeUpdate("a@x.in", "560001", t))))
                    .containsExactly(Outcome.UPDATED);
            // The first batch's stage is gone, so the second can stage its own.
            assertThat(apply(c, Method.COPY, List.of(new PincodeUpdate("b@x.in", "110001", t))))
                    .containsExactly(Outcome.UPDATED);
            assertThat(c.getAutoCommit()).isFalse();
            c.rollback();
            c.setAutoCommit(true);
            assertThat(snapshot(c)).containsExactly("a@x.in|null|null", "b@x.in|null|null");
        }
    }

    @Test
    void theWayIsChosenByTheNumberOfDistinctEmails() throws Exception {
        String schema = migratedSchema();
        try (Connection c = TestServices.postgres(schema)) {
            insertUsers(c, List.of("a@x.in", "b@x.in", "c@x.in"));
            Instant t = Instant.parse("2026-11-01T10:00:00Z");
            List<PincodeUpdate> twoEmails =
                    List.of(
                            new PincodeUpdate("a@x.in", "560001", t),
                            new PincodeUpdate("A@x.in", "560002", t),
                            new PincodeUpdate("b@x.in", "560001", t));
            PincodeBatches.Applied small = PincodeBatches.apply(c, twoEmails, 3);
            assertThat(small.method()).isEqualTo(Method.UNNEST);
            assertThat(small.outcomes())
                    .containsExactly(Outcome.STALE, Outcome.UPDATED, Outcome.UPDATED);

            List<PincodeUpdate> threeEmails =
                    List.of(
                            new PincodeUpdate("a@x.in", "560003", t.plusSeconds(1)),
                            new PincodeUpdate("b@x.in", "560001", t),
                            new PincodeUpdate("nobody@x.in", "560001", t));
            PincodeBatches.Applied large = PincodeBatches.apply(c, threeEmails, 3);
            assertThat(large.method()).isEqualTo(Method.COPY);
            assertThat(large.outcomes())
                    .containsExactly(Outcome.UPDATED, Outcome.STALE, Outcome.UNKNOWN);
            assertThat(PincodeBatches.apply(c, threeEmails, 0).method()).isEqualTo(Method.COPY);
            assertThat(PincodeBatches.apply(c, threeEmails, Integer.MAX_VALUE).method())
                    .isEqualTo(Method.UNNEST);
            assertThat(snapshot(c))
                    .containsExactly(
                            "a@x.in|560003|2026-11-01 10:00:01+00",
                            "b@x.in|560001|2026-11-01 10:00:00+00",
                            "c@x.in|null|null");
        }
    }
}
