package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.jobs.flink.AdversarialContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The notification job under the adversarial contract; a canary is one user's update email. */
class NotificationsAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    private ProviderSimulator provider;

    NotificationsAdversarialITCase() {
        super(METRICS, NotificationsCapability.DEFINITION);
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        provider = ProviderSimulator.start(500, Duration.ofSeconds(1));
        return NotificationRig.atTestPace(c, provider, 500)
                .with(NotificationsCapability.NOTIFY_SINK_PARALLELISM, 2);
    }

    @Override
    protected void release() {
        if (provider != null) {
            provider.close();
        }
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        NotificationJob.topology(
                NotificationJob.source(env, config), config, NotificationJob.sinks(config));
    }

    private static ProfileUpdated update(String user) {
        return new ProfileUpdated(
                user + "-e", user, user + "@example.com", List.of("displayName"), Instant.now());
    }

    @Override
    protected byte[] template() {
        return NotificationsCapability.PROFILE_UPDATES.codec().encode(update("hostile"));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        String user = "canary-" + i;
        return new ProducerRecord<>(
                topic,
                user.getBytes(StandardCharsets.UTF_8),
                NotificationsCapability.PROFILE_UPDATES.codec().encode(update(user)));
    }

    @Override
    protected boolean canariesArrived(int canaries) {
        Set<String> users =
                provider.accepted().stream()
                        .map(ProviderSimulator.Accepted::userId)
                        .collect(Collectors.toSet());
        for (int i = 0; i < canaries; i++) {
            if (!users.contains("canary-" + i)) {
                return false;
            }
        }
        return true;
    }
}
