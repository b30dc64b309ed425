package dev.shoppulse.api.comments;

import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link CommentReply} events to Kafka {@code comment-replies} off the request thread: a
 * reply's HTTP answer never waits for Kafka (not even for the producer's first metadata fetch).
 *
 * <p>Trade-off: the event is sent after the comment's transaction committed, so a crash in between
 * loses the notification (at most once). A transactional outbox table would make it at least once
 * at the cost of a poller; for "someone replied" notifications we chose the simpler path.
 */
public final class ReplyPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "comment-replies-publisher");
                        t.setDaemon(true);
                        return t;
                    });

    public ReplyPublisher(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    public void publish(CommentReply reply) {
        sender.execute(
                () -> {
                    try {
                        producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        reply.parentAuthor().getBytes(StandardCharsets.UTF_8),
                                        Topics.COMMENT_REPLIES.codec().encode(reply)),
                                (md, e) -> {
                                    if (e != null) {
                                        LOG.warn(
                                                "reply {} not published: {}",
                                                reply.commentId(),
                                                e.getMessage());
                                    }
                                });
                    } catch (RuntimeException e) {
                        LOG.warn("reply {} not published: {}", reply.commentId(), e.getMessage());
                    }
                });
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
