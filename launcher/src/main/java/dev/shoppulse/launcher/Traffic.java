package dev.shoppulse.launcher;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.hostile.HostileLimits;
import dev.shoppulse.common.hostile.HostileRecords;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every local-run traffic generator shares: a timer thread, a Kafka producer and a
 * count of what was sent. A failing tick is logged and the next one runs anyway, so one bad tick
 * never silently stops a generator. With {@code local.hostile-rate} above 0, every record sent is
 * followed, at that rate, by a hostile record derived from it (a field replaced by a hostile value,
 * dropped, duplicated; raw bytes; a hostile key), counted apart as {@link #hostileSent()}.
 */
public final class Traffic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Traffic.class);

    private final ScheduledExecutorService timer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong hostileSent = new AtomicLong();
    private final double hostileRate;
    private final HostileRecords hostile = new HostileRecords(HostileLimits.DEFAULT);
    private final Random random = new Random();
    private double hostileOwed;

    private Traffic(
            String threadName,
            int threads,
            KafkaProducer<byte[], byte[]> producer,
            double hostileRate) {
        this.timer = Executors.newScheduledThreadPool(threads, r -> new Thread(r, threadName));
        this.producer = producer;
        if (hostileRate < 0 || hostileRate > 1) {
            throw new IllegalArgumentException(
                    "local.hostile-rate must be between 0 and 1, was " + hostileRate);
        }
        this.hostileRate = hostileRate;
    }

    /** A generator that writes to Kafka. */
    public static Traffic toKafka(ShopPulseConfig config, String threadName) {
        Properties p = new Properties();
        p.put("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP));
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "10");
        return new Traffic(
                threadName,
                2,
                new KafkaProducer<>(p),
                config.getDouble(Settings.LOCAL_HOSTILE_RATE));
    }

    /** A generator that only needs the timer (e.g. one that calls the API over HTTP). */
    public static Traffic timerOnly(String threadName) {
        return new Traffic(threadName, 1, null, 0);
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

    /** Sends one record and counts it; at the hostile rate, a hostile variant of it follows. */
    public void send(String topic, String key, byte[] value) {
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, keyBytes, value));
        sent.incrementAndGet();
        if (hostileRate > 0 && random.nextDouble() < hostileRate) {
            sendHostile(topic, keyBytes, value);
        }
    }

    /**
     * For generators whose records reach Kafka another way (through the API): sends hostile
     * variants of {@code seed} as if {@code validSent} more valid records had gone to {@code
     * topic}, at the hostile rate. Needs a Kafka-backed instance.
     */
    public void mixHostile(String topic, long validSent, String key, byte[] seed) {
        if (hostileRate <= 0 || producer == null) {
            return;
        }
        int due;
        synchronized (this) {
            hostileOwed += validSent * hostileRate;
            due = (int) Math.min(1_000, Math.floor(hostileOwed));
            hostileOwed -= due;
        }
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < due; i++) {
            sendHostile(topic, keyBytes, seed);
        }
    }

    private void sendHostile(String topic, byte[] key, byte[] valid) {
        HostileRecords.HostileRecord h = hostile.record(random, key, valid);
        producer.send(new ProducerRecord<>(topic, h.key(), h.value()));
        hostileSent.incrementAndGet();
    }

    /** Hostile records sent (not counted in {@link #sent()}). */
    public long hostileSent() {
        return hostileSent.get();
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
