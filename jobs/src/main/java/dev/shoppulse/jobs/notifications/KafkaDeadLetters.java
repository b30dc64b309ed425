package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes refused notifications to {@code notifications.dlq} and waits for the broker's ack, so a
 * notification is only let go once its dead letter is durable (at least once).
 */
final class KafkaDeadLetters implements EmailDispatcher.DeadLetters, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final NotificationSettings settings;

    KafkaDeadLetters(NotificationSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        p.put("bootstrap.servers", settings.kafkaBootstrap());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        producer = new KafkaProducer<>(p);
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
        producer.send(
                        new ProducerRecord<>(
                                settings.notificationsDlqTopic(),
                                key,
                                Topics.NOTIFICATIONS_DLQ.codec().encode(d)))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
