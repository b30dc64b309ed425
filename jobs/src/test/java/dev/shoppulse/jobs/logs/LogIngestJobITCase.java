package dev.shoppulse.jobs.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
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

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    @RegisterExtension final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private final KafkaBroker kafka = KafkaBroker.shared();
    private ShopPulseConfig config;
    private String in;
    private String dlq;
    private JobClient job;

    @BeforeEach
    void setUp() {
        config =
                kafka.withFreshTopics(TestServices.isolated(), 2, LogsCapability.JOB)
                        .with(LogsCapability.LOGS_RETENTION, "30d")
                        .with(LogsCapability.LOGS_BATCH_SIZE, 100)
                        .with(LogsCapability.LOGS_BATCH_INTERVAL, "100ms")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        in = config.topic(LogsCapability.LOGS);
        dlq = config.topic(LogsCapability.LOGS_DLQ);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config);
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
        job = start(0, shared.add(new Tally(0)));
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

    @Test
    @Timeout(180)
    void restartsReplayingInsertsStoreEachLogOnce() throws Exception {
        Instant now = Instant.now();
        LogMaintenance.runOnce(config, now);
        SharedReference<Tally> tally = shared.add(new Tally(3));
        job = start(5, tally);
        int batches = 40;
        int perBatch = 50;
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            producer.scheduleAtFixedRate(
                    () -> {
                        int b = sent.get() / perBatch;
                        if (b >= batches) {
                            return;
                        }
                        for (int k = 0; k < perBatch; k++) {
                            // Identical content on purpose: only the Kafka position tells two
                            // logs apart, as with a chatty service logging the same line.
                            send(p, new LogEntry(now.minusSeconds(b), "svc", "INFO", "same"));
                        }
                        p.flush();
                        sent.addAndGet(perBatch);
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(120)).until(() -> sent.get() >= batches * perBatch);
            producer.shutdown();
            assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () ->
                                tally.get().failures() >= 3
                                        && count("SELECT count(*) FROM app_logs")
                                                >= batches * perBatch);
        // Let a late replay land if it were going to double anything.
        long checkpointsBefore = tally.get().checkpoints();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> tally.get().checkpoints() >= checkpointsBefore + 2);
        assertThat(count("SELECT count(*) FROM app_logs")).isEqualTo(batches * perBatch);
        assertThat(
                        count(
                                "SELECT count(*) FROM (SELECT DISTINCT source_partition,"
                                        + " source_offset FROM app_logs) d"))
                .isEqualTo(batches * perBatch);
        assertThat(tally.get().failures()).isEqualTo(3);
    }

    private JobClient start(int restartAttempts, SharedReference<Tally> tally) throws Exception {
        StreamExecutionEnvironment env =
                TestEnv.create(JobSetup.flinkConfiguration(config), restartAttempts);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, LogsCapability.LOGS, "it", "logs-source")
                        .map(new FailAfterCheckpoint(tally, 150))
                        .returns(RawRecord.class);
        LogIngestJob.topology(
                raw,
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "logs-it"));
        return env.executeAsync("logs-it");
    }

    /** Failures injected and checkpoints completed during one test, shared across attempts. */
    static final class Tally {
        private final int max;
        private int failures;
        private long checkpoints;

        Tally(int max) {
            this.max = max;
        }

        /**
         * Claims one of the {@code max} failures. Check and count are one step: with parallel
         * subtasks a separate check and increment lets two of them pass together and overshoot max.
         * Every claim is one restart: the job has no keyBy, so each subtask is its own failover
         * region and fails and restarts alone, with its own attempt numbers.
         */
        synchronized boolean claim() {
            if (failures >= max) {
                return false;
            }
            failures++;
            return true;
        }

        synchronized int failures() {
            return failures;
        }

        synchronized void checkpointed() {
            checkpoints++;
        }

        synchronized long checkpoints() {
            return checkpoints;
        }
    }

    /**
     * Throws once per subtask attempt, after a checkpoint of that attempt completed and more
     * records went through (so they were inserted and will be replayed), until {@code max}
     * failures. The tally is a per-test shared object: a restarted attempt gets fresh instances.
     */
    static final class FailAfterCheckpoint extends RichMapFunction<RawRecord, RawRecord>
            implements CheckpointListener {
        private final SharedReference<Tally> tally;
        private final int recordsBeforeFailing;
        private transient boolean checkpointed;
        private transient int seen;

        FailAfterCheckpoint(SharedReference<Tally> tally, int recordsBeforeFailing) {
            this.tally = tally;
            this.recordsBeforeFailing = recordsBeforeFailing;
        }

        @Override
        public RawRecord map(RawRecord r) {
            if (++seen >= recordsBeforeFailing && checkpointed && tally.get().claim()) {
                TaskInfo task = getRuntimeContext().getTaskInfo();
                throw new IllegalStateException(
                        "injected failure in subtask "
                                + task.getIndexOfThisSubtask()
                                + " attempt "
                                + task.getAttemptNumber());
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
            tally.get().checkpointed();
        }
    }

    private void send(KafkaProducer<byte[], byte[]> p, LogEntry e) {
        p.send(
                new ProducerRecord<>(
                        in,
                        e.service().getBytes(StandardCharsets.UTF_8),
                        LogsCapability.LOGS.codec().encode(e)));
    }
}
