package dev.shoppulse.api.orders;

import dev.shoppulse.common.events.OrderStatus;

/** The HTTP shape of an order's status; kept apart from the event records on purpose. */
public record OrderStatusDto(
        String orderId, String status, String lastEvent, long lastSeq, String updatedAt) {
    static OrderStatusDto of(OrderStatus s) {
        return new OrderStatusDto(
                s.orderId(), s.status(), s.eventType(), s.lastSeq(), s.updatedAt().toString());
    }
}
