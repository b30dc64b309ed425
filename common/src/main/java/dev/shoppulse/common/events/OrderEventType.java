package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to an order; the wire name is the PascalCase event name. */
public enum OrderEventType {
    ORDER_PLACED("OrderPlaced", "PLACED"),
    PAYMENT_CAPTURED("PaymentCaptured", "PAID"),
    ORDER_SHIPPED("OrderShipped", "SHIPPED"),
    ORDER_DELIVERED("OrderDelivered", "DELIVERED"),
    ORDER_CANCELLED("OrderCancelled", "CANCELLED");

    private final String wireName;
    private final String status;

    OrderEventType(String wireName, String status) {
        this.wireName = wireName;
        this.status = status;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The order status this event leaves the order in. */
    public String status() {
        return status;
    }

    public boolean isTerminal() {
        return this == ORDER_DELIVERED || this == ORDER_CANCELLED;
    }

    @JsonCreator
    public static OrderEventType fromWire(String name) {
        for (OrderEventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown order event type '" + name + "'");
    }
}
