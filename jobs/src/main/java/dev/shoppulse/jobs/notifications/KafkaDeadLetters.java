package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes refused notifications to {@code notifications.dlq} and waits for the broker's ack, so a
 * notification is only let go once its dead letter is durable (at least once).
 */
final class KafkaDeadLetters implements EmailDispatcher.DeadLetters, AutoCloseable {
    private final Publisher<DeadLetter> producer;
    private final NotificationSettings settings;

    KafkaDeadLetters(NotificationSettings settings) {
        this.settings = settings;
        this.producer =
                Publisher.builder(
                                NotificationsCapability.NOTIFICATIONS_DLQ,
                                Publisher.Profile.DURABLE)
                        .bootstrap(settings.kafkaBootstrap())
                        .topicName(settings.notificationsDlqTopic())
                        .ackTimeout(Duration.ofSeconds(30))
                        .build();
    }

    @Override
    public void write(Notification n, String reason) throws Exception {
        byte[] key = n.userId().getBytes(StandardCharsets.UTF_8);
        DeadLetter d =
                DeadLetter.of(
                        settings.sourceTopic(),
                        -1,
                        -1,
                        key,
                        Json.write(n),
                        reason,
                        "deliver",
                        Instant.now(),
                        settings.maxDeadLetterBytes());
        producer.send(n.userId(), d);
    }

    @Override
    public void close() {
        producer.close();
    }
}
