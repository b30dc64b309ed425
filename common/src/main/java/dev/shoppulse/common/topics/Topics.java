package dev.shoppulse.common.topics;

import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
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

    // --- ratelimit ---
    public static final Topic<ApiRequestEvent> API_REQUESTS =
            new Topic<>(
                    "api-requests",
                    new JsonCodec<>(ApiRequestEvent.class),
                    "One access event per API request, key = clientId.");
    public static final Topic<DeadLetter> API_REQUESTS_DLQ =
            new Topic<>(
                    "api-requests.dlq",
                    DEAD_LETTERS,
                    "Rejected access events with reason and position.");

    /** In the order README lists them. */
    public static final List<Topic<?>> ALL =
            List.of(
                    ORDERS,
                    ORDERS_SEQUENCED,
                    ORDERS_ALERTS,
                    ORDERS_DLQ,
                    API_REQUESTS,
                    API_REQUESTS_DLQ);
}
