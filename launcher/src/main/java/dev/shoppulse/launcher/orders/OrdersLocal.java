package dev.shoppulse.launcher.orders;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import dev.shoppulse.launcher.Traffic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** Ordered order events in the local run: the sequencing job plus a disorderly order producer. */
public final class OrdersLocal implements Capability {
    private static final String JOB = OrderSequencingJob.NAME;

    private final AtomicLong malformed = new AtomicLong();
    private Traffic traffic;

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
        traffic = Traffic.toKafka(config, "orders-traffic");
        String topic = config.topic(OrdersCapability.ORDERS);
        OrderStreamGenerator gen =
                new OrderStreamGenerator(
                        System.nanoTime(),
                        "o-" + Long.toString(System.currentTimeMillis(), 36) + "-",
                        config.getDouble(OrdersCapability.LOCAL_REORDER_RATE),
                        config.getDouble(OrdersCapability.LOCAL_DUPLICATE_RATE),
                        config.getDouble(OrdersCapability.LOCAL_GAP_RATE));
        double malformedRate = config.getDouble(Settings.LOCAL_MALFORMED_RATE);
        int perTick = Math.max(1, config.getInt(OrdersCapability.LOCAL_ORDERS_PER_S) / 10);
        Random random = new Random();
        traffic.every(
                100,
                () -> {
                    for (OrderEvent e : gen.nextBatch(perTick, Instant.now())) {
                        traffic.send(topic, e.orderId(), OrdersCapability.ORDERS.codec().encode(e));
                        if (random.nextDouble() < malformedRate) {
                            malformed.incrementAndGet();
                            traffic.send(
                                    topic,
                                    e.orderId(),
                                    "{\"orderId\":\"broken".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                });
    }

    @Override
    public boolean drained() {
        return traffic == null || LocalMetrics.parsedOrRejected(JOB) >= traffic.sent();
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", traffic.sent());
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
        m.put("orders.in", traffic.sent());
        m.put("orders.sequenced", sequenced());
        m.put("orders.duplicates", LocalMetrics.sum(JOB, "orders.duplicates"));
        m.put("orders.gaps", LocalMetrics.sum(JOB, "orders.gaps"));
        m.put("orders.dlq", LocalMetrics.sum(JOB, "dlq"));
        m.put("orders.hostile_sent", traffic == null ? 0 : traffic.hostileSent());
        m.put("orders.malformed_sent", malformed.get());
        return m;
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
    }
}
