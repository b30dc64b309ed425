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
 * What to do with a provider answer: done, wait for Retry-After (429, not a failure), back off
 * exponentially with jitter (5xx, timeouts; bounded attempts), or give up for good (other 4xx).
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) implements Serializable {

    /** The decision for one answer. */
    public sealed interface Decision {}

    /** Delivered (2xx, including an idempotent replay). */
    public record Done() implements Decision {}

    /** Call again after {@code delay}; {@code counts} says whether it uses up an attempt. */
    public record Retry(Duration delay, boolean counts, String reason) implements Decision {}

    /** Dead-letter with {@code reason}; never retried. */
    public record GiveUp(String reason) implements Decision {}

    /** Retry-After when a 429 carries none or an unreadable one. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * Decides after attempt number {@code attempt} (1-based, counting only 5xx/timeout failures so
     * far including this one) got {@code status} (or -1 for a timeout or I/O error).
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
            return new Retry(retryAfter(retryAfter, now), false, "HTTP 429");
        }
        boolean transientFailure = status < 0 || status >= 500 || status == 408;
        String reason = status < 0 ? "no answer: " + detail : "HTTP " + status + ": " + detail;
        if (!transientFailure) {
            return new GiveUp("permanent provider error " + reason);
        }
        if (attempt >= maxAttempts) {
            return new GiveUp("gave up after " + attempt + " attempts, last " + reason);
        }
        return new Retry(backoff(attempt, random), true, reason);
    }

    /** Equal jitter: half the exponential delay fixed, half random, so callers spread out. */
    public Duration backoff(int attempt, RandomGenerator random) {
        long exp = base.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(exp, base.toMillis()), max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }

    /** Retry-After in delta-seconds or as an HTTP date; rounds nothing down. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        String h = header.strip();
        try {
            long seconds = Long.parseLong(h);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException e) {
            return parseDate(h)
                    .map(at -> Duration.between(now, at))
                    .filter(d -> !d.isNegative())
                    .orElse(DEFAULT_RETRY_AFTER);
        }
    }

    private static Optional<Instant> parseDate(String h) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
