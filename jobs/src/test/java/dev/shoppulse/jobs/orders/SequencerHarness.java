package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** A keyed operator harness around {@link OrderSequencer}, with event builders for the tests. */
final class SequencerHarness implements AutoCloseable {
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration GRACE = Duration.ofMinutes(10);

    static final OrderEventType[] LIFE = {
        OrderEventType.ORDER_PLACED,
        OrderEventType.PAYMENT_CAPTURED,
        OrderEventType.ORDER_SHIPPED,
        OrderEventType.ORDER_DELIVERED
    };

    final KeyedOneInputStreamOperatorTestHarness<String, SourcedOrderEvent, OrderEvent> h;
    private long offset;

    SequencerHarness(GapPolicy policy, int maxBuffer) throws Exception {
        this(policy, maxBuffer, null);
    }

    /** A harness restored from {@code snapshot} (null for a fresh one). */
    SequencerHarness(GapPolicy policy, int maxBuffer, OperatorSubtaskState snapshot)
            throws Exception {
        h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new OrderSequencer(
                                        new SequencerSettings(
                                                GAP_TIMEOUT, policy, maxBuffer, GRACE, 1024))),
                        SourcedOrderEvent::orderId,
                        Types.STRING);
        if (snapshot != null) {
            h.initializeState(snapshot);
        }
        h.open();
    }

    SequencerHarness() throws Exception {
        this(GapPolicy.SKIP, 64);
    }

    /** The seq-th event of an order with the normal lifecycle. */
    static OrderEvent ev(String orderId, long seq) {
        return ev(orderId, seq, LIFE[(int) Math.min(seq, LIFE.length) - 1]);
    }

    static OrderEvent ev(String orderId, long seq, OrderEventType type) {
        return new OrderEvent(
                orderId + "-e" + seq,
                orderId,
                seq,
                type,
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(seq),
                "{\"n\":" + seq + "}");
    }

    void send(OrderEvent... events) throws Exception {
        for (OrderEvent e : events) {
            h.processElement(new StreamRecord<>(new SourcedOrderEvent(e, "orders", 0, offset++)));
        }
    }

    void advance(Duration d) throws Exception {
        h.setProcessingTime(h.getProcessingTime() + d.toMillis());
    }

    List<OrderEvent> out() {
        return h.extractOutputValues();
    }

    List<Long> seqs(String orderId) {
        return out().stream()
                .filter(e -> e.orderId().equals(orderId))
                .map(OrderEvent::seq)
                .toList();
    }

    List<OrderAlert> alerts() {
        return values(h.getSideOutput(OrderSequencer.ALERTS));
    }

    List<DeadLetter> deadLetters() {
        return values(h.getSideOutput(OrderSequencer.DEAD_LETTERS));
    }

    private static <T> List<T> values(Queue<StreamRecord<T>> q) {
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
