package dev.shoppulse.jobs.pincodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's writer against the real PostgreSQL, with a COPY threshold that sends every batch one
 * way or the other: the same users end up with the same pincodes and the same unknown emails come
 * out.
 */
@Timeout(120)
class PincodeBatchWriterITCase {
    private ShopPulseConfig config;

    @BeforeEach
    void setUp() {
        String schema = TestServices.uniqueId("pinwriter");
        TestServices.createSchema(schema);
        config =
                ShopPulseConfig.defaults()
                        .with(Settings.POSTGRES_URL, TestServices.postgresUrl())
                        .with(Settings.POSTGRES_USER, TestServices.postgresUser())
                        .with(Settings.POSTGRES_SCHEMA, schema);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() {
        TestServices.dropSchema(config.get(Settings.POSTGRES_SCHEMA));
    }

    private static SourcedPincodeUpdate u(String email, String pin, long second, long offset) {
        return new SourcedPincodeUpdate(
                new PincodeUpdate(email, pin, Instant.ofEpochSecond(1_800_000_000L + second)),
                0,
                offset);
    }

    @ParameterizedTest(name = "copy threshold {0}")
    @ValueSource(ints = {0, Integer.MAX_VALUE})
    void writesBothWaysAlikeAndEmitsUnknownEmails(int copyThreshold) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            ps.setArray(1, c.createArrayOf("text", new String[] {"a@x.in", "b@x.in", "c@x.in"}));
            ps.executeUpdate();
        }
        PincodeBatchWriter writer =
                new PincodeBatchWriter(
                        PostgresSettings.from(config),
                        PincodeUpdateJob.rejections(config),
                        copyThreshold);
        try (OneInputStreamOperatorTestHarness<PincodeBatch, PincodeUpdate> h =
                ProcessFunctionTestHarnesses.forProcessFunction(writer)) {
            h.processElement(
                    PincodeBatch.of(
                            List.of(
                                    u("a@x.in", "560001", 5, 1),
                                    u("b@x.in", "110001", 5, 2),
                                    u("nobody@x.in", "400001", 5, 3))),
                    0);
            // b older than stored (stale), c new, a newer, another unknown.
            h.processElement(
                    PincodeBatch.of(
                            List.of(
                                    u("a@x.in", "560002", 6, 4),
                                    u("b@x.in", "110002", 4, 5),
                                    u("c@x.in", "600001", 1, 6),
                                    u("else@x.in", "400001", 1, 7))),
                    0);
            assertThat(h.extractOutputValues())
                    .extracting(PincodeUpdate::email)
                    .containsExactly("nobody@x.in", "else@x.in");
            assertThat(writer.copyStatements()).isEqualTo(copyThreshold == 0 ? 2 : 0);
        }
        assertThat(users())
                .containsExactly(
                        "a@x.in|560002|2027-01-15 08:00:06+00",
                        "b@x.in|110001|2027-01-15 08:00:05+00",
                        "c@x.in|600001|2027-01-15 08:00:01+00");
    }

    private List<String> users() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT email, pincode, pincode_updated_at FROM users"
                                        + " ORDER BY user_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}
