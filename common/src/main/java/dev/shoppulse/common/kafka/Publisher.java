package dev.shoppulse.common.kafka;

import dev.shoppulse.common.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way ShopPulse publishes to Kafka outside Flink: built from a {@link Topic} (its codec
 * encodes values) and one of two named {@link Profile}s, so durability is a visible choice rather
 * than a pile of producer properties at every call site.
 *
 * <ul>
 *   <li>{@link Profile#DURABLE}: {@code acks=all}, idempotent, {@link #send} returns once the
 *       broker acknowledged (or throws): for records that must not be lost (outbox relays, dead
 *       letters).
 *   <li>{@link Profile#BEST_EFFORT}: {@link #offer} never blocks the caller: a bounded queue in
 *       front of one sender thread; a full queue or a failed send drops the record and counts it
 *       ({@link #dropped}): for telemetry where a stuck caller is worse than a lost event.
 * </ul>
 */
public final class Publisher<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** The two durability profiles. */
    public enum Profile {
        /** acks=all, idempotent producer; the caller waits for the acknowledgement. */
        DURABLE,
        /** acks=1, bounded queue, never blocks the caller; drops and counts when overloaded. */
        BEST_EFFORT
    }

    private final Topic<T> topic;
    private final String topicName;
    private final Profile profile;
    private final Producer<byte[], byte[]> producer;
    private final Duration ackTimeout;
    private final BlockingQueue<ProducerRecord<byte[], byte[]>> queue;
    private final Thread sender;
    private final java.util.function.Consumer<Exception> outcome;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    private Publisher(Builder<T> b) {
        this.topic = b.topic;
        this.topicName = b.topicName;
        this.profile = b.profile;
        this.ackTimeout = b.ackTimeout;
        this.outcome = b.outcome;
        this.producer = new KafkaProducer<>(properties(b));
        if (profile == Profile.BEST_EFFORT) {
            this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
            this.sender = new Thread(this::drain, "publisher-" + topicName);
            sender.setDaemon(true);
            sender.start();
        } else {
            this.queue = null;
            this.sender = null;
        }
    }

    /** A builder for the topic's publisher with the given profile. */
    public static <T> Builder<T> builder(Topic<T> topic, Profile profile) {
        return new Builder<>(topic, profile);
    }

    /** The producer properties of a profile; exposed so other producers can share the choice. */
    public static Properties properties(String bootstrap, Profile profile, Duration ackTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long timeout = Math.max(1000, ackTimeout.toMillis());
        if (profile == Profile.DURABLE) {
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            // Metadata waits and retries both end inside the caller's acknowledgement timeout.
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
            // delivery.timeout must cover linger + request.timeout (a caller may add linger).
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout / 2));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        } else {
            p.put(ProducerConfig.ACKS_CONFIG, "1");
            // Losing an event is allowed; a stuck sender thread is not.
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "200");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout / 2));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        }
        return p;
    }

    private static Properties properties(Builder<?> b) {
        Properties p = properties(b.bootstrap, b.profile, b.ackTimeout);
        p.putAll(b.overrides);
        return p;
    }

    public Profile profile() {
        return profile;
    }

    /** The deployed topic name records go to. */
    public String topicName() {
        return topicName;
    }

    /**
     * DURABLE: sends one record and waits for the broker's acknowledgement; throws when it does not
     * come within the acknowledgement timeout.
     */
    public RecordMetadata send(String key, T value) throws Exception {
        return sendAll(List.of(new Keyed<>(key, topic.codec().encode(value)))).get(0);
    }

    /** An already encoded record (e.g. from an outbox row). */
    public record Keyed<V>(String key, byte[] value) {}

    /**
     * DURABLE: sends a batch of encoded records and waits until the broker acknowledged all of
     * them; throws on the first that failed (some of the others may have been written: callers that
     * retry publish at least once).
     */
    public List<RecordMetadata> sendAll(List<Keyed<byte[]>> records) throws Exception {
        if (profile != Profile.DURABLE) {
            throw new IllegalStateException("send waits for acknowledgements: use DURABLE");
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        for (Keyed<byte[]> r : records) {
            futures.add(producer.send(record(r.key(), r.value())));
        }
        long deadline = System.nanoTime() + ackTimeout.toNanos() + 1_000_000_000L;
        List<RecordMetadata> out = new ArrayList<>(futures.size());
        for (Future<RecordMetadata> f : futures) {
            try {
                out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                sent.incrementAndGet();
            } catch (ExecutionException e) {
                failed.incrementAndGet();
                throw e.getCause() instanceof Exception ex ? ex : e;
            } catch (TimeoutException e) {
                failed.incrementAndGet();
                throw new TimeoutException(
                        "Kafka did not acknowledge " + topicName + " within " + ackTimeout);
            }
        }
        return out;
    }

    /** BEST_EFFORT: never blocks; a full queue drops the record and counts it. */
    public boolean offer(String key, T value) {
        if (profile != Profile.BEST_EFFORT) {
            throw new IllegalStateException("offer may drop records: use BEST_EFFORT");
        }
        if (queue.offer(record(key, topic.codec().encode(value)))) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    private ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(
                topicName, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private void drain() {
        while (running || !queue.isEmpty()) {
            ProducerRecord<byte[], byte[]> r;
            try {
                r = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                return;
            }
            if (r == null) {
                continue;
            }
            try {
                producer.send(
                        r,
                        (md, ex) -> {
                            if (ex == null) {
                                sent.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                dropped.incrementAndGet();
                            }
                            outcome.accept(ex);
                        });
            } catch (RuntimeException ex) {
                failed.incrementAndGet();
                dropped.incrementAndGet();
                outcome.accept(ex);
                LOG.debug("record for {} dropped: {}", topicName, ex.toString());
            }
        }
    }

    /** Records the broker acknowledged. */
    public long sent() {
        return sent.get();
    }

    /** BEST_EFFORT records dropped (queue full or send failed). */
    public long dropped() {
        return dropped.get();
    }

    /** Sends that failed (DURABLE: the caller saw the exception; BEST_EFFORT: also dropped). */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        if (sender != null) {
            try {
                sender.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(2));
    }

    /** Builds a {@link Publisher}. */
    public static final class Builder<T> {
        private final Topic<T> topic;
        private final Profile profile;
        private String bootstrap;
        private String topicName;
        private Duration ackTimeout = Duration.ofSeconds(5);
        private int queueCapacity = 10_000;
        private java.util.function.Consumer<Exception> outcome = e -> {};
        private final Properties overrides = new Properties();

        private Builder(Topic<T> topic, Profile profile) {
            this.topic = Objects.requireNonNull(topic, "topic");
            this.profile = Objects.requireNonNull(profile, "profile");
            this.topicName = topic.name();
        }

        public Builder<T> bootstrap(String bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** The deployed name when configuration renamed the topic. */
        public Builder<T> topicName(String name) {
            this.topicName = Objects.requireNonNull(name, "topicName");
            return this;
        }

        /** DURABLE: how long a send waits for the acknowledgement (default 5 s). */
        public Builder<T> ackTimeout(Duration timeout) {
            this.ackTimeout = Objects.requireNonNull(timeout, "ackTimeout");
            return this;
        }

        /** BEST_EFFORT: records waiting for the sender thread (default 10 000). */
        public Builder<T> queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be positive: " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /** BEST_EFFORT: told each send's outcome (null = acknowledged), e.g. for metrics. */
        public Builder<T> onOutcome(java.util.function.Consumer<Exception> outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Extra producer properties (e.g. a client id); never the profile's durability keys. */
        public Builder<T> property(String key, String value) {
            if (Map.of(
                            ProducerConfig.ACKS_CONFIG, 1,
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, 1)
                    .containsKey(key)) {
                throw new IllegalArgumentException(key + " is fixed by the profile " + profile);
            }
            overrides.put(key, value);
            return this;
        }

        public Publisher<T> build() {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new IllegalStateException(
                        "a Publisher needs Kafka bootstrap servers; set --kafka.bootstrap");
            }
            return new Publisher<>(this);
        }
    }
}
