package dev.shoppulse.jobs.orders;

import static dev.shoppulse.jobs.orders.SequencerHarness.GAP_TIMEOUT;
import static dev.shoppulse.jobs.orders.SequencerHarness.GRACE;
import static dev.shoppulse.jobs.orders.SequencerHarness.ev;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderEventType;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Operator-harness tests of the per-order sequencing rules. */
class OrderSequencerTest {

    @Test
    void inOrderEventsPassStraightThrough() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1), ev("a", 2), ev("a", 3));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L);
            assertThat(s.alerts()).isEmpty();
            assertThat(s.deadLetters()).isEmpty();
            assertThat(s.h.numProcessingTimeTimers())
                    .as("no gap timer, only the idle timer")
                    .isEqualTo(1);
        }
    }

    @Test
    void reversedEventsAreBufferedAndReleasedInOrder() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 4), ev("a", 3), ev("a", 2));
            assertThat(s.out()).isEmpty();
            assertThat(s.h.numProcessingTimeTimers())
                    .as("one gap timer and the idle timer")
                    .isEqualTo(2);
            s.send(ev("a", 1));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.alerts()).isEmpty();
            // Only the terminal clean-up timer is left once the gap closed.
            assertThat(s.h.numProcessingTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void interleavedOrdersAreSequencedIndependently() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 2), ev("b", 1), ev("b", 3), ev("a", 1), ev("b", 2), ev("a", 3));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L);
            assertThat(s.seqs("b")).containsExactly(1L, 2L, 3L);
            assertThat(s.out())
                    .extracting(OrderEvent::orderId)
                    .containsExactly("b", "a", "a", "b", "b", "a");
        }
    }

    @Test
    void duplicatesOfEmittedOrBufferedEventsAreDropped() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(
                    ev("a", 1),
                    ev("a", 1),
                    ev("a", 3),
                    ev("a", 3),
                    ev("a", 2),
                    ev("a", 2),
                    ev("a", 1));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L);
            assertThat(s.deadLetters()).isEmpty();
        }
    }

    @Test
    void conflictingDuplicateGoesToTheDeadLetterOutputWithReasonAndPosition() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            OrderEvent original = ev("a", 1);
            OrderEvent otherId =
                    new OrderEvent(
                            "other",
                            "a",
                            1,
                            original.type(),
                            original.occurredAt(),
                            original.payload());
            OrderEvent otherContent =
                    new OrderEvent(
                            original.eventId(),
                            "a",
                            1,
                            original.type(),
                            original.occurredAt(),
                            "{\"n\":99}");
            OrderEvent bufferedConflict =
                    new OrderEvent("x3", "a", 3, OrderEventType.ORDER_SHIPPED, Instant.EPOCH, "{}");
            s.send(original, otherId, otherContent, ev("a", 3), bufferedConflict);

            assertThat(s.seqs("a")).containsExactly(1L);
            List<DeadLetter> dl = s.deadLetters();
            assertThat(dl).hasSize(3);
            assertThat(dl)
                    .allSatisfy(
                            d -> assertThat(d.reason()).startsWith("conflicting duplicate: seq"));
            assertThat(dl.get(0).reason()).contains("eventId a-e1");
            assertThat(dl).extracting(DeadLetter::offset).containsExactly(1L, 2L, 4L);
            assertThat(dl).extracting(DeadLetter::stage).containsOnly("sequence");
            assertThat(dl.get(0).valueAsText()).contains("\"eventId\":\"other\"");
        }
    }

    @Test
    void gapTimeoutUnderSkipPolicyAlertsAndReleasesTheBuffer() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.SKIP, 64)) {
            s.send(ev("a", 1), ev("a", 4, OrderEventType.ORDER_DELIVERED));
            s.advance(GAP_TIMEOUT.minusMillis(1));
            assertThat(s.alerts()).isEmpty();
            s.advance(Duration.ofMillis(1));

            assertThat(s.seqs("a")).containsExactly(1L, 4L);
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(
                            OrderAlert.Kind.GAP_DETECTED,
                            OrderAlert.Kind.GAP_SKIPPED,
                            OrderAlert.Kind.IMPOSSIBLE_TRANSITION);
            assertThat(s.alerts().get(0).detail()).contains("missing seq 2..3");

            // A skipped seq turning up late is dead-lettered, never emitted out of order.
            s.send(ev("a", 2));
            assertThat(s.seqs("a")).containsExactly(1L, 4L);
            assertThat(s.deadLetters())
                    .singleElement()
                    .extracting(DeadLetter::reason)
                    .isEqualTo("seq 2 arrived after its gap was skipped");
        }
    }

    @Test
    void gapTimeoutUnderWaitPolicyAlertsOnceAndKeepsWaiting() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 64)) {
            s.send(ev("a", 1), ev("a", 3));
            s.advance(GAP_TIMEOUT);
            s.send(ev("a", 4));
            s.advance(GAP_TIMEOUT.multipliedBy(3));

            assertThat(s.seqs("a")).containsExactly(1L);
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(OrderAlert.Kind.GAP_DETECTED);
            assertThat(s.progress("a").gapTimer()).isEqualTo(OrderProgress.GAP_ALERTED);
            assertThat(s.h.numProcessingTimeTimers())
                    .as("no re-alert timer, only the idle timer")
                    .isEqualTo(1);

            s.send(ev("a", 2));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void gapTimerMeasuresTheCurrentGapNotTheFirstOne() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 2), ev("a", 4));
            s.advance(GAP_TIMEOUT.minusSeconds(1));
            s.send(ev("a", 1)); // closes the gap at 1; the gap at 3 starts now
            s.advance(Duration.ofSeconds(2));
            assertThat(s.alerts()).isEmpty();
            s.advance(GAP_TIMEOUT);
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .contains(OrderAlert.Kind.GAP_DETECTED);
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 4L);
        }
    }

    @Test
    void bufferOverflowAlertsAndDeadLettersInsteadOfGrowingState() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 2)) {
            s.send(ev("a", 2), ev("a", 3), ev("a", 4));
            assertThat(s.alerts())
                    .extracting(OrderAlert::kind)
                    .containsExactly(OrderAlert.Kind.BUFFER_OVERFLOW);
            assertThat(s.deadLetters())
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.reason()).startsWith("buffer full");
                                assertThat(d.offset()).isEqualTo(2);
                            });
            s.send(ev("a", 1));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void impossibleTransitionsAreFlaggedButStillEmittedInOrder() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(
                    ev("a", 1, OrderEventType.ORDER_PLACED),
                    ev("a", 2, OrderEventType.ORDER_DELIVERED),
                    ev("a", 3, OrderEventType.ORDER_SHIPPED));
            s.send(ev("b", 1, OrderEventType.ORDER_CANCELLED));
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L);
            assertThat(s.alerts())
                    .extracting(a -> a.orderId() + ":" + a.seq() + ":" + a.kind())
                    .containsExactly(
                            "a:2:IMPOSSIBLE_TRANSITION",
                            "a:3:IMPOSSIBLE_TRANSITION",
                            "b:1:IMPOSSIBLE_TRANSITION");
            assertThat(s.alerts().get(0).detail())
                    .isEqualTo("OrderDelivered cannot follow OrderPlaced");
            assertThat(s.alerts().get(1).detail())
                    .contains("after OrderDelivered, which ends the order");
        }
    }

    @Test
    void terminalOrderStateAndTimersAreGoneAfterTheGrace() throws Exception {
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1), ev("a", 2), ev("a", 3), ev("a", 4));
            assertThat(s.h.numKeyedStateEntries()).isPositive();
            s.advance(GRACE.minusMillis(1));
            s.send(ev("a", 4)); // a late retry inside the grace is still recognised
            assertThat(s.seqs("a")).containsExactly(1L, 2L, 3L, 4L);
            assertThat(s.deadLetters()).isEmpty();

            s.advance(Duration.ofMillis(1));
            assertThat(s.progress("a")).isNull();
            assertThat(s.emittedEntries("a")).isZero();
            assertThat(s.tombstone("a")).isEqualTo(new OrderTombstone(4, false));
            assertThat(s.h.numKeyedStateEntries())
                    .as("all keyed state cleared but the tombstone")
                    .isEqualTo(1);
            assertThat(s.h.numProcessingTimeTimers()).as("all timers cleared").isZero();
        }
    }

    @Test
    void eventsStillWaitingWhenTheOrderClosesAreDeadLettered() throws Exception {
        try (SequencerHarness s = new SequencerHarness(GapPolicy.WAIT, 64)) {
            s.send(ev("a", 1), ev("a", 2, OrderEventType.ORDER_CANCELLED), ev("a", 4));
            s.advance(GRACE);
            assertThat(s.deadLetters())
                    .singleElement()
                    .extracting(DeadLetter::reason)
                    .asString()
                    .contains("order closed");
            assertThat(s.buffered("a")).isZero();
            assertThat(s.tombstone("a")).isEqualTo(new OrderTombstone(2, false));
            assertThat(s.h.numKeyedStateEntries()).as("only the tombstone").isEqualTo(1);
            assertThat(s.h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (SequencerHarness s = new SequencerHarness()) {
            s.send(ev("a", 1), ev("a", 3));
            snapshot = s.h.snapshot(1L, 1L);
        }
        try (SequencerHarness restored = new SequencerHarness(GapPolicy.SKIP, 64, snapshot)) {
            restored.send(ev("a", 1), ev("a", 2));
            assertThat(restored.seqs("a"))
                    .as("1 is a duplicate, 2 releases 3")
                    .containsExactly(2L, 3L);
        }
    }
}
