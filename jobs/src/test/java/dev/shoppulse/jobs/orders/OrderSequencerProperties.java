package dev.shoppulse.jobs.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the arrival order and however many retries, each order's output is its sorted,
 * de-duplicated input.
 */
class OrderSequencerProperties {

    @Property(tries = 200)
    void outputIsSortedDeduplicatedInputPerOrder(
            @ForAll @IntRange(min = 1, max = 12) int orders,
            @ForAll @IntRange(min = 1, max = 12) int maxEvents,
            @ForAll @IntRange(min = 0, max = 100) int duplicatePercent,
            @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        Map<String, List<OrderEvent>> expected = new TreeMap<>();
        List<OrderEvent> sent = new ArrayList<>();
        for (int o = 0; o < orders; o++) {
            String id = "o" + o;
            int n = 1 + random.nextInt(maxEvents);
            List<OrderEvent> life =
                    LongStream.rangeClosed(1, n)
                            .mapToObj(seq -> SequencerHarness.ev(id, seq, type(seq, n)))
                            .toList();
            expected.put(id, life);
            List<OrderEvent> arrivals = new ArrayList<>(life);
            for (OrderEvent e : life) {
                if (random.nextInt(100) < duplicatePercent) {
                    arrivals.add(e);
                }
            }
            Collections.shuffle(arrivals, random);
            // Interleave with the other orders at random positions, keeping this order's shuffle.
            List<OrderEvent> merged = new ArrayList<>(sent.size() + arrivals.size());
            int i = 0;
            int j = 0;
            while (i < sent.size() || j < arrivals.size()) {
                boolean takeNew = j < arrivals.size() && (i == sent.size() || random.nextBoolean());
                merged.add(takeNew ? arrivals.get(j++) : sent.get(i++));
            }
            sent = merged;
        }

        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 64)) {
            s.send(sent.toArray(new OrderEvent[0]));
            Map<String, List<OrderEvent>> actual =
                    s.out().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            OrderEvent::orderId,
                                            TreeMap::new,
                                            Collectors.toList()));
            assertThat(actual).isEqualTo(expected);
            assertThat(s.deadLetters()).isEmpty();
        }
    }

    private static OrderEventType type(long seq, int n) {
        if (seq == 1) {
            return OrderEventType.ORDER_PLACED;
        }
        return seq == n ? OrderEventType.ORDER_DELIVERED : OrderEventType.ORDER_SHIPPED;
    }
}
