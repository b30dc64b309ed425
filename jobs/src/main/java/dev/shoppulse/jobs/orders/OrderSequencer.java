package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.jobs.flink.Parse;
import java.nio.charset.StandardCharsets;
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

    private final SequencerSettings settings;

    private transient ValueState<OrderProgress> progress;
    private transient MapState<Long, SourcedOrderEvent> buffer;
    private transient MapState<Long, String> emitted;

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
        progress =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "progress", TypeInformation.of(OrderProgress.class)));
        buffer =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "buffer",
                                        Types.LONG,
                                        TypeInformation.of(SourcedOrderEvent.class)));
        emitted =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("emitted", Types.LONG, Types.STRING));

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
        OrderProgress p = current();
        long seq = e.seq();

        if (seq < p.next()) {
            String seen = emitted.get(seq);
            if (SKIPPED.equals(seen)) {
                deadLetter(ctx, in, "seq " + seq + " arrived after its gap was skipped");
            } else if (e.fingerprint().equals(seen)) {
                duplicates.inc();
            } else {
                conflict(ctx, in, seen);
            }
            return;
        }
        if (seq > p.next()) {
            SourcedOrderEvent waiting = p.buffered() == 0 ? null : buffer.get(seq);
            if (waiting != null) {
                if (waiting.event().sameContentAs(e)) {
                    duplicates.inc();
                } else {
                    conflict(ctx, in, waiting.event().fingerprint());
                }
                return;
            }
            if (p.buffered() >= settings.maxBuffer()) {
                overflows.inc();
                alert(
                        ctx,
                        e.orderId(),
                        OrderAlert.Kind.BUFFER_OVERFLOW,
                        p.next(),
                        seq,
                        "buffer full ("
                                + p.buffered()
                                + " events) while waiting for seq "
                                + p.next());
                deadLetter(
                        ctx,
                        in,
                        "buffer full: "
                                + p.buffered()
                                + " events already wait for seq "
                                + p.next());
                return;
            }
            buffer.put(seq, in);
            bufferedNow++;
            p = p.withBuffered(p.buffered() + 1);
            if (p.gapTimer() == 0) {
                p = armGapTimer(ctx, p);
            }
            progress.update(p);
            return;
        }
        p = emit(ctx, p, e, out);
        inOrder.inc();
        progress.update(drain(ctx, p, out));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderEvent> out)
            throws Exception {
        OrderProgress p = progress.value();
        if (p == null) {
            return;
        }
        if (p.gapTimer() == timestamp) {
            p = onGapTimeout(ctx, p.withGapTimer(0), out);
            progress.update(p);
        }
        if (p.cleanupTimer() == timestamp) {
            closeOrder(ctx, p);
        }
    }

    private OrderProgress onGapTimeout(
            OnTimerContext ctx, OrderProgress p, Collector<OrderEvent> out) throws Exception {
        if (p.buffered() == 0) {
            return p;
        }
        long next = p.next();
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
                        + p.buffered()
                        + " events wait");
        if (settings.gapPolicy() == GapPolicy.WAIT) {
            // One alert per gap: progress (drain) re-arms the timer for the next gap.
            return p.withGapTimer(OrderProgress.GAP_ALERTED);
        }
        for (long s = next; s < firstWaiting; s++) {
            emitted.put(s, SKIPPED);
        }
        alert(
                ctx,
                orderId,
                OrderAlert.Kind.GAP_SKIPPED,
                next,
                firstWaiting,
                "skipped seq " + range(next, firstWaiting - 1) + "; released the buffer");
        return drain(ctx, p.withNext(firstWaiting), out);
    }

    /** Terminal grace is over: anything still waiting can never be in order, so dead-letter it. */
    private void closeOrder(OnTimerContext ctx, OrderProgress p) throws Exception {
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
                            + p.next());
        }
        bufferedNow -= p.buffered();
        if (p.hasArmedGapTimer()) {
            ctx.timerService().deleteProcessingTimeTimer(p.gapTimer());
        }
        progress.clear();
        buffer.clear();
        emitted.clear();
    }

    private OrderProgress emit(
            Context ctx, OrderProgress p, OrderEvent e, Collector<OrderEvent> out)
            throws Exception {
        if (!OrderLifecycle.allowed(p.lastType(), e.type())) {
            impossible.inc();
            alert(
                    ctx,
                    e.orderId(),
                    OrderAlert.Kind.IMPOSSIBLE_TRANSITION,
                    e.seq(),
                    e.seq(),
                    OrderLifecycle.explain(p.lastType(), e.type()));
        }
        out.collect(e);
        emitted.put(e.seq(), e.fingerprint());
        p = p.emitted(e.seq(), e.type());
        if (e.type().isTerminal() && p.cleanupTimer() == 0) {
            long at =
                    ctx.timerService().currentProcessingTime()
                            + settings.terminalGrace().toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            p = p.withCleanupTimer(at);
        }
        return p;
    }

    /**
     * Emits buffered events while the next expected one is waiting, then re-arms or clears the gap
     * timer.
     */
    private OrderProgress drain(Context ctx, OrderProgress p, Collector<OrderEvent> out)
            throws Exception {
        if (p.buffered() == 0 && p.gapTimer() == 0) {
            return p;
        }
        SourcedOrderEvent waiting;
        while (p.buffered() > 0 && (waiting = buffer.get(p.next())) != null) {
            buffer.remove(p.next());
            bufferedNow--;
            p = emit(ctx, p.withBuffered(p.buffered() - 1), waiting.event(), out);
            released.inc();
        }
        if (p.hasArmedGapTimer()) {
            ctx.timerService().deleteProcessingTimeTimer(p.gapTimer());
        }
        p = p.withGapTimer(0);
        if (p.buffered() > 0) {
            // The gap moved: the timeout measures how long we have waited for this seq.
            p = armGapTimer(ctx, p);
        }
        return p;
    }

    private OrderProgress armGapTimer(Context ctx, OrderProgress p) {
        long at = ctx.timerService().currentProcessingTime() + settings.gapTimeout().toMillis();
        ctx.timerService().registerProcessingTimeTimer(at);
        return p.withGapTimer(at);
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
                        e.orderId().getBytes(StandardCharsets.UTF_8),
                        Topics.ORDERS.codec().encode(e),
                        reason,
                        "sequence",
                        Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()),
                        settings.maxDeadLetterBytes()));
    }

    private OrderProgress current() throws Exception {
        OrderProgress p = progress.value();
        return p == null ? OrderProgress.START : p;
    }

    private long smallestBuffered() throws Exception {
        long min = Long.MAX_VALUE;
        for (Long s : buffer.keys()) {
            min = Math.min(min, s);
        }
        return min;
    }

    private static String range(long from, long to) {
        return from == to ? String.valueOf(from) : from + ".." + to;
    }
}
