package dev.shoppulse.common.orders;

import static dev.shoppulse.common.config.Setting.Type.DOUBLE;
import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Ordered order events: per-order sequencing, dedup, gap detection, exactly-once output.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class OrdersCapability {
    private OrdersCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting ORDERS_GAP_TIMEOUT =
            Setting.of(
                    "orders.gap-timeout",
                    DURATION,
                    "30s",
                    "How long an order may wait for a missing seq before GapDetected is raised.");
    public static final Setting ORDERS_GAP_POLICY =
            Setting.choice(
                    "orders.gap-policy",
                    "skip",
                    "After a gap times out: skip (release the buffer, late arrivals of the"
                            + " skipped seqs go to the DLQ) or wait (keep waiting).",
                    "skip",
                    "wait");
    public static final Setting ORDERS_MAX_BUFFER =
            Setting.of(
                    "orders.max-buffer",
                    INT,
                    "64",
                    "Most out-of-order events held per order; more are alerted and dead-lettered.");
    public static final Setting ORDERS_MAX_SEQ_AHEAD =
            Setting.of(
                    "orders.max-seq-ahead",
                    INT,
                    "10000",
                    "Furthest an event's seq may be beyond its order's next expected seq;"
                            + " further ones are alerted and dead-lettered. At least"
                            + " orders.max-buffer.");
    public static final Setting ORDERS_DEDUP_WINDOW =
            Setting.of(
                    "orders.dedup-window",
                    INT,
                    "1024",
                    "How many of an order's latest seqs keep the fingerprint that tells a"
                            + " duplicate from a conflicting event; an older seq arriving again is"
                            + " dead-lettered unverified. Bounds each order's state.");
    public static final Setting ORDERS_TERMINAL_GRACE =
            Setting.of(
                    "orders.terminal-grace",
                    DURATION,
                    "10m",
                    "How long an order's state outlives its terminal event, to drop late"
                            + " duplicates.");
    public static final Setting ORDERS_IDLE_TIMEOUT =
            Setting.of(
                    "orders.idle-timeout",
                    DURATION,
                    "7d",
                    "How long an order without a terminal event may go without emitting an event"
                            + " before it is closed with ORDER_ABANDONED and its buffer"
                            + " dead-lettered.");
    public static final Setting ORDERS_TOMBSTONE_TTL =
            Setting.of(
                    "orders.tombstone-ttl",
                    DURATION,
                    "7d",
                    "How long a closed order's tombstone (last seq) dead-letters its late events"
                            + " instead of starting the order afresh.");
    public static final Setting ORDERS_STATUS_TTL =
            Setting.of(
                    "orders.status-ttl",
                    DURATION,
                    "7d",
                    "Time to live of an order's status in Redis.");
    public static final Setting ORDERS_MAX_FUTURE =
            Setting.of(
                    "orders.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time an order event's occurredAt may be.");
    public static final Setting LOCAL_ORDERS_PER_S =
            Setting.of(
                    "local.orders-per-s",
                    INT,
                    "200",
                    "Orders the local traffic generator starts per second.");
    public static final Setting LOCAL_REORDER_RATE =
            Setting.of(
                    "local.reorder-rate",
                    DOUBLE,
                    "0.10",
                    "Share of order events the generator sends out of order.");
    public static final Setting LOCAL_DUPLICATE_RATE =
            Setting.of("local.duplicate-rate", DOUBLE, "0.02", "Share of order events sent twice.");
    public static final Setting LOCAL_GAP_RATE =
            Setting.of(
                    "local.gap-rate", DOUBLE, "0.002", "Share of order events never sent (gaps).");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<OrderEvent> ORDERS =
            Topic.json("orders", OrderEvent.class, "Order events from producers, key = orderId.");
    public static final Topic<OrderEvent> ORDERS_SEQUENCED =
            Topic.json(
                    "orders.sequenced",
                    OrderEvent.class,
                    "Each order's events exactly once, strictly in seq order (transactional).");
    public static final Topic<OrderAlert> ORDERS_ALERTS =
            Topic.json(
                    "orders.alerts",
                    OrderAlert.class,
                    "Gaps, buffer overflows and impossible transitions.");
    public static final Topic<DeadLetter> ORDERS_DLQ =
            Topic.deadLetters("orders.dlq", "Rejected order records with reason and position.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("orders", OrdersCapability.class)
                    .summary(
                            "Ordered order events: per-order sequencing, dedup, gap detection, exactly-once output.")
                    .job(
                            "order-sequencing",
                            "dev.shoppulse.jobs.orders.OrderSequencingJob",
                            ORDERS,
                            ORDERS_SEQUENCED,
                            ORDERS_ALERTS,
                            ORDERS_DLQ)
                    .routes("GET /v1/orders/{orderId}")
                    .localTraffic("dev.shoppulse.launcher.orders.OrdersLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
