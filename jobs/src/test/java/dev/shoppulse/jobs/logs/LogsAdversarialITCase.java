package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log job under the adversarial contract; a canary is one log row of service canary. */
class LogsAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    LogsAdversarialITCase() {
        super(METRICS, LogsCapability.DEFINITION);
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        return c.with(LogsCapability.LOGS_RETENTION, "30d")
                .with(LogsCapability.LOGS_BATCH_SIZE, 100)
                .with(LogsCapability.LOGS_BATCH_INTERVAL, "100ms");
    }

    @Override
    protected void prepare() throws Exception {
        LogMaintenance.runOnce(config, Instant.now());
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        LogIngestJob.topology(
                JobSetup.rawStream(env, config, LogsCapability.LOGS, "adversarial", "logs-source"),
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "logs-adversarial"));
    }

    @Override
    protected byte[] template() {
        return LogsCapability.LOGS
                .codec()
                .encode(new LogEntry(Instant.now(), "svc", "INFO", "hello"));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        return new ProducerRecord<>(
                topic,
                "canary".getBytes(StandardCharsets.UTF_8),
                LogsCapability.LOGS
                        .codec()
                        .encode(new LogEntry(Instant.now(), "canary", "INFO", "canary " + i)));
    }

    @Override
    protected boolean canariesArrived(int canaries) throws Exception {
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(DISTINCT message) FROM app_logs"
                                        + " WHERE service = 'canary'")) {
            rs.next();
            return rs.getLong(1) == canaries;
        }
    }
}
