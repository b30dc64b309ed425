package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEventType;

/**
 * The small per-order state of {@link OrderSequencer}, kept in one value so each event costs one
 * state read and one write instead of one per field.
 *
 * <p>Flink serializes this record with its POJO/record serializer, which evolves by field name: a
 * field added here restores as 0 (or null) from an older savepoint, so {@code idleTimer} and {@code
 * lastActive} must keep 0 meaning "not known yet". Never rename or retype a field.
 *
 * @param next the next expected seq
 * @param buffered how many events wait in the buffer
 * @param lastType type of the last emitted event, null before the first
 * @param gapTimer time of the registered gap timer, 0 for none, {@link #GAP_ALERTED} once a gap was
 *     alerted under the wait policy
 * @param cleanupTimer time of the registered clean-up timer, 0 for none
 * @param idleTimer time of the registered idle timer, 0 for none
 * @param lastActive processing time the order last emitted an event (or was created), 0 if not
 *     known (state restored from a savepoint written before this field existed)
 */
public record OrderProgress(
        long next,
        int buffered,
        OrderEventType lastType,
        long gapTimer,
        long cleanupTimer,
        long idleTimer,
        long lastActive) {

    static final long GAP_ALERTED = Long.MAX_VALUE;

    static final OrderProgress START = new OrderProgress(1, 0, null, 0, 0, 0, 0);

    OrderProgress withNext(long n) {
        return new OrderProgress(
                n, buffered, lastType, gapTimer, cleanupTimer, idleTimer, lastActive);
    }

    OrderProgress withBuffered(int b) {
        return new OrderProgress(next, b, lastType, gapTimer, cleanupTimer, idleTimer, lastActive);
    }

    OrderProgress emitted(long seq, OrderEventType type) {
        return new OrderProgress(
                seq + 1, buffered, type, gapTimer, cleanupTimer, idleTimer, lastActive);
    }

    OrderProgress withGapTimer(long t) {
        return new OrderProgress(next, buffered, lastType, t, cleanupTimer, idleTimer, lastActive);
    }

    OrderProgress withCleanupTimer(long t) {
        return new OrderProgress(next, buffered, lastType, gapTimer, t, idleTimer, lastActive);
    }

    OrderProgress withIdleTimer(long t) {
        return new OrderProgress(next, buffered, lastType, gapTimer, cleanupTimer, t, lastActive);
    }

    OrderProgress withLastActive(long t) {
        return new OrderProgress(next, buffered, lastType, gapTimer, cleanupTimer, idleTimer, t);
    }

    /** Whether a real (not yet fired, not the alerted marker) gap timer is registered. */
    boolean hasArmedGapTimer() {
        return gapTimer != 0 && gapTimer != GAP_ALERTED;
    }

    /** Whether any of this order's timers is registered for {@code t}. */
    boolean usesTimer(long t) {
        return t != 0 && (gapTimer == t || cleanupTimer == t || idleTimer == t);
    }

    /** Whether the order has emitted its terminal event and waits for its clean-up. */
    boolean terminal() {
        return cleanupTimer != 0;
    }
}
