package dev.shoppulse.jobs.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.orders.OrdersCapability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever the arrival order and however many retries, each order's output is its sorted,
 * de-duplicated input.
 */
class OrderSequencerProperties {

    /** Orders o0, o1, ... each with a whole life of 1 to {@code maxEvents} events, by id. */
    private static Map<String, List<OrderEvent>> lifecycles(
            Random random, int orders, int maxEvents) {
        Map<String, List<OrderEvent>> all = new TreeMap<>();
        for (int o = 0; o < orders; o++) {
            String id = "o" + o;
            int n = 1 + random.nextInt(maxEvents);
            all.put(
                    id,
                    LongStream.rangeClosed(1, n)
                            .mapToObj(seq -> SequencerHarness.ev(id, seq, type(seq, n)))
                            .toList());
        }
        return all;
    }

    @Property(tries = 200)
    void outputIsSortedDeduplicatedInputPerOrder(
            @ForAll @IntRange(min = 1, max = 12) int orders,
            @ForAll @IntRange(min = 1, max = 12) int maxEvents,
            @ForAll @IntRange(min = 0, max = 100) int duplicatePercent,
            @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        Map<String, List<OrderEvent>> expected = lifecycles(random, orders, maxEvents);
        List<OrderEvent> sent = new ArrayList<>();
        for (List<OrderEvent> life : expected.values()) {
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

    /** The slowest call over every try of both hostile-seq properties. */
    private static final CallTimer TIMER = new CallTimer();

    @AfterContainer
    static void reportSlowest() {
        TIMER.report("OrderSequencerProperties");
    }

    /** Loads the codec and Flink's classes once, so the first timed call measures the logic. */
    @BeforeContainer
    static void warmUp() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(
                    SequencerHarness.ev("warm-up", 1),
                    SequencerHarness.ev("warm-up", OrderEvent.MAX_SEQ),
                    SequencerHarness.ev("warm-up", 3));
            s.advance(SequencerHarness.GAP_TIMEOUT);
        }
    }

    /** Seqs no order of a property below can reach: far beyond next + max-seq-ahead. */
    @Provide
    Arbitrary<List<Long>> hostileSeqs() {
        Arbitrary<Long> huge =
                Arbitraries.oneOf(
                        Arbitraries.longs().between(1_000, OrderEvent.MAX_SEQ),
                        Arbitraries.of(
                                1L << 40,
                                1L << 62,
                                OrderEvent.MAX_SEQ,
                                OrderEvent.MAX_SEQ - 1,
                                (long) Integer.MAX_VALUE + 1));
        return huge.list().ofMaxSize(20);
    }

    /**
     * Hostile seqs mixed into valid orders are dead-lettered one by one, never buffered: the output
     * stays the sorted de-duplicated valid input, no buffer exceeds max-buffer, and each call
     * returns fast, under both gap policies.
     */
    @Property(tries = 60)
    void hugeSeqsAreDeadLetteredAndNeverBufferedOrOutput(
            @ForAll @IntRange(min = 1, max = 6) int orders,
            @ForAll @IntRange(min = 1, max = 12) int maxEvents,
            @ForAll("hostileSeqs") List<Long> hostile,
            @ForAll GapPolicy policy,
            @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        Map<String, List<OrderEvent>> expected = lifecycles(random, orders, maxEvents);
        List<OrderEvent> sent = new ArrayList<>();
        for (List<OrderEvent> life : expected.values()) {
            sent.addAll(life);
            sent.addAll(life.subList(0, random.nextInt(life.size() + 1)));
        }
        for (long seq : hostile) {
            String id = "o" + random.nextInt(orders + 1); // sometimes an order never seen
            sent.add(SequencerHarness.ev(id, seq, OrderEventType.ORDER_SHIPPED));
        }
        Collections.shuffle(sent, random);

        // max-seq-ahead at its smallest (= max-buffer), so every hostile seq is beyond it.
        int maxBuffer = 16;
        try (SequencerHarness s =
                new SequencerHarness(
                        SequencerHarness.settings(policy, maxBuffer, maxBuffer), null)) {
            CallTimer timer = TIMER;
            for (OrderEvent e : sent) {
                timer.time(() -> s.send(e));
                assertThat(s.largestBuffer()).isLessThanOrEqualTo(maxBuffer);
            }
            Map<String, List<OrderEvent>> actual =
                    s.out().stream()
                            .collect(
                                    Collectors.groupingBy(
                                            OrderEvent::orderId,
                                            TreeMap::new,
                                            Collectors.toList()));
            assertThat(actual).isEqualTo(expected);
            assertThat(s.deadLetters())
                    .hasSize(hostile.size())
                    .allSatisfy(d -> assertThat(d.reason()).contains("orders.max-seq-ahead"));
            assertThat(s.keysWith("buffer")).as("nothing waits").isEmpty();
        }
    }

    /**
     * Arbitrary seqs, small and huge, with duplicates and time passing, under the skip policy: per
     * order the output is strictly increasing and emits no event twice, no buffer exceeds
     * max-buffer, every call and timer callback returns fast, and once every order has been closed
     * (terminal grace or idle timeout) every distinct event sent was emitted or dead-lettered and
     * only tombstones are left.
     */
    @Property(tries = 60)
    void arbitrarySeqsNeverReorderDuplicateOrLoseAnEvent(
            @ForAll @IntRange(min = 1, max = 4) int orders,
            @ForAll @IntRange(min = 1, max = 60) int events,
            @ForAll GapPolicy policy,
            @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        int maxBuffer = 4;
        int maxSeqAhead = 8;
        List<OrderEvent> sent = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String id = "o" + random.nextInt(orders);
            long seq =
                    switch (random.nextInt(6)) {
                        case 0 -> 1 + random.nextInt(3);
                        case 1 -> Math.max(1, random.nextLong() >>> 2);
                        default -> 1 + random.nextInt(24);
                    };
            // The content of an event is a function of (order, seq): no conflicting duplicates.
            sent.add(SequencerHarness.ev(id, seq, typeOf(id, seq)));
        }

        try (SequencerHarness s =
                new SequencerHarness(
                        SequencerHarness.settings(policy, maxBuffer, maxSeqAhead), null)) {
            CallTimer timer = TIMER;
            for (OrderEvent e : sent) {
                timer.time(() -> s.send(e));
                if (random.nextInt(4) == 0) {
                    Duration d = SequencerHarness.GAP_TIMEOUT.multipliedBy(random.nextInt(3));
                    timer.time(() -> s.advance(d));
                }
                assertThat(s.largestBuffer()).isLessThanOrEqualTo(maxBuffer);
            }
            // In steps: a timer callback sees the clock at the end of the step, so a timer armed
            // by a callback (the next gap's skip, the clean-up after a released terminal event)
            // fires in a later step. Under the skip policy each of at most maxBuffer gaps takes
            // one round.
            for (int round = 0; round <= maxBuffer + 1; round++) {
                for (Duration step :
                        List.of(
                                SequencerHarness.GAP_TIMEOUT,
                                SequencerHarness.IDLE,
                                SequencerHarness.GRACE)) {
                    timer.time(() -> s.advance(step));
                }
            }

            Map<String, List<Long>> emitted = new TreeMap<>();
            for (OrderEvent e : s.out()) {
                emitted.computeIfAbsent(e.orderId(), k -> new ArrayList<>()).add(e.seq());
            }
            emitted.values().forEach(seqs -> assertThat(seqs).isSorted().doesNotHaveDuplicates());
            assertThat(s.out()).allSatisfy(e -> assertThat(sent).contains(e));

            Set<OrderEvent> answered = new HashSet<>(s.out());
            for (var d : s.deadLetters()) {
                answered.add(OrdersCapability.ORDERS.codec().decode(d.value()));
            }
            assertThat(answered).as("every event emitted or dead-lettered").containsAll(sent);
            assertThat(s.keysWith("progress")).as("every order closed").isEmpty();
            assertThat(s.keysWith("buffer")).isEmpty();
            assertThat(s.keysWith("emitted")).isEmpty();
            assertThat(s.h.numProcessingTimeTimers()).isZero();
        }
    }

    /** Mostly shipments, an occasional terminal event: a fixed function of order and seq. */
    private static OrderEventType typeOf(String orderId, long seq) {
        if (seq == 1) {
            return OrderEventType.ORDER_PLACED;
        }
        return Math.floorMod(orderId.hashCode() * 31 + Long.hashCode(seq), 11) == 0
                ? OrderEventType.ORDER_DELIVERED
                : OrderEventType.ORDER_SHIPPED;
    }

    private static OrderEventType type(long seq, int n) {
        if (seq == 1) {
            return OrderEventType.ORDER_PLACED;
        }
        return seq == n ? OrderEventType.ORDER_DELIVERED : OrderEventType.ORDER_SHIPPED;
    }
}
