package dev.shoppulse.api.reports;

import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes accepted {@link ReportRequest}s to Kafka {@code report-requests} and waits for the
 * acknowledgement, so a 202 means the request is durably queued; if Kafka does not acknowledge in
 * time the report is marked FAILED and the caller gets 503 (it may retry with the same key).
 */
public final class RequestPublisher implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public RequestPublisher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    /** Sends and waits for the broker's acknowledgement; throws when it does not come. */
    public void publish(ReportRequest request) throws Exception {
        try {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    request.reportId().getBytes(StandardCharsets.UTF_8),
                                    Topics.REPORT_REQUESTS.codec().encode(request)))
                    .get(6, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge in 6 s", e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
