package dev.shoppulse.jobs.pincodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka → PincodeUpdateJob → PostgreSQL users, unknown emails and DLQ, on a MiniCluster. */
class PincodeUpdateJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(300);

    /**
     * How long an output topic must stay unchanged after the expected records before its count is
     * final: ten checkpoint intervals, each of which could commit a late duplicate.
     */
    private static final Duration QUIET = CHECKPOINT_INTERVAL.multipliedBy(10);

    private final KafkaBroker kafka = KafkaBroker.shared();
    private ShopPulseConfig config;
    private String in;
    private String dlq;
    private String unknown;
    private JobClient job;

    @BeforeEach
    void setUp() {
        config =
                kafka.withFreshTopics(TestServices.isolated(), 2, PincodesCapability.JOB)
                        .with(PincodesCapability.PINCODES_BATCH_SIZE, 50)
                        .with(PincodesCapability.PINCODES_BATCH_INTERVAL, "100ms")
                        .with(Settings.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL.toMillis() + "ms");
        in = config.topic(PincodesCapability.PINCODE_UPDATES);
        dlq = config.topic(PincodesCapability.PINCODE_UPDATES_DLQ);
        unknown = config.topic(PincodesCapability.PINCODE_UPDATES_UNKNOWN);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config);
    }

    @Test
    @Timeout(120)
    void updatesUsersReportsUnknownEmailsAndDeadLettersInvalidInput() throws Exception {
        String schema = config.get(Settings.POSTGRES_SCHEMA);
        try (Connection c = TestServices.postgres(schema);
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            String[] emails = new String[200];
            for (int k = 0; k < emails.length; k++) {
                emails[k] = "User" + k + "@Example.in";
            }
            ps.setArray(1, c.createArrayOf("text", emails));
            ps.executeUpdate();
        }

        Map<String, String> expected = new HashMap<>();
        Instant t0 = Instant.parse("2026-11-27T10:00:00Z");
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (int k = 0; k < 200; k++) {
                String email = "user" + k + "@example.in";
                String newer = String.valueOf(110000 + k);
                String older = String.valueOf(220000 + k);
                // The newer one first: the older one arriving later must not win.
                send(p, new PincodeUpdate(email, newer, t0.plusSeconds(k + 10)));
                send(p, new PincodeUpdate(email.toUpperCase(), older, t0.plusSeconds(k)));
                expected.put(email, newer);
            }
            send(p, new PincodeUpdate("ghost@example.in", "560001", t0));
            p.send(
                    raw(
                            "{\"email\":\"user1@example.in\",\"pincode\":\"012345\",\"occurredAt\":\"2026-11-27T10:00:00Z\"}"));
            p.send(raw("{\"email\":\"user1@example.in\",\"pin"));
            p.flush();
        }

        job = start();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> pincodes(schema).equals(expected));

        List<ConsumerRecord<byte[], byte[]>> unknowns =
                kafka.readCommittedSettled(unknown, 1, QUIET, Duration.ofSeconds(30));
        assertThat(unknowns).hasSize(1);
        assertThat(
                        PincodesCapability.PINCODE_UPDATES_UNKNOWN
                                .codec()
                                .decode(unknowns.get(0).value())
                                .email())
                .isEqualTo("ghost@example.in");

        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.readCommittedSettled(dlq, 2, QUIET, Duration.ofSeconds(30));
        assertThat(dead).hasSize(2);
        List<String> reasons =
                dead.stream().map(r -> decodeDeadLetter(r.value()).reason()).sorted().toList();
        assertThat(reasons.get(0)).contains("pincode");
        assertThat(reasons.get(1)).contains("malformed");
    }

    private static DeadLetter decodeDeadLetter(byte[] bytes) {
        try {
            return PincodesCapability.PINCODE_UPDATES_DLQ.codec().decode(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JobClient start() throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 0);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, PincodesCapability.PINCODE_UPDATES, "it", "pincodes-source");
        PincodeUpdateJob.topology(
                raw,
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "pincodes-it"));
        return env.executeAsync("pincodes-it");
    }

    private void send(KafkaProducer<byte[], byte[]> p, PincodeUpdate u) {
        p.send(
                new ProducerRecord<>(
                        in,
                        u.email().getBytes(StandardCharsets.UTF_8),
                        PincodesCapability.PINCODE_UPDATES.codec().encode(u)));
    }

    private ProducerRecord<byte[], byte[]> raw(String json) {
        return new ProducerRecord<>(in, null, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> pincodes(String schema) throws Exception {
        Map<String, String> m = new HashMap<>();
        try (Connection c = TestServices.postgres(schema);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT lower(email), pincode FROM users WHERE pincode IS NOT NULL")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }
}
