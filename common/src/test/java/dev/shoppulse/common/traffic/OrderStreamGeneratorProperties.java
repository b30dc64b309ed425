package dev.shoppulse.common.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The traffic generator disorders streams without inventing or corrupting events. */
class OrderStreamGeneratorProperties {

    @Property(tries = 100)
    void withoutGapsEveryOrderIsCompleteAfterDedupAndSort(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 50) int orders,
            @ForAll @DoubleRange(min = 0, max = 1) double reorder,
            @ForAll @DoubleRange(min = 0, max = 1) double duplicate) {
        OrderStreamGenerator gen = new OrderStreamGenerator(seed, "g-", reorder, duplicate, 0.0);
        List<OrderEvent> sent = gen.nextBatch(orders, Instant.EPOCH);
        Map<String, List<OrderEvent>> byOrder =
                sent.stream().distinct().collect(Collectors.groupingBy(OrderEvent::orderId));
        assertThat(byOrder).hasSize(orders);
        assertThat(sent.size() - sent.stream().distinct().count()).isEqualTo(gen.duplicatesSent());
        byOrder.values()
                .forEach(
                        l -> {
                            List<OrderEvent> sorted =
                                    l.stream()
                                            .sorted(Comparator.comparingLong(OrderEvent::seq))
                                            .toList();
                            for (int i = 0; i < sorted.size(); i++) {
                                assertThat(sorted.get(i).seq()).isEqualTo(i + 1);
                            }
                            assertThat(sorted.get(0).type()).isEqualTo(OrderEventType.ORDER_PLACED);
                            assertThat(sorted.get(sorted.size() - 1).type().isTerminal()).isTrue();
                        });
    }

    @Property(tries = 30)
    void fixedLengthOrdersFollowAValidLifecycle(
            @ForAll long seed, @ForAll @IntRange(min = 4, max = 20) int length) {
        List<OrderEvent> life =
                new OrderStreamGenerator(seed, "f-", 0, 0, 0)
                        .withEventsPerOrder(length)
                        .lifeOf("o", Instant.EPOCH);
        assertThat(life).hasSize(length);
        assertThat(life.get(0).type()).isEqualTo(OrderEventType.ORDER_PLACED);
        assertThat(life.get(length - 1).type()).isEqualTo(OrderEventType.ORDER_DELIVERED);
        assertThat(life).extracting(OrderEvent::type).contains(OrderEventType.ORDER_SHIPPED);
    }

    @Property(tries = 20)
    void gapRateOneSendsNothing(@ForAll long seed) {
        OrderStreamGenerator gen = new OrderStreamGenerator(seed, "x-", 0.5, 0.5, 1.0);
        assertThat(gen.nextBatch(10, Instant.EPOCH)).isEmpty();
        assertThat(gen.gapsInjected()).isPositive();
    }
}
