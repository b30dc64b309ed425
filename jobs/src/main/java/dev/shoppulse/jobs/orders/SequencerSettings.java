package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.io.Serializable;
import java.time.Duration;

/** The knobs of {@link OrderSequencer}, taken from configuration. */
public record SequencerSettings(
        Duration gapTimeout,
        GapPolicy gapPolicy,
        int maxBuffer,
        Duration terminalGrace,
        int maxDeadLetterBytes)
        implements Serializable {

    public SequencerSettings {
        if (gapTimeout.isNegative() || gapTimeout.isZero()) {
            throw new IllegalArgumentException("orders.gap-timeout must be positive");
        }
        if (maxBuffer < 1) {
            throw new IllegalArgumentException("orders.max-buffer must be at least 1");
        }
        if (terminalGrace.isNegative()) {
            throw new IllegalArgumentException("orders.terminal-grace must not be negative");
        }
    }

    public static SequencerSettings from(ShopPulseConfig c) {
        return new SequencerSettings(
                c.getDuration(Settings.ORDERS_GAP_TIMEOUT),
                c.getEnum(Settings.ORDERS_GAP_POLICY, GapPolicy.class),
                c.getInt(Settings.ORDERS_MAX_BUFFER),
                c.getDuration(Settings.ORDERS_TERMINAL_GRACE),
                c.getInt(Settings.DLQ_MAX_VALUE_BYTES));
    }
}
