package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guarded JDBC writer against real PostgreSQL: bad rows out, good rows in, no failure. */
class GuardedJdbcWriterITCase {

    record Row(int id, Instant at, String name) {}

    /** Plain insert: a repeated id is an integrity violation, i.e. the row's fault. */
    static final class Rows implements JdbcRows<Row> {
        private final String table;

        Rows(String table) {
            this.table = table;
        }

        @Override
        public String sql() {
            return "INSERT INTO " + table + " (id, at, name) VALUES (?, ?, ?)";
        }

        @Override
        public void bind(PreparedStatement ps, Row r) throws SQLException {
            ps.setInt(1, r.id());
            ps.setTimestamp(2, Timestamp.from(r.at()));
            ps.setString(3, r.name());
        }
    }

    private ShopPulseConfig config;

    @BeforeEach
    void setUp() throws Exception {
        config = TestServices.isolated();
        Migrations.apply(config);
        try (Connection c = db();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE guarded (id int PRIMARY KEY, at timestamptz, name text)");
        }
    }

    @AfterEach
    void tearDown() {
        TestServices.cleanUp(config);
    }

    private Connection db() throws SQLException {
        return TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
    }

    private OneInputStreamOperatorTestHarness<Row, DeadLetter> harness(String table)
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new GuardedJdbcWriter<>(
                                PostgresSettings.from(config),
                                new Rows(table),
                                Rejections.positioned(
                                        "rows",
                                        1000,
                                        r -> r.toString().getBytes(StandardCharsets.UTF_8),
                                        r -> null,
                                        r -> new long[] {0, r.id()}),
                                "write",
                                1000,
                                60_000));
        h.open();
        return h;
    }

    @Test
    @Timeout(60)
    void badRowsAreDeadLetteredAndEveryGoodRowOfTheBatchIsWrittenBeforeTheBarrier()
            throws Exception {
        Instant now = Instant.parse("2026-12-02T00:00:00Z");
        try (var h = harness("guarded")) {
            for (int i = 0; i < 200; i++) {
                String name = i == 37 ? "nul\u0000inside" : "row " + i;
                Instant at = i == 60 ? Instant.parse("+300000-01-01T00:00:00Z") : now;
                h.processElement(new Row(i == 150 ? 10 : i, at, name), 0);
            }
            assertThat(count()).as("buffered until the barrier").isZero();
            h.prepareSnapshotPreBarrier(1);
            assertThat(count()).isEqualTo(197);
            List<DeadLetter> dead = h.extractOutputValues();
            assertThat(dead)
                    .extracting(DeadLetter::offset)
                    .containsExactlyInAnyOrder(37L, 60L, 10L);
            assertThat(dead).allSatisfy(d -> assertThat(d.reason()).isNotBlank());
            assertThat(dead).allSatisfy(d -> assertThat(d.stage()).isEqualTo("write"));
            // One of the two id-10 rows is written, the other is the duplicate.
            assertThat(
                            dead.stream()
                                    .filter(d -> d.offset() == 10L)
                                    .findFirst()
                                    .orElseThrow()
                                    .reason())
                    .contains("duplicate");
        }
    }

    @Test
    @Timeout(60)
    void aMissingTableIsNotTheRowsFaultAndFailsTheTask() throws Exception {
        try (var h = harness("no_such_table")) {
            h.processElement(new Row(1, Instant.now(), "x"), 0);
            assertThatThrownBy(() -> h.prepareSnapshotPreBarrier(1))
                    .isInstanceOf(SQLException.class);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    private long count() throws SQLException {
        try (Connection c = db();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM guarded")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
