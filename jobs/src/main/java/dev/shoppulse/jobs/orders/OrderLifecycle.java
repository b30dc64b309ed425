package dev.shoppulse.jobs.orders;

import static dev.shoppulse.common.events.OrderEventType.ORDER_CANCELLED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_DELIVERED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_PLACED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_SHIPPED;
import static dev.shoppulse.common.events.OrderEventType.PAYMENT_CAPTURED;

import dev.shoppulse.common.events.OrderEventType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which event types may follow which: an order is placed, may be paid (in several partial
 * captures), shipped (cash on delivery skips payment; split shipments ship more than once) and
 * delivered, and may be cancelled until it ships. Nothing follows delivered or cancelled.
 */
public final class OrderLifecycle {
    private static final Map<OrderEventType, Set<OrderEventType>> NEXT =
            Map.of(
                    ORDER_PLACED, EnumSet.of(PAYMENT_CAPTURED, ORDER_SHIPPED, ORDER_CANCELLED),
                    PAYMENT_CAPTURED, EnumSet.of(PAYMENT_CAPTURED, ORDER_SHIPPED, ORDER_CANCELLED),
                    ORDER_SHIPPED, EnumSet.of(ORDER_SHIPPED, ORDER_DELIVERED),
                    ORDER_DELIVERED, EnumSet.noneOf(OrderEventType.class),
                    ORDER_CANCELLED, EnumSet.noneOf(OrderEventType.class));

    private OrderLifecycle() {}

    /**
     * Whether {@code next} may follow {@code previous}; {@code previous} is null for an order's
     * first event, which must be OrderPlaced.
     */
    public static boolean allowed(OrderEventType previous, OrderEventType next) {
        if (previous == null) {
            return next == ORDER_PLACED;
        }
        return NEXT.get(previous).contains(next);
    }

    /** Why a transition is impossible, for the alert's detail. */
    public static String explain(OrderEventType previous, OrderEventType next) {
        if (previous == null) {
            return next.wireName() + " as an order's first event (expected OrderPlaced)";
        }
        if (previous.isTerminal()) {
            return next.wireName() + " after " + previous.wireName() + ", which ends the order";
        }
        return next.wireName() + " cannot follow " + previous.wireName();
    }
}
