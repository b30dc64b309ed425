package dev.shoppulse.jobs.orders;

import static dev.shoppulse.jobs.orders.SequencerHarness.GAP_TIMEOUT;
import static dev.shoppulse.jobs.orders.SequencerHarness.GRACE;
import static dev.shoppulse.jobs.orders.SequencerHarness.IDLE;
import static dev.shoppulse.jobs.orders.SequencerHarness.MAX_SEQ_AHEAD;
import static dev.shoppulse.jobs.orders.SequencerHarness.TOMBSTONE_TTL;
import static dev.shoppulse.jobs.orders.SequencerHarness.ev;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Operator-harness tests of the sequencer's bounds under hostile input: no seq value drives a loop,
 * a wait or state size, every order's state ends, and a closed order is never emitted again.
 */
class OrderSequencerBoundsTest {
    /** Loads the codec and Flink's classes once, so the first timed call measures the logic. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("warm-up", 1), ev("warm-up", OrderEvent.MAX_SEQ), ev("warm-up", 3));
            s.advance(GAP_TIMEOUT);
        }
    }

    private final CallTimer timer = new CallTimer();

    private Duration timed(CallTimer.Step step) throws Exception {
        return timer.time(step);
    }

    @AfterEach
    void report(TestInfo test) {
        timer.report(test.getDisplayName());
    }

    static Stream<Arguments> hugeSeqs() {
        return Stream.of(GapPolicy.values())
                .flatMap(p -> Stream.of(Arguments.of(p, 1L << 62), Arguments.of(p, 1L << 40)));
    }

    @ParameterizedTest(name = "{0}: seq {1} after seq 1")
    @MethodSource("hugeSeqs")
    void aHugeSeqAfterSeqOneIsDeadLetteredWithoutStateOrTimers(GapPolicy policy, long huge)
            throws Exception {
        try (SequencerHarness s = new SequencerHarness(policy, 64)) {
            s.send(ev("a", 1));
            int entriesBefore = s.h.numKeyedStateEntries();
            OrderProgress before = s.progress("a");

            timed(() -> s.send(ev("a", huge)));

            assertThat(s.deadLetters())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.reason())
                                        .isEqualTo(
                                                "seq "
                                                        + huge
                                                        + " is more than orders.max-seq-ahead ("
                                                        + MAX_SEQ_AHEAD
                                                        + ") beyond the next expected seq 2");
                                assertThat(d.stage()).isEqualTo("sequence");
                                assertThat(d.offset()).isEqualTo(1);
                            });
            assertThat(s.alerts())
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.kind()).isEqualTo(OrderAlert.Kind.SEQ_TOO_FAR_AHEAD);
                                assertThat(a.seq()).isEqualTo(huge);
                                assertThat(a.expectedSeq()).isEqualTo(2);
                            });
            assertThat(s.progress("a")).as("state untouched").isEqualTo(before);
            assertThat(s.buffered("a")).isZero();
            assertThat(s.emittedEntries("a")).isEqualTo(1);
            assertThat(s.h.numKeyedStateEntries()).isEqualTo(entriesBefore);
            assertThat(s.h.numProcessingTimeTimers()).as("no gap timer, only idle").isEqualTo(1);

            // No gap was opened: nothing is alerted or skipped later, and the order carries on.
            timed(() -> s.advance(GAP_TIMEOUT.multipliedBy(3)));
            assertThat(s.alerts()).hasSize(1);
            s.send(ev("a", 2), ev("a", 3), ev("a", 4));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.deadLetters()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(GapPolicy.class)
    void aHugeSeqAsAnOrdersFirstEventLeavesNoStateAtAll(GapPolicy policy) throws Exception {
        try (SequencerHarness s = new SequencerHarness(policy, 64)) {
            s.send(ev("a", OrderEvent.MAX_SEQ), ev("b", 1L << 62), ev("c", MAX_SEQ_AHEAD + 2L));
            assertThat(s.out()).isEmpty();
            assertThat(s.deadLetters()).hasSize(3);
            assertThat(s.h.numKeyedStateEntries()).isZero();
            assertThat(s.h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theBoundItselfIsAcceptedAndOneBeyondIsNot() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 64)) {
            s.send(ev("a", 1, OrderEventType.ORDER_PLACED));
            s.send(ev("a", 2 + MAX_SEQ_AHEAD + 1L, OrderEventType.ORDER_SHIPPED));
            assertThat(s.deadLetters()).hasSize(1);
            s.send(ev("a", 2 + MAX_SEQ_AHEAD, OrderEventType.ORDER_SHIPPED));
            assertThat(s.deadLetters()).hasSize(1);
            assertThat(s.buffered("a")).isEqualTo(1);
        }
    }

    /**
     * The widest gap the bound admits is skipped in O(1): with the bound at {@code
     * Integer.MAX_VALUE}, one entry per skipped seq would take minutes and gigabytes.
     */
    @ParameterizedTest(name = "max-seq-ahead {0}")
    @MethodSource("bounds")
    void aGapOfExactlyMaxSeqAheadIsSkippedInConstantTimeAndItsSeqsStayDeadLettered(int bound)
            throws Exception {
        long far = 2L + bound;
        try (SequencerHarness s =
                new SequencerHarness(SequencerHarness.settings(GapPolicy.SKIP, 64, bound), null)) {
            s.send(ev("a", 1, OrderEventType.ORDER_PLACED));
            s.send(ev("a", far, OrderEventType.ORDER_SHIPPED));
            assertThat(s.deadLetters()).as("the bound itself is accepted").isEmpty();

            timed(() -> s.advance(GAP_TIMEOUT));

            assertThat(s.seqs("a")).containsExactly(1L, far);
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(OrderAlert.Kind.GAP_DETECTED, OrderAlert.Kind.GAP_SKIPPED);
            assertThat(s.alerts().get(1).detail()).contains("skipped seq 2.." + (far - 1));
            // Seq 1 is more than orders.dedup-window behind now: its fingerprint is compacted.
            assertThat(s.emittedEntries("a")).as("no entry per skipped seq").isEqualTo(1);
            assertThat(s.progress("a").next()).isEqualTo(far + 1);

            // Skipped seqs arriving late, at both ends and in the middle, go to the DLQ: within
            // the dedup window as skipped, beyond it as too old to verify.
            timed(() -> s.send(ev("a", 2), ev("a", far / 2), ev("a", far - 1)));
            assertThat(s.deadLetters())
                    .extracting(DeadLetter::reason)
                    .satisfiesExactly(
                            r -> assertThat(r).startsWith("seq 2 is more than orders.dedup-window"),
                            r ->
                                    assertThat(r)
                                            .startsWith(
                                                    "seq "
                                                            + far / 2
                                                            + " is more than orders.dedup-window"),
                            r ->
                                    assertThat(r)
                                            .isEqualTo(
                                                    "seq "
                                                            + (far - 1)
                                                            + " arrived after its gap was"
                                                            + " skipped"));
            // Within the window a retry is told apart and dropped; seq 1, beyond it, is
            // dead-lettered unverified. Neither is emitted again.
            s.send(
                    ev("a", 1, OrderEventType.ORDER_PLACED),
                    ev("a", far, OrderEventType.ORDER_SHIPPED));
            assertThat(s.deadLetters()).hasSize(4);
            assertThat(s.seqs("a")).containsExactly(1L, far);
        }
    }

    static Stream<Integer> bounds() {
        return Stream.of(MAX_SEQ_AHEAD, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(GapPolicy.class)
    void anIdleOrderIsAbandonedAlertedAndDeadLetteredLeavingOnlyItsTombstone(GapPolicy policy)
            throws Exception {
        try (SequencerHarness s = new SequencerHarness(policy, 64)) {
            s.send(
                    ev("a", 1, OrderEventType.ORDER_PLACED),
                    ev("a", 3, OrderEventType.ORDER_SHIPPED),
                    ev("a", 4, OrderEventType.ORDER_SHIPPED));
            // The gap times out first: skip emits 3 and 4 then, which is progress; wait does not.
            s.advance(GAP_TIMEOUT);
            Duration sinceLastEmitted = policy == GapPolicy.SKIP ? Duration.ZERO : GAP_TIMEOUT;
            s.advance(IDLE.minus(sinceLastEmitted).minusMillis(1));
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .doesNotContain(OrderAlert.Kind.ORDER_ABANDONED);

            timed(() -> s.advance(Duration.ofMillis(1)));

            OrderAlert abandoned = s.alerts().get(s.alerts().size() - 1);
            assertThat(abandoned.kind()).isEqualTo(OrderAlert.Kind.ORDER_ABANDONED);
            assertThat(s.alerts())
                    .filteredOn(a -> a.kind() == OrderAlert.Kind.ORDER_ABANDONED)
                    .hasSize(1);
            if (policy == GapPolicy.WAIT) {
                // The buffer waited for seq 2 until the order was abandoned, never longer.
                assertThat(s.seqs("a")).containsExactly(1L);
                assertThat(abandoned.expectedSeq()).isEqualTo(2);
                assertThat(s.deadLetters())
                        .extracting(DeadLetter::offset)
                        .containsExactlyInAnyOrder(1L, 2L);
                assertThat(s.deadLetters())
                        .allSatisfy(
                                d ->
                                        assertThat(d.reason())
                                                .startsWith("order abandoned: nothing emitted for")
                                                .endsWith("waited for seq 2"));
            } else {
                // The gap was skipped long before; the order then went idle.
                assertThat(s.seqs("a")).containsExactly(1L, 3L, 4L);
                assertThat(abandoned.expectedSeq()).isEqualTo(5);
                assertThat(s.deadLetters()).isEmpty();
            }
            assertThat(s.progress("a")).isNull();
            assertThat(s.buffered("a")).isZero();
            assertThat(s.emittedEntries("a")).isZero();
            assertThat(s.tombstone("a"))
                    .isEqualTo(new OrderTombstone(abandoned.expectedSeq() - 1, true));
            assertThat(s.h.numKeyedStateEntries()).as("only the tombstone").isEqualTo(1);
            assertThat(s.h.numProcessingTimeTimers()).as("all timers gone").isZero();

            // The missing seq and later ones are dead-lettered, not emitted, and start nothing.
            int before = s.deadLetters().size();
            s.send(
                    ev("a", 2, OrderEventType.ORDER_SHIPPED),
                    ev("a", 5, OrderEventType.ORDER_SHIPPED));
            assertThat(s.seqs("a")).hasSize(policy == GapPolicy.WAIT ? 1 : 3);
            assertThat(s.deadLetters().subList(before, s.deadLetters().size()))
                    .extracting(DeadLetter::reason)
                    .allSatisfy(
                            r ->
                                    assertThat(r)
                                            .contains(
                                                    "arrived after its order was closed (abandoned"));
            assertThat(s.h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(s.h.numProcessingTimeTimers()).isZero();
        }
    }

    private static SequencerHarness withDedupWindow(int window) throws Exception {
        return new SequencerHarness(
                SequencerHarness.settings(GapPolicy.SKIP, 64, MAX_SEQ_AHEAD, window), null);
    }

    @Test
    void anOrderThatNeverEndsKeepsABoundedFingerprintMap() throws Exception {
        int window = 16;
        try (SequencerHarness s = withDedupWindow(window)) {
            s.send(ev("a", 1, OrderEventType.ORDER_PLACED));
            int most = 0;
            for (long seq = 2; seq <= 20 * window; seq++) {
                s.send(ev("a", seq, OrderEventType.PAYMENT_CAPTURED));
                most = Math.max(most, s.emittedEntries("a"));
            }
            assertThat(s.seqs("a")).hasSize(20 * window);
            assertThat(most).as("fingerprints held at any time").isLessThanOrEqualTo(2 * window);

            // Within the window a repeat is a duplicate, silently dropped.
            s.send(ev("a", 20 * window - 3, OrderEventType.PAYMENT_CAPTURED));
            assertThat(s.deadLetters()).isEmpty();
            // Beyond it, it cannot be verified: dead-lettered with the reason, never re-emitted.
            s.send(ev("a", 3, OrderEventType.PAYMENT_CAPTURED));
            assertThat(s.deadLetters())
                    .singleElement()
                    .extracting(DeadLetter::reason)
                    .asString()
                    .contains("orders.dedup-window");
            assertThat(s.seqs("a")).hasSize(20 * window);
        }
    }

    @Test
    void aSkipAcrossTheWindowStillCompactsTheFingerprints() throws Exception {
        int window = 16;
        try (SequencerHarness s = withDedupWindow(window)) {
            s.send(ev("a", 1, OrderEventType.ORDER_PLACED));
            // Ten events, then a gap of 90 seqs skipped after its timeout, ten times over.
            for (int round = 0; round < 10; round++) {
                long base = 2 + round * 100L;
                for (long seq = base; seq < base + 10; seq++) {
                    s.send(ev("a", seq, OrderEventType.PAYMENT_CAPTURED));
                }
                s.advance(GAP_TIMEOUT.plusSeconds(1));
            }
            assertThat(s.seqs("a")).hasSize(101);
            assertThat(s.emittedEntries("a")).isLessThanOrEqualTo(2 * window);
        }
    }

    @Test
    void aLongOrderKeepsItsLatestFingerprintsInItsProgressAndTheOlderOnesInTheMap()
            throws Exception {
        int events = 5 * OrderSequencer.RECENT_MAX;
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1, OrderEventType.ORDER_PLACED));
            for (long seq = 2; seq <= events; seq++) {
                s.send(ev("a", seq, OrderEventType.PAYMENT_CAPTURED));
                assertThat(s.progress("a").recentCount())
                        .as("fingerprints in the value, rewritten per event")
                        .isLessThanOrEqualTo(OrderSequencer.RECENT_MAX);
            }
            assertThat(s.mapEntries("a")).as("the older ones moved to the map").isPositive();
            assertThat(s.emittedEntries("a")).as("none lost on the way").isEqualTo(events);

            OrderEvent spilled = ev("a", 2, OrderEventType.PAYMENT_CAPTURED);
            OrderEvent recent = ev("a", events, OrderEventType.PAYMENT_CAPTURED);
            s.send(spilled, recent);
            assertThat(s.deadLetters()).as("repeats from map and value are duplicates").isEmpty();

            s.send(
                    new OrderEvent(
                            "other-2",
                            "a",
                            2,
                            spilled.type(),
                            spilled.occurredAt(),
                            spilled.payload()),
                    new OrderEvent(
                            recent.eventId(),
                            "a",
                            events,
                            recent.type(),
                            recent.occurredAt(),
                            "{\"n\":-1}"));
            assertThat(s.deadLetters())
                    .extracting(DeadLetter::reason)
                    .asString()
                    .contains("seq 2 is already taken by eventId a-e2")
                    .contains("seq " + events + " is already taken by eventId a-e" + events);
            assertThat(s.seqs("a")).hasSize(events);
        }
    }

    @Test
    void fingerprintsRestoredInTheMapStillTellDuplicatesFromConflicts() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            // State as a savepoint written before fingerprints moved into the progress value
            // restores it: none in the value, every one in the map.
            s.putProgress(
                    "a", new OrderProgress(3, 0, OrderEventType.PAYMENT_CAPTURED, 0, 0, 0, 0));
            s.putMapFingerprint("a", 1, ev("a", 1).fingerprint());
            s.putMapFingerprint("a", 2, ev("a", 2).fingerprint());

            s.send(ev("a", 1));
            assertThat(s.deadLetters()).as("a repeat of restored seq 1").isEmpty();
            OrderEvent two = ev("a", 2);
            s.send(new OrderEvent("x", "a", 2, two.type(), two.occurredAt(), two.payload()));
            assertThat(s.deadLetters())
                    .singleElement()
                    .extracting(DeadLetter::reason)
                    .asString()
                    .startsWith("conflicting duplicate: seq 2 is already taken by eventId a-e2");

            s.send(ev("a", 3));
            assertThat(s.seqs("a")).containsExactly(3L);
            assertThat(s.progress("a").recentSeqs()).containsExactly(3L);
            assertThat(s.emittedEntries("a")).isEqualTo(3);
        }
    }

    @Test
    void eventsPilingUpBehindAGapDoNotExtendTheWait() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 64)) {
            s.send(ev("a", 1), ev("a", 3));
            s.advance(IDLE.minusMinutes(10));
            s.send(ev("a", 4));
            s.advance(Duration.ofMinutes(10));
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(OrderAlert.Kind.GAP_DETECTED, OrderAlert.Kind.ORDER_ABANDONED);
            assertThat(s.deadLetters())
                    .extracting(DeadLetter::offset)
                    .containsExactlyInAnyOrder(1L, 2L);
            assertThat(s.h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void theIdleTimeoutCountsFromTheLastEmittedEventWithOneTimerPerOrder() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1));
            s.advance(IDLE.minusMinutes(10));
            s.send(ev("a", 2));
            assertThat(s.h.numProcessingTimeTimers())
                    .as("the idle timer is not re-registered")
                    .isEqualTo(1);
            s.advance(IDLE.minusMinutes(1));
            assertThat(s.alerts()).isEmpty();
            assertThat(s.h.numProcessingTimeTimers()).as("re-armed lazily once").isEqualTo(1);
            s.advance(Duration.ofMinutes(1));
            assertThat(s.alerts())
                    .singleElement()
                    .extracting(OrderAlert::kind)
                    .isEqualTo(OrderAlert.Kind.ORDER_ABANDONED);
            assertThat(s.tombstone("a")).isEqualTo(new OrderTombstone(2, true));
        }
    }

    @Test
    void duplicatesOfAClearedOrderAreNotEmittedAgainUntilTheTombstoneExpires() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1), ev("a", 2), ev("a", 3), ev("a", 4));
            s.advance(GRACE);
            assertThat(s.progress("a")).as("state cleared after terminal + grace").isNull();

            s.send(ev("a", 4), ev("a", 1), ev("a", 2));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.deadLetters())
                    .hasSize(3)
                    .allSatisfy(
                            d ->
                                    assertThat(d.reason())
                                            .contains(
                                                    "arrived after its order was closed (terminal")
                                            .contains("last emitted seq 4")
                                            .endsWith("not emitted again"));
            assertThat(s.progress("a")).as("a late event starts nothing").isNull();
            assertThat(s.h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(s.h.numProcessingTimeTimers()).isZero();

            // Documented trade-off: once the tombstone has expired, the order id starts afresh.
            s.advance(TOMBSTONE_TTL);
            assertThat(s.tombstone("a")).isNull();
            s.send(ev("a", 1));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L, 1L);
        }
    }

    @Test
    void anOrderRestoredWithoutIdleTimerGetsOneAtItsNextEventAndIsNotAbandonedAtOnce()
            throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.advance(IDLE.multipliedBy(5));
            // Progress as a savepoint from before the idle timeout restores it: both fields 0.
            s.putProgress("a", new OrderProgress(2, 0, OrderEventType.ORDER_PLACED, 0, 0, 0, 0));
            s.send(ev("a", 2));
            OrderProgress p = s.progress("a");
            assertThat(p.lastActive()).isEqualTo(s.h.getProcessingTime());
            assertThat(p.idleTimer()).isEqualTo(s.h.getProcessingTime() + IDLE.toMillis());
            s.advance(IDLE.minusMillis(1));
            assertThat(s.alerts()).isEmpty();
            s.advance(Duration.ofMillis(1));
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(OrderAlert.Kind.ORDER_ABANDONED);
        }
    }
}
