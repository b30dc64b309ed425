package dev.shoppulse.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A settled read sees a record that arrives after the expected count, within the quiet period. */
@Timeout(60)
class KafkaBrokerSettledReadITCase {
    private static final Duration QUIET = Duration.ofSeconds(3);

    private final KafkaBroker kafka = KafkaBroker.shared();

    @Test
    void aLateDuplicateWithinTheQuietPeriodIsRead() throws Exception {
        String topic = KafkaBroker.uniqueTopic("settled");
        kafka.createTopics(1, topic);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            send(p, topic, "first");
            // A third of the quiet period after the first: a read stopping at the expected
            // count would already have returned.
            ScheduledFuture<?> late =
                    later.schedule(
                            () -> send(p, topic, "late duplicate"),
                            QUIET.toMillis() / 3,
                            TimeUnit.MILLISECONDS);
            assertThat(kafka.readCommittedSettled(topic, 1, QUIET, Duration.ofSeconds(30)))
                    .hasSize(2);
            late.get();
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void nothingMoreReturnsExactlyTheExpected() {
        String topic = KafkaBroker.uniqueTopic("settled");
        kafka.createTopics(1, topic);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            send(p, topic, "one");
            send(p, topic, "two");
        }
        assertThat(kafka.readCommittedSettled(topic, 2, QUIET, Duration.ofSeconds(30))).hasSize(2);
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String value) {
        p.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)));
        p.flush();
    }
}
