package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.jobs.flink.Parse;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Emits each order's events exactly once and strictly in {@code seq} order, keyed by order id.
 *
 * <p>An event ahead of the next expected seq waits in keyed state until the gap closes. A repeat of
 * an event already emitted or buffered is dropped; a different event claiming a seq already taken
 * is dead-lettered. A gap open longer than the gap timeout raises {@code GAP_DETECTED} and, under
 * {@link GapPolicy#SKIP}, releases the buffer. Once a terminal event (delivered, cancelled) is
 * emitted, the order's state and timers are cleared after a grace period, so state does not grow
 * forever.
 */
public class OrderSequencer extends KeyedProcessFunction<String, SourcedOrderEvent, OrderEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<OrderAlert> ALERTS = new OutputTag<>("order-alerts") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = Parse.DEAD_LETTERS;

    /** Marks a seq given up on under the skip policy, in the emitted-fingerprint map. */
    static final String SKIPPED = "~skipped";

    /** Stored in {@link #gapTimer} under the wait policy once a gap has been alerted. */
    private static final long GAP_ALERTED = Long.MAX_VALUE;

    private final SequencerSettings settings;

    private transient ValueState<Long> nextSeq;
    private transient MapState<Long, SourcedOrderEvent> buffer;
    private transient ValueState<Integer> bufferSize;
    private transient MapState<Long, String> emitted;
    private transient ValueState<OrderEventType> lastType;
    private transient ValueState<Long> gapTimer;
    private transient ValueState<Long> cleanupTimer;

    private transient Counter inOrder;
    private transient Counter released;
    private transient Counter duplicates;
    private transient Counter conflicts;
    private transient Counter gaps;
    private transient Counter overflows;
    private transient Counter impossible;
    private transient Counter dlq;
    private transient long bufferedNow;

    public OrderSequencer(SequencerSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        nextSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("next-seq", Types.LONG));
        buffer =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "buffer",
                                        Types.LONG,
                                        TypeInformation.of(SourcedOrderEvent.class)));
        bufferSize =
                getRuntimeContext().getState(new ValueStateDescriptor<>("buffer-size", Types.INT));
        emitted =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("emitted", Types.LONG, Types.STRING));
        lastType =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "last-type", TypeInformation.of(OrderEventType.class)));
        gapTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("gap-timer", Types.LONG));
        cleanupTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("cleanup-timer", Types.LONG));

        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("orders");
        inOrder = m.counter("inOrder");
        released = m.counter("releasedFromBuffer");
        duplicates = m.counter("duplicates");
        conflicts = m.counter("conflicts");
        gaps = m.counter("gaps");
        overflows = m.counter("bufferOverflows");
        impossible = m.counter("impossibleTransitions");
        dlq = m.counter("dlq");
        m.gauge("bufferedNow", () -> bufferedNow);
    }

    @Override
    public void processElement(SourcedOrderEvent in, Context ctx, Collector<OrderEvent> out)
            throws Exception {
        OrderEvent e = in.event();
        long next = next();
        long seq = e.seq();

        if (seq < next) {
            String seen = emitted.get(seq);
            if (SKIPPED.equals(seen)) {
                deadLetter(ctx, in, "seq " + seq + " arrived after its gap was skipped");
            } else if (fingerprint(e).equals(seen)) {
                duplicates.inc();
            } else {
                conflict(ctx, in, seen);
            }
            return;
        }
        if (seq > next) {
            SourcedOrderEvent waiting = buffer.get(seq);
            if (waiting != null) {
                if (waiting.event().sameContentAs(e)) {
                    duplicates.inc();
                } else {
                    conflict(ctx, in, fingerprint(waiting.event()));
                }
                return;
            }
            int size = size();
            if (size >= settings.maxBuffer()) {
                overflows.inc();
                alert(
                        ctx,
                        e.orderId(),
                        OrderAlert.Kind.BUFFER_OVERFLOW,
                        next,
                        seq,
                        "buffer full (" + size + " events) while waiting for seq " + next);
                deadLetter(
                        ctx, in, "buffer full: " + size + " events already wait for seq " + next);
                return;
            }
            buffer.put(seq, in);
            bufferSize.update(size + 1);
            bufferedNow++;
            if (gapTimer.value() == null) {
                armGapTimer(ctx);
            }
            return;
        }
        emit(ctx, e, out);
        inOrder.inc();
        drain(ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderEvent> out)
            throws Exception {
        Long gap = gapTimer.value();
        if (gap != null && gap == timestamp) {
            onGapTimeout(ctx, out);
        }
        Long cleanup = cleanupTimer.value();
        if (cleanup != null && cleanup == timestamp) {
            closeOrder(ctx);
        }
    }

    private void onGapTimeout(OnTimerContext ctx, Collector<OrderEvent> out) throws Exception {
        gapTimer.clear();
        if (size() == 0) {
            return;
        }
        long next = next();
        long firstWaiting = smallestBuffered();
        String orderId = ctx.getCurrentKey();
        gaps.inc();
        alert(
                ctx,
                orderId,
                OrderAlert.Kind.GAP_DETECTED,
                next,
                firstWaiting,
                "missing seq "
                        + range(next, firstWaiting - 1)
                        + " for longer than "
                        + settings.gapTimeout()
                        + "; "
                        + size()
                        + " events wait");
        if (settings.gapPolicy() == GapPolicy.WAIT) {
            // One alert per gap: progress (drain) re-arms the timer for the next gap.
            gapTimer.update(GAP_ALERTED);
            return;
        }
        for (long s = next; s < firstWaiting; s++) {
            emitted.put(s, SKIPPED);
        }
        nextSeq.update(firstWaiting);
        alert(
                ctx,
                orderId,
                OrderAlert.Kind.GAP_SKIPPED,
                next,
                firstWaiting,
                "skipped seq " + range(next, firstWaiting - 1) + "; released the buffer");
        drain(ctx, out);
    }

    /** Terminal grace is over: anything still waiting can never be in order, so dead-letter it. */
    private void closeOrder(OnTimerContext ctx) throws Exception {
        for (SourcedOrderEvent waiting : buffer.values()) {
            deadLetter(
                    ctx,
                    waiting,
                    "order closed "
                            + settings.terminalGrace()
                            + " after its terminal event"
                            + " while seq "
                            + waiting.event().seq()
                            + " still waited for seq "
                            + next());
        }
        bufferedNow -= size();
        Long gap = gapTimer.value();
        if (gap != null && gap != GAP_ALERTED) {
            ctx.timerService().deleteProcessingTimeTimer(gap);
        }
        nextSeq.clear();
        buffer.clear();
        bufferSize.clear();
        emitted.clear();
        lastType.clear();
        gapTimer.clear();
        cleanupTimer.clear();
    }

    private void emit(Context ctx, OrderEvent e, Collector<OrderEvent> out) throws Exception {
        OrderEventType previous = lastType.value();
        if (!OrderLifecycle.allowed(previous, e.type())) {
            impossible.inc();
            alert(
                    ctx,
                    e.orderId(),
                    OrderAlert.Kind.IMPOSSIBLE_TRANSITION,
                    e.seq(),
                    e.seq(),
                    OrderLifecycle.explain(previous, e.type()));
        }
        out.collect(e);
        emitted.put(e.seq(), fingerprint(e));
        lastType.update(e.type());
        nextSeq.update(e.seq() + 1);
        if (e.type().isTerminal() && cleanupTimer.value() == null) {
            long at =
                    ctx.timerService().currentProcessingTime()
                            + settings.terminalGrace().toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            cleanupTimer.update(at);
        }
    }

    /**
     * Emits buffered events while the next expected one is waiting, then re-arms or clears the gap
     * timer.
     */
    private void drain(Context ctx, Collector<OrderEvent> out) throws Exception {
        int size = size();
        long next = next();
        SourcedOrderEvent waiting;
        while (size > 0 && (waiting = buffer.get(next)) != null) {
            buffer.remove(next);
            size--;
            bufferedNow--;
            emit(ctx, waiting.event(), out);
            released.inc();
            next++;
        }
        if (size == 0) {
            bufferSize.clear();
        } else {
            bufferSize.update(size);
        }
        Long gap = gapTimer.value();
        if (gap != null && gap != GAP_ALERTED) {
            ctx.timerService().deleteProcessingTimeTimer(gap);
        }
        gapTimer.clear();
        if (size > 0) {
            // The gap moved: the timeout measures how long we have waited for this seq.
            armGapTimer(ctx);
        }
    }

    private void armGapTimer(Context ctx) throws Exception {
        long at = ctx.timerService().currentProcessingTime() + settings.gapTimeout().toMillis();
        ctx.timerService().registerProcessingTimeTimer(at);
        gapTimer.update(at);
    }

    private void conflict(Context ctx, SourcedOrderEvent in, String seenFingerprint) {
        conflicts.inc();
        String seenId = seenFingerprint == null ? "?" : seenFingerprint.split("\\|", 2)[0];
        deadLetter(
                ctx,
                in,
                "conflicting duplicate: seq "
                        + in.event().seq()
                        + " is already taken by eventId "
                        + seenId
                        + " with other content");
    }

    private void alert(
            Context ctx,
            String orderId,
            OrderAlert.Kind kind,
            long expected,
            long seq,
            String detail) {
        ctx.output(
                ALERTS,
                new OrderAlert(
                        orderId,
                        kind,
                        expected,
                        seq,
                        detail,
                        Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
    }

    private void deadLetter(Context ctx, SourcedOrderEvent in, String reason) {
        dlq.inc();
        OrderEvent e = in.event();
        ctx.output(
                DEAD_LETTERS,
                DeadLetter.of(
                        in.topic(),
                        in.partition(),
                        in.offset(),
                        e.orderId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Topics.ORDERS.codec().encode(e),
                        reason,
                        "sequence",
                        Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()),
                        settings.maxDeadLetterBytes()));
    }

    private long next() throws Exception {
        Long n = nextSeq.value();
        return n == null ? 1L : n;
    }

    private int size() throws Exception {
        Integer s = bufferSize.value();
        return s == null ? 0 : s;
    }

    private long smallestBuffered() throws Exception {
        long min = Long.MAX_VALUE;
        for (Long s : buffer.keys()) {
            min = Math.min(min, s);
        }
        return min;
    }

    /** Identity of an emitted event: its id plus a digest of its content. */
    static String fingerprint(OrderEvent e) {
        return e.eventId()
                + "|"
                + e.type().name()
                + "|"
                + e.occurredAt().toEpochMilli()
                + "|"
                + Integer.toHexString(e.payload().hashCode());
    }

    private static String range(long from, long to) {
        return from == to ? String.valueOf(from) : from + ".." + to;
    }
}
