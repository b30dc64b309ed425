package dev.shoppulse.common.topics;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.JsonCodec;
import java.util.List;

/** Every Kafka topic ShopPulse reads or writes, with the type of its values. */
public final class Topics {
    private Topics() {}

    private static final JsonCodec<DeadLetter> DEAD_LETTERS = new JsonCodec<>(DeadLetter.class);

    public static final Topic<OrderEvent> ORDERS =
            new Topic<>(
                    "orders",
                    new JsonCodec<>(OrderEvent.class),
                    "Order events from producers, key = orderId.");
    public static final Topic<OrderEvent> ORDERS_SEQUENCED =
            new Topic<>(
                    "orders.sequenced",
                    new JsonCodec<>(OrderEvent.class),
                    "Each order's events exactly once, strictly in seq order (transactional).");
    public static final Topic<OrderAlert> ORDERS_ALERTS =
            new Topic<>(
                    "orders.alerts",
                    new JsonCodec<>(OrderAlert.class),
                    "Gaps, buffer overflows and impossible transitions.");
    public static final Topic<DeadLetter> ORDERS_DLQ =
            new Topic<>(
                    "orders.dlq", DEAD_LETTERS, "Rejected order records with reason and position.");

    public static final Topic<SearchEvent> SEARCHES =
            new Topic<>(
                    "searches",
                    new JsonCodec<>(SearchEvent.class),
                    "Product searches from the storefront, key = userId or sessionId.");
    public static final Topic<DeadLetter> SEARCHES_DLQ =
            new Topic<>(
                    "searches.dlq",
                    DEAD_LETTERS,
                    "Rejected and too-late search records with reason and position.");

    /** In the order README lists them. */
    public static final List<Topic<?>> ALL =
            List.of(ORDERS, ORDERS_SEQUENCED, ORDERS_ALERTS, ORDERS_DLQ, SEARCHES, SEARCHES_DLQ);
}
