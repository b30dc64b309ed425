package dev.shoppulse.common.traffic;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates order event streams with the disorder real producers cause: events of one order swapped
 * (reordered), sent twice (retries) or never sent (gaps), orders interleaved. Seeded, so a
 * benchmark or a test can replay exactly the same stream.
 */
public final class OrderStreamGenerator {
    private static final OrderEventType[] HAPPY = {
        OrderEventType.ORDER_PLACED,
        OrderEventType.PAYMENT_CAPTURED,
        OrderEventType.ORDER_SHIPPED,
        OrderEventType.ORDER_DELIVERED
    };

    private final Random random;
    private final String idPrefix;
    private final double reorderRate;
    private final double duplicateRate;
    private final double gapRate;
    private int eventsPerOrder;
    private long nextOrder;
    private long duplicatesSent;
    private long gapsInjected;

    public OrderStreamGenerator(
            long seed, String idPrefix, double reorderRate, double duplicateRate, double gapRate) {
        this.random = new Random(seed);
        this.idPrefix = idPrefix;
        this.reorderRate = reorderRate;
        this.duplicateRate = duplicateRate;
        this.gapRate = gapRate;
    }

    /**
     * Makes every order exactly {@code n} (at least 4) events long: placed, partial payment
     * captures, split shipments, delivered. 0 restores the default realistic mix.
     */
    public OrderStreamGenerator withEventsPerOrder(int n) {
        if (n != 0 && n < 4) {
            throw new IllegalArgumentException("an order of fixed length needs at least 4 events");
        }
        this.eventsPerOrder = n;
        return this;
    }

    /**
     * The complete, in-order life of one order: placed, paid, shipped, delivered, or cancelled
     * early.
     */
    public List<OrderEvent> lifeOf(String orderId, Instant start) {
        if (eventsPerOrder > 0) {
            return fixedLifeOf(orderId, start, eventsPerOrder);
        }
        List<OrderEvent> events = new ArrayList<>();
        int length = random.nextInt(10) == 0 ? 1 + random.nextInt(2) : HAPPY.length;
        for (int i = 0; i < length; i++) {
            events.add(event(orderId, i + 1, HAPPY[i], start.plusSeconds(i)));
        }
        if (length < HAPPY.length) {
            events.add(
                    event(
                            orderId,
                            length + 1,
                            OrderEventType.ORDER_CANCELLED,
                            start.plusSeconds(length)));
        }
        return events;
    }

    /**
     * The next {@code orders} orders' events as sent: each order's events disordered, then all
     * orders interleaved at random, each order keeping its own (disordered) sequence.
     */
    public List<OrderEvent> nextBatch(int orders, Instant start) {
        List<List<OrderEvent>> perOrder = new ArrayList<>(orders);
        int total = 0;
        for (int i = 0; i < orders; i++) {
            List<OrderEvent> sent = disorder(lifeOf(idPrefix + (nextOrder++), start));
            perOrder.add(sent);
            total += sent.size();
        }
        List<OrderEvent> out = new ArrayList<>(total);
        int[] cursor = new int[orders];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            if (!perOrder.get(i).isEmpty()) {
                open.add(i);
            }
        }
        while (!open.isEmpty()) {
            int pick = random.nextInt(open.size());
            int o = open.get(pick);
            out.add(perOrder.get(o).get(cursor[o]++));
            if (cursor[o] == perOrder.get(o).size()) {
                open.set(pick, open.get(open.size() - 1));
                open.remove(open.size() - 1);
            }
        }
        return out;
    }

    /** One order's events as a faulty producer sends them. */
    public List<OrderEvent> disorder(List<OrderEvent> inOrder) {
        List<OrderEvent> sent = new ArrayList<>(inOrder.size() + 2);
        for (OrderEvent e : inOrder) {
            if (random.nextDouble() < gapRate) {
                gapsInjected++;
                continue;
            }
            sent.add(e);
        }
        for (int i = 0; i + 1 < sent.size(); i++) {
            if (random.nextDouble() < reorderRate) {
                OrderEvent a = sent.get(i);
                sent.set(i, sent.get(i + 1));
                sent.set(i + 1, a);
                i++;
            }
        }
        int size = sent.size();
        for (int i = 0; i < size; i++) {
            if (random.nextDouble() < duplicateRate) {
                duplicatesSent++;
                // A retry arrives at or after the original.
                int at = i + 1 + random.nextInt(sent.size() - i);
                sent.add(at, sent.get(i));
            }
        }
        return sent;
    }

    private List<OrderEvent> fixedLifeOf(String orderId, Instant start, int n) {
        List<OrderEvent> events = new ArrayList<>(n);
        int payments = (n - 2) / 2;
        for (int i = 1; i <= n; i++) {
            OrderEventType type =
                    i == 1
                            ? OrderEventType.ORDER_PLACED
                            : i == n
                                    ? OrderEventType.ORDER_DELIVERED
                                    : i <= 1 + payments
                                            ? OrderEventType.PAYMENT_CAPTURED
                                            : OrderEventType.ORDER_SHIPPED;
            events.add(event(orderId, i, type, start.plusSeconds(i)));
        }
        return events;
    }

    private OrderEvent event(String orderId, long seq, OrderEventType type, Instant at) {
        return new OrderEvent(
                orderId + "-e" + seq,
                orderId,
                seq,
                type,
                at,
                "{\"amountCents\":" + (100 + random.nextInt(100_000)) + "}");
    }

    public long ordersGenerated() {
        return nextOrder;
    }

    public long duplicatesSent() {
        return duplicatesSent;
    }

    public long gapsInjected() {
        return gapsInjected;
    }
}
