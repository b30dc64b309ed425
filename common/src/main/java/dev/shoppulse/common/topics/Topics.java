package dev.shoppulse.common.topics;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.ProfileUpdated;
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

    // --- notifications (issue 4) ---
    public static final Topic<ProfileUpdated> PROFILE_UPDATES =
            new Topic<>(
                    "profile-updates",
                    new JsonCodec<>(ProfileUpdated.class),
                    "Profile changes from the profile service, key = userId.");
    public static final Topic<DeadLetter> PROFILE_UPDATES_DLQ =
            new Topic<>(
                    "profile-updates.dlq",
                    DEAD_LETTERS,
                    "Rejected profile-update records with reason and position.");
    public static final Topic<DeadLetter> NOTIFICATIONS_DLQ =
            new Topic<>(
                    "notifications.dlq",
                    DEAD_LETTERS,
                    "Notifications the provider refused for good (permanent 4xx, retries"
                            + " exhausted); value = the Notification JSON.");

    /** In the order README lists them. */
    public static final List<Topic<?>> ALL =
            List.of(
                    ORDERS,
                    ORDERS_SEQUENCED,
                    ORDERS_ALERTS,
                    ORDERS_DLQ,
                    PROFILE_UPDATES,
                    PROFILE_UPDATES_DLQ,
                    NOTIFICATIONS_DLQ);
}
