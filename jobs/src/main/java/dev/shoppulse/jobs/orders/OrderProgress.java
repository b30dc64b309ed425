package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEventType;

/**
 * The small per-order state of {@link OrderSequencer}, kept in one value so each event costs one
 * state read and one write instead of one per field.
 *
 * @param next the next expected seq
 * @param buffered how many events wait in the buffer
 * @param lastType type of the last emitted event, null before the first
 * @param gapTimer time of the registered gap timer, 0 for none, {@link #GAP_ALERTED} once a gap was
 *     alerted under the wait policy
 * @param cleanupTimer time of the registered clean-up timer, 0 for none
 */
public record OrderProgress(
        long next, int buffered, OrderEventType lastType, long gapTimer, long cleanupTimer) {

    static final long GAP_ALERTED = Long.MAX_VALUE;

    static final OrderProgress START = new OrderProgress(1, 0, null, 0, 0);

    OrderProgress withNext(long n) {
        return new OrderProgress(n, buffered, lastType, gapTimer, cleanupTimer);
    }

    OrderProgress withBuffered(int b) {
        return new OrderProgress(next, b, lastType, gapTimer, cleanupTimer);
    }

    OrderProgress emitted(long seq, OrderEventType type) {
        return new OrderProgress(seq + 1, buffered, type, gapTimer, cleanupTimer);
    }

    OrderProgress withGapTimer(long t) {
        return new OrderProgress(next, buffered, lastType, t, cleanupTimer);
    }

    OrderProgress withCleanupTimer(long t) {
        return new OrderProgress(next, buffered, lastType, gapTimer, t);
    }

    /** Whether a real (not yet fired, not the alerted marker) gap timer is registered. */
    boolean hasArmedGapTimer() {
        return gapTimer != 0 && gapTimer != GAP_ALERTED;
    }
}
