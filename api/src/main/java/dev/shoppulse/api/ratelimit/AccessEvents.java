package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one {@link ApiRequestEvent} per request to Kafka without ever making a request wait: the
 * request thread only offers to a bounded queue (a full queue drops and counts), and one background
 * thread hands events to the producer, whose blocking (metadata, full buffer) is capped by a small
 * {@code max.block.ms}.
 */
public final class AccessEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessEvents.class);

    private final BlockingQueue<ApiRequestEvent> queue;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final RateLimitMetrics metrics;
    private final Thread sender;
    private volatile boolean running = true;

    public AccessEvents(String bootstrap, String topic, int capacity, RateLimitMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.topic = topic;
        this.metrics = metrics;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "200");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        // Metering tolerates a lost event; a stuck API does not.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.producer = new KafkaProducer<>(p);
        this.sender = new Thread(this::drain, "access-events");
        sender.setDaemon(true);
        sender.start();
    }

    /** Never blocks: a full queue drops the event and counts it. */
    public void emit(ApiRequestEvent e) {
        if (queue.offer(e)) {
            metrics.inc("events.queued");
        } else {
            metrics.inc("events.dropped");
        }
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            ApiRequestEvent e;
            try {
                e = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (e == null) {
                continue;
            }
            try {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                e.clientId().getBytes(StandardCharsets.UTF_8),
                                Topics.API_REQUESTS.codec().encode(e)),
                        (md, ex) -> metrics.inc(ex == null ? "events.sent" : "events.failed"));
            } catch (RuntimeException ex) {
                metrics.inc("events.failed");
                LOG.debug("access event not sent: {}", ex.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
