package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.orders.OrdersCapability;
import java.io.Serializable;
import java.time.Duration;

/**
 * The knobs of {@link OrderSequencer}, taken from configuration.
 *
 * @param gapTimeout how long a missing seq may be waited for before it is alerted
 * @param gapPolicy what happens to the buffer once a gap has timed out
 * @param maxBuffer most events held per order while a seq is missing
 * @param maxSeqAhead how far beyond the next expected seq an event may be; further ones are
 *     dead-lettered, so no seq value can drive a loop, a gap or state size
 * @param dedupWindow how many of an order's latest seqs keep their fingerprint (duplicate or
 *     conflict); older ones are compacted away, so an order that never ends holds a bounded map
 * @param terminalGrace how long an order's state outlives its terminal event
 * @param idleTimeout how long an order without a terminal event may go without emitting an event
 *     before it is closed as abandoned
 * @param tombstoneTtl how long a closed order's tombstone keeps rejecting its late events
 * @param maxDeadLetterBytes size bound of a dead letter's value
 */
public record SequencerSettings(
        Duration gapTimeout,
        GapPolicy gapPolicy,
        int maxBuffer,
        int maxSeqAhead,
        int dedupWindow,
        Duration terminalGrace,
        Duration idleTimeout,
        Duration tombstoneTtl,
        int maxDeadLetterBytes)
        implements Serializable {

    /** Longest duration accepted, so that processing time plus any of them cannot overflow. */
    static final Duration MAX_DURATION = Duration.ofDays(3650);

    public SequencerSettings {
        for (Duration d : new Duration[] {gapTimeout, terminalGrace, idleTimeout, tombstoneTtl}) {
            if (d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException(
                        "orders.* durations must be at most " + MAX_DURATION + ", was " + d);
            }
        }
        if (gapTimeout.isNegative() || gapTimeout.isZero()) {
            throw new IllegalArgumentException("orders.gap-timeout must be positive");
        }
        if (maxBuffer < 1) {
            throw new IllegalArgumentException("orders.max-buffer must be at least 1");
        }
        if (maxSeqAhead < maxBuffer) {
            throw new IllegalArgumentException(
                    "orders.max-seq-ahead ("
                            + maxSeqAhead
                            + ") must be at least orders.max-buffer ("
                            + maxBuffer
                            + "), or the buffer could never fill; raise --orders.max-seq-ahead");
        }
        if (dedupWindow < 1) {
            throw new IllegalArgumentException("orders.dedup-window must be at least 1");
        }
        if (terminalGrace.isNegative()) {
            throw new IllegalArgumentException("orders.terminal-grace must not be negative");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("orders.idle-timeout must be positive");
        }
        if (tombstoneTtl.toMillis() < 1) {
            throw new IllegalArgumentException("orders.tombstone-ttl must be at least 1ms");
        }
    }

    public static SequencerSettings from(ShopPulseConfig c) {
        return new SequencerSettings(
                c.getDuration(OrdersCapability.ORDERS_GAP_TIMEOUT),
                c.getEnum(OrdersCapability.ORDERS_GAP_POLICY, GapPolicy.class),
                c.getInt(OrdersCapability.ORDERS_MAX_BUFFER),
                c.getInt(OrdersCapability.ORDERS_MAX_SEQ_AHEAD),
                c.getInt(OrdersCapability.ORDERS_DEDUP_WINDOW),
                c.getDuration(OrdersCapability.ORDERS_TERMINAL_GRACE),
                c.getDuration(OrdersCapability.ORDERS_IDLE_TIMEOUT),
                c.getDuration(OrdersCapability.ORDERS_TOMBSTONE_TTL),
                c.getInt(Settings.DLQ_MAX_VALUE_BYTES));
    }
}
