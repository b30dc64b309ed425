package dev.shoppulse.common.validation;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Where an event's time may lie relative to processing time: not before {@code floor}, not more
 * than {@code maxFuture} ahead of now. The floor keeps obviously wrong clocks (epoch 0, year 1) out
 * of windows and partitions; the future bound keeps one event dated 2999 from moving a watermark or
 * a "latest" pointer for ever.
 *
 * @param floor the earliest accepted instant
 * @param maxFuture how far ahead of processing time an event may be
 * @param maxFutureSetting the setting that configures {@code maxFuture}, named in reasons
 */
public record TimeWindow(Instant floor, Duration maxFuture, String maxFutureSetting)
        implements Serializable {

    /** The documented default floor: 2000-01-01T00:00:00Z. */
    public static final Instant DEFAULT_FLOOR = Instant.parse("2000-01-01T00:00:00Z");

    /** The documented default future bound: one hour, generous for producer clock skew. */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofHours(1);

    public TimeWindow {
        Check.instant(floor, "floor");
        Objects.requireNonNull(maxFuture, "maxFuture");
        Objects.requireNonNull(maxFutureSetting, "maxFutureSetting");
        if (maxFuture.isNegative() || maxFuture.compareTo(Duration.ofDays(3650)) > 0) {
            throw new IllegalArgumentException(
                    maxFutureSetting + " must be between 0 and 3650d, was " + maxFuture);
        }
    }

    /** The default window, naming {@code maxFutureSetting} in its reasons. */
    public static TimeWindow defaults(String maxFutureSetting) {
        return new TimeWindow(DEFAULT_FLOOR, DEFAULT_MAX_FUTURE, maxFutureSetting);
    }

    /** The latest instant accepted at processing time {@code now}. */
    public Instant latest(Instant now) {
        return now.plus(maxFuture);
    }

    /** Why {@code t} (the value of {@code field}) is outside the window at {@code now}, or null. */
    public String violation(String field, Instant t, Instant now) {
        if (t.isBefore(floor)) {
            return field + " " + t + " is before " + floor + " (events.min-time)";
        }
        if (t.isAfter(latest(now))) {
            return field
                    + " "
                    + t
                    + " is more than "
                    + maxFuture
                    + " ahead of processing time "
                    + now
                    + " ("
                    + maxFutureSetting
                    + ")";
        }
        return null;
    }

    /** Why the date {@code d} is outside the window at {@code now} (UTC days), or null. */
    public String violation(String field, LocalDate d, Instant now) {
        LocalDate first = LocalDate.ofInstant(floor, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(latest(now), ZoneOffset.UTC);
        if (d.isBefore(first)) {
            return field + " " + d + " is before " + first + " (events.min-time)";
        }
        if (d.isAfter(last)) {
            return field
                    + " "
                    + d
                    + " is after "
                    + last
                    + ", the last day "
                    + maxFutureSetting
                    + " allows";
        }
        return null;
    }
}
