package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an order stands: the projection the sequencing job keeps in PostgreSQL and Redis.
 *
 * @param orderId the order
 * @param status PLACED, PAID, SHIPPED, DELIVERED or CANCELLED
 * @param eventType wire name of the last event applied
 * @param lastSeq seq of the last event applied; writes with a lower one are ignored
 * @param updatedAt when the last event occurred
 */
public record OrderStatus(
        String orderId, String status, String eventType, long lastSeq, Instant updatedAt) {
    public OrderStatus {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public static OrderStatus of(OrderEvent e) {
        return new OrderStatus(
                e.orderId(), e.type().status(), e.type().wireName(), e.seq(), e.occurredAt());
    }
}
