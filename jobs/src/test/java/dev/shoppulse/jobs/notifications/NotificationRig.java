package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What the notification job's ITCases share: their configuration, input and restart policy. */
final class NotificationRig {
    private NotificationRig() {}

    /**
     * Fresh topics for the notification job, checkpoints under {@code checkpoints}, and the
     * provider at {@link #atTestPace test pace}.
     */
    static ShopPulseConfig config(
            ProviderSimulator provider, int limit, int partitions, Path checkpoints) {
        return atTestPace(
                KafkaBroker.shared()
                        .withFreshTopics(
                                TestServices.isolated(), partitions, NotificationsCapability.JOB)
                        .with(Settings.CHECKPOINT_DIR, checkpoints.toUri().toString()),
                provider,
                limit);
    }

    /**
     * {@code config} calling {@code provider}, which allows {@code limit} calls a second, at test
     * pace: a 200 ms quiet window, 2 s call timeout, 50-500 ms back-off, 20 attempts.
     */
    static ShopPulseConfig atTestPace(
            ShopPulseConfig config, ProviderSimulator provider, int limit) {
        return config.with(NotificationsCapability.NOTIFY_PROVIDER_URL, provider.url())
                .with(NotificationsCapability.NOTIFY_LIMIT, limit)
                .with(NotificationsCapability.NOTIFY_WINDOW, "1s")
                .with(NotificationsCapability.NOTIFY_QUIET_WINDOW, "200ms")
                .with(NotificationsCapability.NOTIFY_REQUEST_TIMEOUT, "2s")
                .with(NotificationsCapability.NOTIFY_BACKOFF_BASE, "50ms")
                .with(NotificationsCapability.NOTIFY_BACKOFF_MAX, "500ms")
                .with(NotificationsCapability.NOTIFY_MAX_ATTEMPTS, 20);
    }

    /** The job's Flink configuration with restarts off: a test that kills the job restarts it. */
    static Configuration restartNone(ShopPulseConfig config) {
        Configuration flink = JobSetup.flinkConfiguration(config);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return flink;
    }

    /**
     * One non-security profile update per user {@code <prefix>-<i>}, through a plain producer (the
     * idempotent one can get stuck on OUT_OF_ORDER_SEQUENCE right after the topic was created);
     * returns the notification ids expected.
     */
    static Set<String> produceUsers(ShopPulseConfig config, String prefix, int users) {
        String topic = config.topic(NotificationsCapability.PROFILE_UPDATES);
        Set<String> ids = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> p = KafkaBroker.shared().producer(false)) {
            for (int i = 0; i < users; i++) {
                String user = prefix + "-" + i;
                ProfileUpdated u =
                        new ProfileUpdated(
                                user + "-e1",
                                user,
                                user + "@example.com",
                                List.of("name", "avatar"),
                                Instant.now());
                p.send(
                        new ProducerRecord<>(
                                topic,
                                user.getBytes(StandardCharsets.UTF_8),
                                NotificationsCapability.PROFILE_UPDATES.codec().encode(u)));
                ids.add(Notification.idFor(user, u.eventId()));
            }
        }
        return ids;
    }
}
