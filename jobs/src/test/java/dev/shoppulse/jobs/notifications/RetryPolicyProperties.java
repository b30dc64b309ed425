package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Retry waits for any attempt, Retry-After value or header stay within their bounds. */
class RetryPolicyProperties {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(3));

    @Property
    void backoffStaysBetweenHalfAndAllOfTheCappedExponential(
            @ForAll @IntRange(min = 1, max = 40) int attempt, @ForAll @LongRange long seed) {
        long capped = Math.min(100L << Math.min(attempt - 1, 30), 3000);
        Duration d = policy.backoff(attempt, new Random(seed));
        assertThat(d.toMillis()).isBetween(capped - capped / 2, capped);
    }

    @Property
    void a429WaitsItsRetryAfterUpToTheCeilingAndNeverUsesAnAttempt(
            @ForAll @IntRange(min = 0, max = 3600) int seconds,
            @ForAll @IntRange(min = 1, max = 100) int attempt) {
        RetryPolicy.Decision d =
                policy.decide(429, String.valueOf(seconds), "", attempt, NOW, new Random(1));
        assertThat(d)
                .isEqualTo(
                        new RetryPolicy.Retry(
                                Duration.ofSeconds(Math.min(seconds, 120)),
                                false,
                                "HTTP 429",
                                true));
    }

    @Property
    void anyRetryAfterHeaderGivesAWaitBetweenZeroAndTheCeilingWithoutThrowing(
            @ForAll String header, @ForAll @IntRange(min = 1, max = 100_000) int ceilingMs) {
        Duration ceiling = Duration.ofMillis(ceilingMs);
        Duration d = RetryPolicy.retryAfter(header, NOW, ceiling);
        assertThat(d.isNegative()).isFalse();
        assertThat(d).isLessThanOrEqualTo(ceiling);
        RetryPolicy clamped =
                new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(3), ceiling);
        assertThat(clamped.decide(429, header, "", 1, NOW, new Random(1)))
                .isInstanceOfSatisfying(
                        RetryPolicy.Retry.class,
                        r -> {
                            assertThat(r.delay()).isLessThanOrEqualTo(ceiling);
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.counts()).isFalse();
                        });
    }

    @Property
    void anyDigitStringIsClampedNeverThrown(
            @ForAll @IntRange(min = 1, max = 60) int digits, @ForAll @LongRange long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        Duration d = RetryPolicy.retryAfter(sb.toString(), NOW, Duration.ofSeconds(120));
        assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(120));
    }
}
