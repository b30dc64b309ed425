package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.TestJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code report-ready} events become one email each through the throttled provider sink. */
@Timeout(120)
class ReportReadyNotificationITCase {
    private static final Duration WINDOW = Duration.ofSeconds(1);

    /**
     * Long enough that a slow answer on a loaded machine is not retried: a retry after a timeout is
     * a second provider call under the same key, which the exact per-report call count would
     * (rightly) count.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

    @RegisterExtension static final MiniClusterExtension MINI = TestJobs.miniCluster(4);

    private ShopPulseConfig config;
    private ProviderSimulator provider;
    private JobClient job;
    private String readyTopic;

    @BeforeEach
    void setUp() {
        provider = ProviderSimulator.start(50, WINDOW);
        config =
                KafkaBroker.shared()
                        .withFreshTopics(TestServices.isolated(), 1, NotificationsCapability.JOB)
                        .with(NotificationsCapability.NOTIFY_PROVIDER_URL, provider.url())
                        .with(NotificationsCapability.NOTIFY_LIMIT, 50)
                        .with(NotificationsCapability.NOTIFY_WINDOW, WINDOW.toMillis() + "ms")
                        .with(
                                NotificationsCapability.NOTIFY_REQUEST_TIMEOUT,
                                REQUEST_TIMEOUT.toMillis() + "ms");
        readyTopic = config.topic(ReportsCapability.REPORT_READY);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        provider.close();
        TestServices.cleanUp(config);
    }

    @Test
    void eachFinishedReportIsOneProviderCallToItsOwner() throws Exception {
        startJob();
        send("r1", "r2");
        awaitExactlyOneCallPerReport();
        assertOneEmailPerReportToItsOwner();
    }

    @Test
    void aReplayedEventCallsTheProviderOnce() throws Exception {
        startJob();
        send("r1", "r2", "r1"); // r1 twice: a replayed event
        awaitExactlyOneCallPerReport();
        assertOneEmailPerReportToItsOwner();
    }

    private void assertOneEmailPerReportToItsOwner() {
        assertThat(provider.acceptedKeys()).containsExactlyInAnyOrder("report:r1", "report:r2");
        assertThat(provider.accepted())
                .allSatisfy(
                        a -> {
                            assertThat(a.userId()).isEqualTo("alice");
                            String report = a.key().substring("report:".length());
                            assertThat(a.fields())
                                    .as("the email for " + report + " links its own download")
                                    .contains("download:/v1/reports/" + report + "/download");
                        });
    }

    /**
     * A second send of a report is answered as a replay and hidden from the accepted list, so this
     * counts the raw calls, and keeps counting past a request timeout plus two provider windows
     * (the sink's longest own delay) for one that comes late.
     */
    private void awaitExactlyOneCallPerReport() {
        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedKeys().size() >= 2);
        await().during(REQUEST_TIMEOUT.plus(WINDOW.multipliedBy(2)))
                .atMost(Duration.ofSeconds(40))
                .untilAsserted(
                        () ->
                                assertThat(provider.callsPerKey())
                                        .as("provider calls per report")
                                        .isEqualTo(Map.of("report:r1", 1, "report:r2", 1)));
        assertThat(provider.replays()).isZero();
    }

    private void startJob() throws Exception {
        Configuration flink = JobSetup.flinkConfiguration(config);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        NotificationJob.build(env, config);
        job = env.executeAsync("report-ready-notifications-it");
    }

    private void send(String... reportIds) {
        try (KafkaProducer<byte[], byte[]> p = KafkaBroker.shared().producer()) {
            for (String id : reportIds) {
                ReportReady r =
                        new ReportReady(
                                id,
                                "alice",
                                "sales-by-day-product",
                                "SUCCEEDED",
                                "/v1/reports/" + id + "/download",
                                12,
                                null,
                                Instant.now());
                p.send(
                        new ProducerRecord<>(
                                readyTopic,
                                "alice".getBytes(StandardCharsets.UTF_8),
                                ReportsCapability.REPORT_READY.codec().encode(r)));
            }
        }
    }
}
