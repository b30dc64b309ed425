package dev.shoppulse.launcher.orders;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Ordered order events in the local run: the sequencing job plus a disorderly order producer. */
public final class OrdersLocal implements Capability {
    private static final String JOB = OrderSequencingJob.NAME;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private ScheduledExecutorService timer;
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        cluster.submit(config, JOB, env -> OrderSequencingJob.build(env, config));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        Properties p = new Properties();
        p.put("bootstrap.servers", config.get(Settings.KAFKA_BOOTSTRAP));
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "10");
        producer = new KafkaProducer<>(p);
        String topic = config.topic(Topics.ORDERS);
        OrderStreamGenerator gen =
                new OrderStreamGenerator(
                        System.nanoTime(),
                        "o-" + Long.toString(System.currentTimeMillis(), 36) + "-",
                        config.getDouble(Settings.LOCAL_REORDER_RATE),
                        config.getDouble(Settings.LOCAL_DUPLICATE_RATE),
                        config.getDouble(Settings.LOCAL_GAP_RATE));
        double malformedRate = config.getDouble(Settings.LOCAL_MALFORMED_RATE);
        int perTick = Math.max(1, config.getInt(Settings.LOCAL_ORDERS_PER_S) / 10);
        Random random = new Random();
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "orders-traffic"));
        timer.scheduleAtFixedRate(
                () -> {
                    for (OrderEvent e : gen.nextBatch(perTick, Instant.now())) {
                        send(topic, e.orderId(), Topics.ORDERS.codec().encode(e));
                        if (random.nextDouble() < malformedRate) {
                            malformed.incrementAndGet();
                            send(
                                    topic,
                                    e.orderId(),
                                    "{\"orderId\":\"broken".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
    }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        sent.incrementAndGet();
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", sent.get());
        m.put("sequenced", sequenced());
        m.put("buffered", LocalMetrics.sum(JOB, "orders.bufferedNow"));
        m.put("dup", LocalMetrics.sum(JOB, "orders.duplicates"));
        m.put("gaps", LocalMetrics.sum(JOB, "orders.gaps"));
        m.put("dlq", LocalMetrics.sum(JOB, "dlq"));
        return m;
    }

    private static long sequenced() {
        return LocalMetrics.sum(JOB, "orders.inOrder")
                + LocalMetrics.sum(JOB, "orders.releasedFromBuffer");
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("orders.in", sent.get());
        m.put("orders.sequenced", sequenced());
        m.put("orders.duplicates", LocalMetrics.sum(JOB, "orders.duplicates"));
        m.put("orders.gaps", LocalMetrics.sum(JOB, "orders.gaps"));
        m.put("orders.dlq", LocalMetrics.sum(JOB, "dlq"));
        m.put("orders.malformed_sent", malformed.get());
        return m;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (producer != null) {
            producer.close();
        }
    }
}
