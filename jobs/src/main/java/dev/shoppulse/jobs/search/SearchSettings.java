package dev.shoppulse.jobs.search;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.search.SearchCapability;
import java.io.Serializable;
import java.time.Duration;

/** The knobs of {@link TopSearchesJob}, taken from configuration. */
public record SearchSettings(
        Duration window,
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        Duration allowedLateness,
        Duration provisionalInterval,
        int topN,
        int maxDeadLetterBytes)
        implements Serializable {

    /**
     * The ranking period: top searches are ranked per clock hour; only tests change it, through the
     * constructor.
     */
    public static final Duration HOUR = Duration.ofHours(1);

    public SearchSettings {
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive");
        }
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("search.max-out-of-orderness must not be negative");
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("search.allowed-lateness must not be negative");
        }
        if (provisionalInterval.isNegative()) {
            throw new IllegalArgumentException("search.provisional-interval must not be negative");
        }
        if (topN < 1 || topN > 1000) {
            throw new IllegalArgumentException("search.top-n must be between 1 and 1000");
        }
    }

    public static SearchSettings from(ShopPulseConfig c) {
        return new SearchSettings(
                HOUR,
                c.getDuration(SearchCapability.SEARCH_MAX_OUT_OF_ORDERNESS),
                c.getDuration(SearchCapability.SEARCH_IDLE_TIMEOUT),
                c.getDuration(SearchCapability.SEARCH_ALLOWED_LATENESS),
                c.getDuration(SearchCapability.SEARCH_PROVISIONAL_INTERVAL),
                c.getInt(SearchCapability.SEARCH_TOP_N),
                c.getInt(Settings.DLQ_MAX_VALUE_BYTES));
    }

    public long windowMs() {
        return window.toMillis();
    }

    public long latenessMs() {
        return allowedLateness.toMillis();
    }

    public long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, windowMs()) * windowMs();
    }

    /** Whether a window ending at {@code windowEnd} is gone for good at this watermark. */
    public boolean tooLate(long windowEnd, long watermark) {
        return windowEnd - 1 + latenessMs() <= watermark;
    }
}
