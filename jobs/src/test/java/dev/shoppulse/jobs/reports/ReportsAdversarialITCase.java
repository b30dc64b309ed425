package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.sql.reports.ReportStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The report job under the adversarial contract; a canary is a one-day report that succeeds. */
class ReportsAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    private static final LocalDate DAY = LocalDate.parse("2026-05-01");
    private final List<String> ids = new ArrayList<>();
    private Path store;

    ReportsAdversarialITCase() {
        super(METRICS, ReportsCapability.DEFINITION);
    }

    @Override
    protected Set<String> unpositionedStages() {
        // A shard is one day of a report, not a Kafka record (see ReportJob.tasks).
        return Set.of("run-shard", "assemble");
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        try {
            store = Files.createTempDirectory("reports-adversarial");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return c.with(ReportsCapability.REPORTS_STORE_DIR, store.toString())
                .with(ReportsCapability.REPORTS_SHARD_PAUSE, "0ms");
    }

    @Override
    protected void prepare() throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA))) {
            for (int i = 0; i < HOSTILE / CANARY_EVERY + 1; i++) {
                String id = "canary" + i;
                ReportStore.create(
                        c,
                        new ReportStore.NewReport(
                                id,
                                "alice",
                                ReportRequest.SALES_BY_DAY_PRODUCT,
                                "{\"from\":\"" + DAY + "\",\"to\":\"" + DAY + "\"}",
                                id,
                                null,
                                1,
                                Instant.now().plusSeconds(3600)),
                        10_000);
                ids.add(id);
            }
        }
    }

    @Override
    protected Configuration flinkConfiguration() {
        return ReportJob.flinkConfiguration(config);
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        ReportJob.topology(
                JobSetup.rawStream(
                        env,
                        config,
                        ReportsCapability.REPORT_REQUESTS,
                        "adversarial",
                        "reports-source"),
                config,
                ShardHook.NONE,
                JobSetup.exactlyOnceSink(config, "reports-adversarial"));
    }

    private static ReportRequest request(String id) {
        return new ReportRequest(
                id, "alice", ReportRequest.SALES_BY_DAY_PRODUCT, DAY, DAY, Instant.now());
    }

    @Override
    protected byte[] template() {
        return ReportsCapability.REPORT_REQUESTS.codec().encode(request("hostile"));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        return new ProducerRecord<>(
                topic,
                ids.get(i).getBytes(StandardCharsets.UTF_8),
                ReportsCapability.REPORT_REQUESTS.codec().encode(request(ids.get(i))));
    }

    @Override
    protected boolean canariesArrived(int canaries) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA))) {
            for (int i = 0; i < canaries; i++) {
                String status = ReportStore.find(c, ids.get(i)).map(ReportRow::status).orElse("?");
                if (!ReportRow.SUCCEEDED.equals(status)) {
                    return false;
                }
            }
            return true;
        }
    }
}
