package dev.shoppulse.launcher;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.kafka.Publisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every local-run traffic generator shares: a timer thread, a Kafka producer and a
 * count of what was sent. A failing tick is logged and the next one runs anyway, so one bad tick
 * never silently stops a generator.
 */
public final class Traffic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Traffic.class);

    private final ScheduledExecutorService timer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();

    private Traffic(String threadName, int threads, KafkaProducer<byte[], byte[]> producer) {
        this.timer = Executors.newScheduledThreadPool(threads, r -> new Thread(r, threadName));
        this.producer = producer;
    }

    /** A generator that writes to Kafka. */
    public static Traffic toKafka(ShopPulseConfig config, String threadName) {
        // Raw bytes to many topics (malformed records included), so the common publisher's
        // durable profile supplies the settings and the generator keeps its own producer.
        Properties p =
                Publisher.properties(
                        config.get(Settings.KAFKA_BOOTSTRAP),
                        Publisher.Profile.DURABLE,
                        Duration.ofSeconds(30));
        p.put("linger.ms", "10");
        return new Traffic(threadName, 2, new KafkaProducer<>(p));
    }

    /** A generator that only needs the timer (e.g. one that calls the API over HTTP). */
    public static Traffic timerOnly(String threadName) {
        return new Traffic(threadName, 1, null);
    }

    /** Runs {@code tick} now and then every {@code periodMillis}. */
    public void every(long periodMillis, Runnable tick) {
        every(0, periodMillis, tick);
    }

    public void every(long initialDelayMillis, long periodMillis, Runnable tick) {
        timer.scheduleAtFixedRate(
                () -> {
                    try {
                        tick.run();
                    } catch (RuntimeException e) {
                        LOG.warn("traffic tick failed; the next one runs anyway", e);
                    }
                },
                initialDelayMillis,
                periodMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Sends one record and counts it. */
    public void send(String topic, String key, byte[] value) {
        producer.send(
                new ProducerRecord<>(
                        topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
        sent.incrementAndGet();
    }

    /** Counts something sent another way (e.g. an HTTP call). */
    public void counted() {
        sent.incrementAndGet();
    }

    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (producer != null) {
            producer.close();
        }
    }
}
