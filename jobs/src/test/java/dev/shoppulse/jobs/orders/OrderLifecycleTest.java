package dev.shoppulse.jobs.orders;

import static dev.shoppulse.common.events.OrderEventType.ORDER_CANCELLED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_DELIVERED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_PLACED;
import static dev.shoppulse.common.events.OrderEventType.ORDER_SHIPPED;
import static dev.shoppulse.common.events.OrderEventType.PAYMENT_CAPTURED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderEventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderLifecycleTest {

    @Test
    void normalLivesAreAllowed() {
        assertThat(OrderLifecycle.allowed(null, ORDER_PLACED)).isTrue();
        assertThat(OrderLifecycle.allowed(ORDER_PLACED, PAYMENT_CAPTURED)).isTrue();
        assertThat(OrderLifecycle.allowed(PAYMENT_CAPTURED, PAYMENT_CAPTURED))
                .as("partial capture")
                .isTrue();
        assertThat(OrderLifecycle.allowed(PAYMENT_CAPTURED, ORDER_SHIPPED)).isTrue();
        assertThat(OrderLifecycle.allowed(ORDER_PLACED, ORDER_SHIPPED))
                .as("cash on delivery")
                .isTrue();
        assertThat(OrderLifecycle.allowed(ORDER_SHIPPED, ORDER_SHIPPED))
                .as("split shipment")
                .isTrue();
        assertThat(OrderLifecycle.allowed(ORDER_SHIPPED, ORDER_DELIVERED)).isTrue();
        assertThat(OrderLifecycle.allowed(ORDER_PLACED, ORDER_CANCELLED)).isTrue();
        assertThat(OrderLifecycle.allowed(PAYMENT_CAPTURED, ORDER_CANCELLED)).isTrue();
    }

    @Test
    void impossibleTransitionsAreRejectedWithAReason() {
        assertThat(OrderLifecycle.allowed(ORDER_PLACED, ORDER_DELIVERED)).isFalse();
        assertThat(OrderLifecycle.allowed(PAYMENT_CAPTURED, ORDER_DELIVERED)).isFalse();
        assertThat(OrderLifecycle.allowed(ORDER_SHIPPED, ORDER_CANCELLED)).isFalse();
        assertThat(OrderLifecycle.allowed(ORDER_PLACED, ORDER_PLACED)).isFalse();
        assertThat(OrderLifecycle.allowed(null, PAYMENT_CAPTURED)).isFalse();
        assertThat(OrderLifecycle.explain(null, ORDER_SHIPPED)).contains("first event");
        assertThat(OrderLifecycle.explain(ORDER_PLACED, ORDER_DELIVERED))
                .isEqualTo("OrderDelivered cannot follow OrderPlaced");
    }

    @ParameterizedTest
    @EnumSource(OrderEventType.class)
    void nothingFollowsATerminalEvent(OrderEventType next) {
        assertThat(OrderLifecycle.allowed(ORDER_DELIVERED, next)).isFalse();
        assertThat(OrderLifecycle.allowed(ORDER_CANCELLED, next)).isFalse();
        assertThat(OrderLifecycle.explain(ORDER_CANCELLED, next)).contains("which ends the order");
    }
}
