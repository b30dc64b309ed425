package dev.shoppulse.jobs.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
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

/** Kafka → LogIngestJob → app_logs partitions, out-of-window rows to the DLQ, on a MiniCluster. */
class LogIngestJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private final KafkaBroker kafka = KafkaBroker.shared();
    private ShopPulseConfig config;
    private String in;
    private String dlq;
    private JobClient job;

    @BeforeEach
    void setUp() {
        config =
                kafka.withFreshTopics(TestServices.isolated(), 2, Topics.LOGS, Topics.LOGS_DLQ)
                        .with(Settings.LOGS_RETENTION, "30d")
                        .with(Settings.LOGS_BATCH_SIZE, 100)
                        .with(Settings.LOGS_BATCH_INTERVAL, "100ms")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        in = config.topic(Topics.LOGS);
        dlq = config.topic(Topics.LOGS_DLQ);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(120)
    void insertsRowsOfTheWindowAndDeadLettersTheRest() throws Exception {
        Instant now = Instant.now();
        assertThat(LogMaintenance.runOnce(config, now).created()).isEqualTo(31 + 3);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (int k = 0; k < 500; k++) {
                send(p, new LogEntry(now.minus(Duration.ofHours(k)), "svc", "INFO", "row " + k));
            }
            send(p, new LogEntry(now.minus(Duration.ofDays(45)), "svc", "WARN", "late"));
            send(p, new LogEntry(now.plus(Duration.ofDays(10)), "svc", "WARN", "early"));
            p.send(
                    new ProducerRecord<>(
                            in, null, "{\"loggedAt\":".getBytes(StandardCharsets.UTF_8)));
            p.flush();
        }
        job = start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> count("SELECT count(*) FROM app_logs") >= 500);
        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.readCommitted(dlq, l -> l.size() >= 3, Duration.ofSeconds(30));
        assertThat(dead).hasSize(3);
        assertThat(count("SELECT count(*) FROM app_logs")).isEqualTo(500);
        assertThat(count("SELECT count(*) FROM app_logs_default")).isZero();
        assertThat(
                        dead.stream()
                                .map(r -> KafkaBroker.text(r.value()))
                                .filter(v -> v.contains("retention"))
                                .count())
                .isEqualTo(2);
    }

    private long count(String sql) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JobClient start() throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 0);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, Topics.LOGS, "it", "logs-source");
        LogIngestJob.topology(
                raw,
                config,
                LogIngestJob.postgresSink(config),
                JobSetup.exactlyOnceSink(config, "logs-it"));
        return env.executeAsync("logs-it");
    }

    private void send(KafkaProducer<byte[], byte[]> p, LogEntry e) {
        p.send(
                new ProducerRecord<>(
                        in,
                        e.service().getBytes(StandardCharsets.UTF_8),
                        Topics.LOGS.codec().encode(e)));
    }
}
