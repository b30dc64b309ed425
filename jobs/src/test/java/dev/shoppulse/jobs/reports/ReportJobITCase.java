package dev.shoppulse.jobs.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.SalesReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → ReportJob → report store + PostgreSQL + Redis + Kafka report-ready on a MiniCluster, with
 * a failure injected in the middle of a report.
 */
class ReportJobITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    @RegisterExtension final SharedObjectsExtension shared = SharedObjectsExtension.create();

    /** One test's shard executions, per day and in total, shared with the job's operators. */
    static final class Executions {
        final Map<LocalDate, AtomicInteger> perDay = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
    }

    /** Counts executions and fails the {@code failAt}-th one (once). */
    record CountingHook(SharedReference<Executions> executions, int failAt) implements ShardHook {
        @Override
        public void beforeExecuting(ReportShard shard) {
            Executions e = executions.get();
            e.perDay.computeIfAbsent(shard.day(), d -> new AtomicInteger()).incrementAndGet();
            if (e.total.incrementAndGet() == failAt) {
                throw new IllegalStateException("injected failure in shard " + shard.day());
            }
        }
    }

    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(300);

    /**
     * How long an output topic must stay unchanged after the expected records before its count is
     * final: ten checkpoint intervals, each of which could commit a late duplicate.
     */
    private static final Duration QUIET = CHECKPOINT_INTERVAL.multipliedBy(10);

    private final KafkaBroker kafka = KafkaBroker.shared();
    @TempDir Path store;
    private ShopPulseConfig config;
    private String in;
    private String dlq;
    private String ready;
    private JobClient job;

    @BeforeEach
    void setUp() {
        config =
                kafka.withFreshTopics(TestServices.isolated(), 1, ReportsCapability.JOB)
                        .with(ReportsCapability.REPORTS_STORE_DIR, store.toString())
                        .with(ReportsCapability.REPORTS_SHARD_PAUSE, "150ms")
                        .with(Settings.CHECKPOINT_INTERVAL, CHECKPOINT_INTERVAL.toMillis() + "ms");
        in = config.topic(ReportsCapability.REPORT_REQUESTS);
        dlq = config.topic(ReportsCapability.REPORT_REQUESTS_DLQ);
        ready = config.topic(ReportsCapability.REPORT_READY);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config);
    }

    private Connection db() throws Exception {
        return TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
    }

    private ReportRow create(Connection c, LocalDate from, int days) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        ReportStore.Created created =
                ReportStore.create(
                        c,
                        new ReportStore.NewReport(
                                id,
                                "alice",
                                ReportRequest.SALES_BY_DAY_PRODUCT,
                                "{\"from\":\""
                                        + from
                                        + "\",\"to\":\""
                                        + from.plusDays(days - 1)
                                        + "\"}",
                                id,
                                null,
                                days,
                                Instant.now().plusSeconds(3600)),
                        10);
        return ((ReportStore.Created.New) created).row();
    }

    private static ReportRequest request(ReportRow r, LocalDate from, int days) {
        return new ReportRequest(
                r.id(),
                r.owner(),
                ReportRequest.SALES_BY_DAY_PRODUCT,
                from,
                from.plusDays(days - 1),
                Instant.now());
    }

    private void send(KafkaProducer<byte[], byte[]> p, String key, byte[] value) {
        p.send(new ProducerRecord<>(in, key.getBytes(StandardCharsets.UTF_8), value));
    }

    @Test
    @Timeout(150)
    void failureMidReportResumesFromFinishedShardsAndTheFileEqualsTheOracle() throws Exception {
        SharedReference<Executions> executions = shared.add(new Executions());
        LocalDate from = LocalDate.parse("2026-05-01");
        int days = 8;
        ReportRow report;
        ReportRow cancelled;
        try (Connection c = db()) {
            SalesReport.seed(c, from, days, 400);
            report = create(c, from, days);
            cancelled = create(c, from, 2);
            ReportStore.cancel(c, cancelled.id(), "alice");
        }
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            send(
                    p,
                    cancelled.id(),
                    ReportsCapability.REPORT_REQUESTS.codec().encode(request(cancelled, from, 2)));
            send(
                    p,
                    report.id(),
                    ReportsCapability.REPORT_REQUESTS.codec().encode(request(report, from, days)));
            send(p, "x", "{\"reportId\":\"x\",".getBytes(StandardCharsets.UTF_8));
            p.flush();
        }
        job = start(new CountingHook(executions, 5));

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> status(report.id()).equals(ReportRow.SUCCEEDED));

        // The injected failure hit the 5th execution: the shards finished before it were not run
        // again. At most the two in flight at the failure (parallelism 2) ran twice.
        Map<LocalDate, AtomicInteger> perDay = executions.get().perDay;
        int total = perDay.values().stream().mapToInt(AtomicInteger::get).sum();
        long twice = perDay.values().stream().filter(n -> n.get() > 1).count();
        assertThat(perDay).hasSize(days);
        assertThat(perDay.values()).allSatisfy(n -> assertThat(n.get()).isBetween(1, 2));
        assertThat(twice).isBetween(1L, 2L);
        assertThat(total).isEqualTo(days + (int) twice).isLessThan(2 * days);

        try (Connection c = db()) {
            ReportRow done = ReportStore.find(c, report.id()).orElseThrow();
            Path file = store.resolve(report.id()).resolve(done.file());
            String oracle = SalesReport.csv(c, from, from.plusDays(days - 1));
            assertThat(Files.readString(file)).isEqualTo(oracle);
            assertThat(done.rows()).isEqualTo(oracle.lines().count() - 1);
            assertThat(done.progressPercent()).isEqualTo(100);
            assertThat(ReportStore.find(c, cancelled.id()).orElseThrow().status())
                    .isEqualTo(ReportRow.CANCELLED);
        }
        try (var r = TestServices.redis()) {
            assertThat(
                            r.hget(
                                    config.get(Settings.REDIS_KEY_PREFIX)
                                            + ":report:"
                                            + report.id(),
                                    "status"))
                    .as("completion cached in Redis for polling")
                    .isEqualTo(ReportRow.SUCCEEDED);
        }
        assertThat(
                        Files.list(store.resolve(report.id()))
                                .map(Path::getFileName)
                                .map(Path::toString))
                .as("no temporary files left behind")
                .noneMatch(n -> n.startsWith(".tmp-"));

        List<ConsumerRecord<byte[], byte[]>> readies =
                kafka.readCommittedSettled(ready, 1, QUIET, Duration.ofSeconds(30));
        assertThat(readies).hasSize(1);
        ReportReady r = ReportsCapability.REPORT_READY.codec().decode(readies.get(0).value());
        assertThat(r.reportId()).isEqualTo(report.id());
        assertThat(r.status()).isEqualTo(ReportRow.SUCCEEDED);
        assertThat(r.downloadPath()).isEqualTo("/v1/reports/" + report.id() + "/download");
        assertThat(kafka.readCommittedSettled(dlq, 1, QUIET, Duration.ofSeconds(30))).hasSize(1);
    }

    @Test
    @Timeout(120)
    void aReplayedUnknownTypeRequestSendsItsReportReadyAgain() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        LocalDate day = LocalDate.parse("2026-05-01");
        try (Connection c = db()) {
            ReportStore.create(
                    c,
                    new ReportStore.NewReport(
                            id,
                            "alice",
                            "mystery",
                            "{}",
                            id,
                            null,
                            1,
                            Instant.now().plusSeconds(3600)),
                    10);
        }
        byte[] request =
                ReportsCapability.REPORT_REQUESTS
                        .codec()
                        .encode(new ReportRequest(id, "alice", "mystery", day, day, Instant.now()));
        // The second copy is what a replay (or the outbox's at-least-once publish) delivers after
        // the row is already FAILED: its report-ready must go out again, since the first one may
        // have been in an aborted transaction. Consumers de-duplicate by report id.
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            send(p, id, request);
            send(p, id, request);
            p.flush();
        }
        job = start(new CountingHook(shared.add(new Executions()), Integer.MAX_VALUE));
        List<ConsumerRecord<byte[], byte[]>> readies =
                kafka.readCommittedSettled(ready, 2, QUIET, Duration.ofSeconds(60));
        assertThat(readies).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> rec : readies) {
            ReportReady r = ReportsCapability.REPORT_READY.codec().decode(rec.value());
            assertThat(r.reportId()).isEqualTo(id);
            assertThat(r.status()).isEqualTo(ReportRow.FAILED);
            assertThat(r.error()).contains("unknown report type");
        }
        assertThat(ReportsCapability.REPORT_READY.codec().decode(readies.get(1).value()))
                .as("the re-sent event is the same event")
                .isEqualTo(ReportsCapability.REPORT_READY.codec().decode(readies.get(0).value()));
    }

    private String status(String id) throws Exception {
        try (Connection c = db()) {
            return ReportStore.find(c, id).map(ReportRow::status).orElse("?");
        }
    }

    private JobClient start(ShardHook hook) throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(ReportJob.flinkConfiguration(config), 2);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, ReportsCapability.REPORT_REQUESTS, "it", "reports-source");
        ReportJob.topology(raw, config, hook, JobSetup.exactlyOnceSink(config, "reports-it"));
        return env.executeAsync("reports-it");
    }
}
