package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Something about an order's event stream that needs a person's attention, written to {@code
 * orders.alerts}.
 *
 * @param orderId the order
 * @param kind what was detected
 * @param expectedSeq the next seq the sequencer was waiting for when it raised the alert
 * @param seq the seq of the event the alert is about, or 0 where there is none
 * @param detail a human explanation
 * @param at when the alert was raised (processing time)
 */
public record OrderAlert(
        String orderId, Kind kind, long expectedSeq, long seq, String detail, Instant at) {

    /** The alert kinds the sequencer raises. */
    public enum Kind {
        /** A seq has been missing longer than the gap timeout. */
        GAP_DETECTED,
        /** Under the skip policy: the missing seqs were given up on and the buffer released. */
        GAP_SKIPPED,
        /** The per-order buffer was full; the incoming event was dead-lettered. */
        BUFFER_OVERFLOW,
        /** The event's type cannot follow the order's previous one. */
        IMPOSSIBLE_TRANSITION,
        /**
         * The event's seq was further beyond the next expected seq than the configured bound; it
         * was dead-lettered.
         */
        SEQ_TOO_FAR_AHEAD,
        /**
         * The order emitted nothing for the idle timeout before reaching a terminal event: it was
         * closed and anything still waiting was dead-lettered.
         */
        ORDER_ABANDONED
    }

    public OrderAlert {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
