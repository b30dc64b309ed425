package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.jobs.flink.Parse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
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
 * emitted, the order's state and timers are cleared after a grace period; an order that goes idle
 * for the idle timeout before reaching one is closed as abandoned. A closed order leaves a small
 * tombstone with its own time to live, so its late events are dead-lettered rather than emitted
 * again.
 *
 * <p>No input value drives a loop, an allocation or state size: an event further than {@code
 * maxSeqAhead} beyond the next expected seq is dead-lettered, a skipped gap costs O(1) whatever its
 * width, and every loop here runs over the buffer, which holds at most {@code maxBuffer} events.
 */
public class OrderSequencer extends KeyedProcessFunction<String, SourcedOrderEvent, OrderEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<OrderAlert> ALERTS = new OutputTag<>("order-alerts") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = Parse.DEAD_LETTERS;

    /**
     * Marked a seq given up on under the skip policy in the emitted-fingerprint map, one entry per
     * seq; still recognised in state restored from such a savepoint. Today a seq below the next
     * expected one without a fingerprint is skipped, whatever the gap's width.
     */
    static final String SKIPPED = "~skipped";

    /**
     * Most fingerprints kept in an order's progress value before the oldest move to the emitted
     * map; a typical order (tens of events) keeps nearly all of its own there.
     */
    static final int RECENT_MAX = 16;

    /** How many of the latest fingerprints stay in the progress value when the rest move. */
    static final int RECENT_KEEP = 8;

    private final SequencerSettings settings;

    private transient ValueState<OrderProgress> progress;
    private transient MapState<Long, SourcedOrderEvent> buffer;
    private transient MapState<Long, String> emitted;
    private transient ValueState<OrderTombstone> tombstone;

    private transient Counter inOrder;
    private transient Counter released;
    private transient Counter duplicates;
    private transient Counter conflicts;
    private transient Counter gaps;
    private transient Counter overflows;
    private transient Counter impossible;
    private transient Counter dlq;
    private transient Counter tooFarAhead;
    private transient Counter tooOld;
    private transient Counter abandoned;
    private transient Counter afterClose;
    private transient long bufferedNow;

    public OrderSequencer(SequencerSettings settings) {
        this.settings = settings;
    }

    static ValueStateDescriptor<OrderProgress> progressDescriptor() {
        return new ValueStateDescriptor<>("progress", TypeInformation.of(OrderProgress.class));
    }

    static MapStateDescriptor<Long, SourcedOrderEvent> bufferDescriptor() {
        return new MapStateDescriptor<>(
                "buffer", Types.LONG, TypeInformation.of(SourcedOrderEvent.class));
    }

    static MapStateDescriptor<Long, String> emittedDescriptor() {
        return new MapStateDescriptor<>("emitted", Types.LONG, Types.STRING);
    }

    /**
     * Flink's state TTL (processing time) expires tombstones without a timer per closed order;
     * RocksDB drops expired ones in compaction, the heap backend incrementally and in full
     * snapshots. Expired ones are never returned.
     */
    static ValueStateDescriptor<OrderTombstone> tombstoneDescriptor(Duration ttl) {
        ValueStateDescriptor<OrderTombstone> d =
                new ValueStateDescriptor<>("tombstone", TypeInformation.of(OrderTombstone.class));
        d.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .cleanupFullSnapshot()
                        .build());
        return d;
    }

    @Override
    public void open(OpenContext ctx) {
        progress = getRuntimeContext().getState(progressDescriptor());
        buffer = getRuntimeContext().getMapState(bufferDescriptor());
        emitted = getRuntimeContext().getMapState(emittedDescriptor());
        tombstone = getRuntimeContext().getState(tombstoneDescriptor(settings.tombstoneTtl()));

        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("orders");
        inOrder = m.counter("inOrder");
        released = m.counter("releasedFromBuffer");
        duplicates = m.counter("duplicates");
        conflicts = m.counter("conflicts");
        gaps = m.counter("gaps");
        overflows = m.counter("bufferOverflows");
        impossible = m.counter("impossibleTransitions");
        dlq = m.counter("dlq");
        tooFarAhead = m.counter("seqTooFarAhead");
        tooOld = m.counter("seqTooOld");
        abandoned = m.counter("abandoned");
        afterClose = m.counter("lateAfterClose");
        m.gauge("bufferedNow", () -> bufferedNow);
    }

    @Override
    public void processElement(SourcedOrderEvent in, Context ctx, Collector<OrderEvent> out)
            throws Exception {
        OrderEvent e = in.event();
        long seq = e.seq();
        OrderProgress p = progress.value();
        if (p == null) {
            // Only an order without live state pays for this read.
            OrderTombstone closed = tombstone.value();
            if (closed != null) {
                afterClose.inc();
                deadLetter(ctx, in, lateAfterClose(closed, seq));
                return;
            }
            p = OrderProgress.START;
        }

        if (seq < p.next()) {
            String seen = p.recentFingerprint(seq);
            if (seen == null) {
                seen = emitted.get(seq);
            }
            if (seen == null && seq < p.next() - 1 - settings.dedupWindow()) {
                // Older than the fingerprints kept: it cannot be told from a skipped seq or a
                // conflicting event, and it is never emitted twice.
                tooOld.inc();
                deadLetter(
                        ctx,
                        in,
                        "seq "
                                + seq
                                + " is more than orders.dedup-window ("
                                + settings.dedupWindow()
                                + ") behind the next expected seq "
                                + p.next()
                                + "; too old to verify as a duplicate, not emitted again");
            } else if (seen == null || SKIPPED.equals(seen)) {
                // Every emitted seq within the dedup window has its fingerprint until the order is
                // closed, so a seq below the next expected one without one was skipped: no
                // per-seq marker is needed.
                deadLetter(ctx, in, "seq " + seq + " arrived after its gap was skipped");
            } else if (e.fingerprint().equals(seen)) {
                duplicates.inc();
            } else {
                conflict(ctx, in, seen);
            }
            return;
        }
        // Both are >= 1, so the difference cannot overflow.
        long ahead = seq - p.next();
        if (ahead > settings.maxSeqAhead()) {
            tooFarAhead.inc();
            alert(
                    ctx,
                    e.orderId(),
                    OrderAlert.Kind.SEQ_TOO_FAR_AHEAD,
                    p.next(),
                    seq,
                    "seq "
                            + seq
                            + " is "
                            + ahead
                            + " beyond the next expected seq "
                            + p.next()
                            + "; at most "
                            + settings.maxSeqAhead()
                            + " is accepted");
            deadLetter(
                    ctx,
                    in,
                    "seq "
                            + seq
                            + " is more than orders.max-seq-ahead ("
                            + settings.maxSeqAhead()
                            + ") beyond the next expected seq "
                            + p.next());
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
            // Buffering is not progress: under the wait policy an order stuck on a gap is
            // abandoned idleTimeout after it last emitted, however many events pile up behind.
            progress.update(armIdleTimer(ctx, p));
            return;
        }
        p = emit(ctx, p, e, out);
        inOrder.inc();
        progress.update(armIdleTimer(ctx, drain(ctx, p, out)));
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
        }
        if (p.idleTimer() == timestamp) {
            p = p.withIdleTimer(0);
            long idleSince = p.lastActive() == 0 ? timestamp : p.lastActive();
            if (!p.terminal() && timestamp - idleSince >= settings.idleTimeout().toMillis()) {
                abandon(ctx, p);
                return;
            }
        }
        if (p.cleanupTimer() == timestamp) {
            closeOrder(ctx, p);
            return;
        }
        // An order restored from a savepoint older than the idle timeout gets its idle timer here
        // or at its next event.
        progress.update(armIdleTimer(ctx, p));
    }

    /**
     * Arms the idle timer unless one is armed. It is armed once and re-armed lazily when it fires
     * early (the order emitted since), so a live order costs one timer, not a timer delete and
     * register per event.
     */
    private OrderProgress armIdleTimer(Context ctx, OrderProgress p) {
        if (p.idleTimer() != 0 || p.terminal()) {
            // A terminal order is closed by its clean-up timer, which comes first.
            return p;
        }
        long now = ctx.timerService().currentProcessingTime();
        long since = p.lastActive() == 0 ? now : p.lastActive();
        // Fires idleTimeout after the order last emitted; never in the past.
        long at = Math.max(now, since + settings.idleTimeout().toMillis());
        ctx.timerService().registerProcessingTimeTimer(at);
        return p.withIdleTimer(at).withLastActive(since);
    }

    /**
     * The order went idle before its terminal event: alert it, dead-letter what waits, clear its
     * state and timers and leave a tombstone. Under the wait policy this is what ends the wait.
     */
    private void abandon(OnTimerContext ctx, OrderProgress p) throws Exception {
        abandoned.inc();
        String orderId = ctx.getCurrentKey();
        alert(
                ctx,
                orderId,
                OrderAlert.Kind.ORDER_ABANDONED,
                p.next(),
                p.next() - 1,
                "nothing emitted for "
                        + settings.idleTimeout()
                        + " before a terminal event; last emitted seq "
                        + (p.next() - 1)
                        + ", "
                        + p.buffered()
                        + " buffered events dead-lettered");
        String why =
                "order abandoned: nothing emitted for "
                        + settings.idleTimeout()
                        + " while this seq waited for seq "
                        + p.next();
        for (SourcedOrderEvent waiting : buffer.values()) {
            deadLetter(ctx, waiting, why);
        }
        clear(ctx, p, true);
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
            // One alert per gap: progress (drain) re-arms the timer for the next gap. The idle
            // timeout bounds how long the buffer waits.
            return p.withGapTimer(OrderProgress.GAP_ALERTED);
        }
        // O(1) whatever the gap's width: the skipped seqs are those below next without a
        // fingerprint kept (in the progress value or the emitted map).
        alert(
                ctx,
                orderId,
                OrderAlert.Kind.GAP_SKIPPED,
                next,
                firstWaiting,
                "skipped seq " + range(next, firstWaiting - 1) + "; released the buffer");
        p = compactFingerprints(p, next - 1, firstWaiting - 1);
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
        clear(ctx, p, false);
    }

    /** Clears the order's state and timers, leaving only its tombstone. */
    private void clear(OnTimerContext ctx, OrderProgress p, boolean wasAbandoned) throws Exception {
        bufferedNow -= p.buffered();
        if (p.hasArmedGapTimer()) {
            ctx.timerService().deleteProcessingTimeTimer(p.gapTimer());
        }
        if (p.cleanupTimer() != 0) {
            ctx.timerService().deleteProcessingTimeTimer(p.cleanupTimer());
        }
        if (p.idleTimer() != 0) {
            ctx.timerService().deleteProcessingTimeTimer(p.idleTimer());
        }
        progress.clear();
        buffer.clear();
        emitted.clear();
        tombstone.update(new OrderTombstone(p.next() - 1, wasAbandoned));
    }

    private String lateAfterClose(OrderTombstone closed, long seq) {
        return "seq "
                + seq
                + " arrived after its order was closed ("
                + (closed.abandoned()
                        ? "abandoned after " + settings.idleTimeout() + " idle"
                        : "terminal event + " + settings.terminalGrace() + " grace")
                + ", last emitted seq "
                + closed.lastSeq()
                + "); its state is gone, so it is not emitted again";
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
        p = compactFingerprints(remember(p, e.seq(), e.fingerprint()), p.next() - 1, e.seq());
        // Emitting is what counts as progress for the idle timeout, whether an arrival or a gap
        // skip released the event.
        p = p.emitted(e.seq(), e.type()).withLastActive(ctx.timerService().currentProcessingTime());
        if (e.type().isTerminal() && p.cleanupTimer() == 0) {
            long at =
                    ctx.timerService().currentProcessingTime()
                            + settings.terminalGrace().toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            p = p.withCleanupTimer(at);
            // The clean-up timer now bounds the order's life; the idle timer is not needed.
            long idle = p.idleTimer();
            p = p.withIdleTimer(0);
            if (idle != 0 && !p.usesTimer(idle)) {
                ctx.timerService().deleteProcessingTimeTimer(idle);
            }
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
        long oldGapTimer = p.hasArmedGapTimer() ? p.gapTimer() : 0;
        p = p.withGapTimer(0);
        if (oldGapTimer != 0 && !p.usesTimer(oldGapTimer)) {
            // Timers are one per key and time: keep it if another of the order's timers shares it.
            ctx.timerService().deleteProcessingTimeTimer(oldGapTimer);
        }
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
                        OrdersCapability.ORDERS.codec().encode(e),
                        reason,
                        "sequence",
                        Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()),
                        settings.maxDeadLetterBytes()));
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

    /**
     * Keeps {@code seq}'s fingerprint in the progress value, which is read and written for every
     * event anyway, so an emitted event costs no state write of its own. Once more than {@link
     * #RECENT_MAX} are kept there, the oldest are moved to the emitted map in one batch: the value,
     * rewritten per event, stays small however long the order lives.
     */
    private OrderProgress remember(OrderProgress p, long seq, String fingerprint) throws Exception {
        p = p.withRecentAdded(seq, fingerprint);
        int n = p.recentCount();
        if (n <= RECENT_MAX) {
            return p;
        }
        int spill = n - RECENT_KEEP;
        Map<Long, String> older = new HashMap<>(spill * 2);
        for (int i = 0; i < spill; i++) {
            older.put(p.recentSeqs()[i], p.recentFingerprints()[i]);
        }
        emitted.putAll(older);
        return p.withRecentFrom(spill);
    }

    /**
     * Keeps the fingerprints of an order that never ends bounded: whenever the emitted seq crosses
     * a multiple of the dedup window (or a skip jumps over one), the fingerprints more than a
     * window behind are removed, from the progress value and from the map. One pass over at most
     * about two windows of entries per window of seqs, so O(1) per event amortised, and at most
     * about two windows of entries per order.
     */
    private OrderProgress compactFingerprints(OrderProgress p, long previous, long seq)
            throws Exception {
        long window = settings.dedupWindow();
        if (Math.floorDiv(previous, window) == Math.floorDiv(seq, window)) {
            return p;
        }
        long floor = seq - window;
        Iterator<Long> keys = emitted.keys().iterator();
        while (keys.hasNext()) {
            if (keys.next() < floor) {
                keys.remove();
            }
        }
        return p.withRecentAtLeast(floor);
    }
}
