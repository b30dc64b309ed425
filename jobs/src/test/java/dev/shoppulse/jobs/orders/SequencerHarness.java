package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** A keyed operator harness around {@link OrderSequencer}, with event builders for the tests. */
final class SequencerHarness implements AutoCloseable {
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration GRACE = Duration.ofMinutes(10);
    static final Duration IDLE = Duration.ofHours(1);
    static final Duration TOMBSTONE_TTL = Duration.ofHours(2);
    static final int MAX_SEQ_AHEAD = 10_000;
    static final long START_MILLIS = 1_000_000;

    static final OrderEventType[] LIFE = {
        OrderEventType.ORDER_PLACED,
        OrderEventType.PAYMENT_CAPTURED,
        OrderEventType.ORDER_SHIPPED,
        OrderEventType.ORDER_DELIVERED
    };

    final KeyedOneInputStreamOperatorTestHarness<String, SourcedOrderEvent, OrderEvent> h;
    final SequencerSettings settings;
    private long offset;

    SequencerHarness(GapPolicy policy, int maxBuffer) throws Exception {
        this(policy, maxBuffer, null);
    }

    /** A harness restored from {@code snapshot} (null for a fresh one). */
    SequencerHarness(GapPolicy policy, int maxBuffer, OperatorSubtaskState snapshot)
            throws Exception {
        this(settings(policy, maxBuffer, MAX_SEQ_AHEAD), snapshot);
    }

    SequencerHarness(SequencerSettings settings, OperatorSubtaskState snapshot) throws Exception {
        this.settings = settings;
        h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new OrderSequencer(settings)),
                        SourcedOrderEvent::orderId,
                        Types.STRING);
        if (snapshot != null) {
            h.initializeState(snapshot);
        }
        h.open();
        // A real clock never reads 0, which the sequencer's state uses for "not known yet".
        advance(Duration.ofMillis(START_MILLIS));
    }

    static SequencerSettings settings(GapPolicy policy, int maxBuffer, int maxSeqAhead) {
        return settings(policy, maxBuffer, maxSeqAhead, 1024);
    }

    static SequencerSettings settings(
            GapPolicy policy, int maxBuffer, int maxSeqAhead, int dedupWindow) {
        return new SequencerSettings(
                GAP_TIMEOUT,
                policy,
                maxBuffer,
                maxSeqAhead,
                dedupWindow,
                GRACE,
                IDLE,
                TOMBSTONE_TTL,
                1024);
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
                // Folded so that a huge seq still gives a valid time; small seqs are unchanged.
                Instant.parse("2026-11-27T10:00:00Z").plusSeconds(seq % 1_000_000_000L),
                "{\"n\":" + seq + "}");
    }

    void send(OrderEvent... events) throws Exception {
        for (OrderEvent e : events) {
            h.processElement(new StreamRecord<>(new SourcedOrderEvent(e, "orders", 0, offset++)));
        }
    }

    /** Moves processing time, for timers and for state TTL alike. */
    void advance(Duration d) throws Exception {
        long now = h.getProcessingTime() + d.toMillis();
        h.setStateTtlProcessingTime(now);
        h.setProcessingTime(now);
    }

    /** The sequencer's live progress of {@code orderId}, null if it has none. */
    OrderProgress progress(String orderId) throws Exception {
        return state(orderId, OrderSequencer.progressDescriptor()).value();
    }

    /** Overwrites the progress of {@code orderId}, as a restore from an older savepoint would. */
    void putProgress(String orderId, OrderProgress p) throws Exception {
        state(orderId, OrderSequencer.progressDescriptor()).update(p);
    }

    /** The unexpired tombstone of {@code orderId}, null if it has none. */
    OrderTombstone tombstone(String orderId) throws Exception {
        return state(orderId, OrderSequencer.tombstoneDescriptor(settings.tombstoneTtl())).value();
    }

    /** How many events wait in the buffer of {@code orderId}. */
    int buffered(String orderId) throws Exception {
        return size(state(orderId, OrderSequencer.bufferDescriptor()).keys());
    }

    /**
     * How many fingerprints (or old skip markers) {@code orderId} keeps, in its progress value and
     * its emitted map together.
     */
    int emittedEntries(String orderId) throws Exception {
        OrderProgress p = progress(orderId);
        return mapEntries(orderId) + (p == null ? 0 : p.recentCount());
    }

    /** How many fingerprints (or old skip markers) the emitted map of {@code orderId} holds. */
    int mapEntries(String orderId) throws Exception {
        return size(state(orderId, OrderSequencer.emittedDescriptor()).keys());
    }

    /** Writes a fingerprint into the emitted map, as a restore from an older savepoint would. */
    void putMapFingerprint(String orderId, long seq, String fingerprint) throws Exception {
        state(orderId, OrderSequencer.emittedDescriptor()).put(seq, fingerprint);
    }

    /** The largest buffer of any order. */
    int largestBuffer() throws Exception {
        int max = 0;
        for (String key : keysWith("buffer")) {
            max = Math.max(max, buffered(key));
        }
        return max;
    }

    /** The keys with an entry in the named state. */
    List<String> keysWith(String stateName) {
        try (Stream<String> keys = backend().getKeys(stateName, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }

    @SuppressWarnings("unchecked")
    private KeyedStateBackend<String> backend() {
        return ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
    }

    private <S extends State> S state(String orderId, StateDescriptor<S, ?> d) throws Exception {
        KeyedStateBackend<String> b = backend();
        b.setCurrentKey(orderId);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
    }

    private static int size(Iterable<?> it) {
        int n = 0;
        if (it != null) {
            for (Object ignored : it) {
                n++;
            }
        }
        return n;
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
