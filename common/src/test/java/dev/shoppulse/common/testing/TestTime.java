package dev.shoppulse.common.testing;

import java.time.Duration;

/**
 * The time scale of tests whose windows, TTLs and timeouts are wall-clock durations: each such
 * duration is {@link #scaled} by one factor, and each tolerance is a fraction of a scaled duration,
 * so a loaded machine is given room by raising the factor ({@code -Dshoppulse.test.time-scale=3} or
 * {@code SHOPPULSE_TEST_TIME_SCALE=3}) rather than by editing margins. The default is {@link
 * #DEFAULT}.
 */
public final class TestTime {
    /** System property naming the factor; it wins over the environment variable. */
    public static final String PROPERTY = "shoppulse.test.time-scale";

    /** Environment variable naming the factor. */
    public static final String ENV = "SHOPPULSE_TEST_TIME_SCALE";

    /**
     * Twice the durations the tests were sized for on an idle machine: the suite runs on a loaded
     * 2-core CI, and the few seconds this adds are cheaper than a flaky build.
     */
    static final double DEFAULT = 2.0;

    private static final double FACTOR = parse(System.getProperty(PROPERTY, System.getenv(ENV)));

    private TestTime() {}

    static double parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        double f;
        try {
            f = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "test time scale '" + value + "' is not a number; set " + ENV + "=2, say", e);
        }
        if (!(f >= 1.0) || f > 100) {
            // Below 1 the base durations' margins would shrink under what the tests were sized for.
            throw new IllegalArgumentException(
                    "test time scale " + value + " must be between 1 and 100 (" + ENV + ")");
        }
        return f;
    }

    /** The factor every scaled duration is multiplied by (at least 1). */
    public static double factor() {
        return FACTOR;
    }

    /** {@code base} times the factor, to the millisecond. */
    public static Duration scaled(Duration base) {
        return Duration.ofMillis(scaledMillis(base.toMillis()));
    }

    /** {@code baseMillis} times the factor, rounded up. */
    public static long scaledMillis(long baseMillis) {
        return (long) Math.ceil(baseMillis * FACTOR);
    }

    /** A scaled duration as a setting value, e.g. {@code "1500ms"}. */
    public static String setting(Duration base) {
        return scaledMillis(base.toMillis()) + "ms";
    }
}
