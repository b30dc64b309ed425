package dev.shoppulse.jobs.notifications;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What to do with a provider answer: done, wait for Retry-After (429, not a failure, clamped to
 * {@code maxRetryAfter}), back off exponentially with jitter (5xx, timeouts, answers we do not
 * understand; bounded attempts), or give up for good (other 4xx).
 *
 * <p>Every part of an answer is untrusted: the status may be anything, Retry-After may be huge,
 * negative, fractional or garbage. Nothing here throws, and no wait is longer than {@code
 * maxRetryAfter} or {@code max}.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max, Duration maxRetryAfter)
        implements Serializable {

    /** The decision for one answer. */
    public sealed interface Decision {}

    /** Delivered (2xx, including an idempotent replay). */
    public record Done() implements Decision {}

    /**
     * Call again after {@code delay}; {@code counts} says whether it uses up an attempt; {@code
     * throttled} marks a 429, whose delay every caller honours.
     */
    public record Retry(Duration delay, boolean counts, String reason, boolean throttled)
            implements Decision {
        public Retry(Duration delay, boolean counts, String reason) {
            this(delay, counts, reason, false);
        }
    }

    /** Dead-letter with {@code reason}; never retried. */
    public record GiveUp(String reason) implements Decision {}

    /** Retry-After when a 429 carries none or an unreadable one. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /** The default ceiling for a provider's Retry-After (see notifications.max-retry-after). */
    static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(2);

    /** Longer headers are not a number or a date we could read: treated as unreadable. */
    private static final int MAX_HEADER_CHARS = 64;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("notifications.max-attempts must be at least 1");
        }
        if (base.toMillis() < 1 || max.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "notifications.backoff-base must be positive and at most"
                            + " notifications.backoff-max");
        }
        if (maxRetryAfter.isNegative() || maxRetryAfter.isZero()) {
            throw new IllegalArgumentException("notifications.max-retry-after must be positive");
        }
    }

    /** A policy with the default Retry-After ceiling. */
    public RetryPolicy(int maxAttempts, Duration base, Duration max) {
        this(maxAttempts, base, max, DEFAULT_MAX_RETRY_AFTER);
    }

    /**
     * Decides after attempt number {@code attempt} (1-based, counting only failures so far
     * including this one, never 429s) got {@code status} (or -1 for a timeout or I/O error).
     */
    public Decision decide(
            int status,
            String retryAfter,
            String detail,
            int attempt,
            Instant now,
            RandomGenerator random) {
        if (status >= 200 && status < 300) {
            return new Done();
        }
        if (status == 429) {
            return new Retry(retryAfter(retryAfter, now, maxRetryAfter), false, "HTTP 429", true);
        }
        String reason = status < 0 ? "no answer: " + detail : "HTTP " + status + ": " + detail;
        if (status >= 400 && status < 500 && status != 408 && status != 425) {
            return new GiveUp("permanent provider error " + reason);
        }
        // 5xx, 408, 425, no answer, and anything a provider should not send (1xx, 3xx, 600+):
        // whether the email went out is unknown, and a repeat under the same key is harmless.
        if (attempt >= maxAttempts) {
            return new GiveUp("gave up after " + attempt + " attempts, last " + reason);
        }
        return new Retry(backoff(attempt, random), true, reason);
    }

    /** Equal jitter: half the exponential delay fixed, half random, so callers spread out. */
    public Duration backoff(int attempt, RandomGenerator random) {
        long exp = base.toMillis() << Math.min(Math.max(attempt, 1) - 1, 30);
        long capped = Math.min(Math.max(exp, base.toMillis()), max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    /**
     * Retry-After clamped to the default ceiling; see {@link #retryAfter(String, Instant,
     * Duration)}.
     */
    static Duration retryAfter(String header, Instant now) {
        return retryAfter(header, now, DEFAULT_MAX_RETRY_AFTER);
    }

    /**
     * Retry-After in delta-seconds or as an HTTP date (RFC 9110), never longer than {@code
     * ceiling}; rounds nothing down. Missing or unreadable (negative, fractional, signed, too long,
     * not a date) → {@link #DEFAULT_RETRY_AFTER}; a date in the past → 0; more digits than a long
     * holds → the ceiling. Never throws.
     */
    static Duration retryAfter(String header, Instant now, Duration ceiling) {
        Duration fallback = min(DEFAULT_RETRY_AFTER, ceiling);
        if (header == null || header.isBlank() || header.length() > MAX_HEADER_CHARS) {
            return fallback;
        }
        String h = header.strip();
        if (!h.isEmpty() && h.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String digits = h.replaceFirst("^0+(?=.)", "");
            // Compare as text: 2^63 and beyond must not overflow into a negative or a throw.
            if (digits.length() > 12) {
                return ceiling;
            }
            return min(Duration.ofSeconds(Long.parseLong(digits)), ceiling);
        }
        return parseDate(h)
                .map(at -> now == null ? fallback : between(now, at))
                .map(d -> min(d, ceiling))
                .orElse(fallback);
    }

    private static Duration between(Instant now, Instant at) {
        try {
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (ArithmeticException e) {
            return Duration.ofSeconds(Long.MAX_VALUE / 2);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Optional<Instant> parseDate(String h) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
