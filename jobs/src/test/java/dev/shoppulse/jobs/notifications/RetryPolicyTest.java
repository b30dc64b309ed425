package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** How provider answers turn into retries, waits and dead letters. */
class RetryPolicyTest {
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
    void a429WaitsExactlyItsRetryAfterAndNeverUsesAnAttempt(
            @ForAll @IntRange(min = 0, max = 3600) int seconds,
            @ForAll @IntRange(min = 1, max = 100) int attempt) {
        RetryPolicy.Decision d =
                policy.decide(429, String.valueOf(seconds), "", attempt, NOW, new Random(1));
        assertThat(d)
                .isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(seconds), false, "HTTP 429"));
    }

    @Test
    void retryAfterAsHttpDateAndGarbage() {
        assertThat(RetryPolicy.retryAfter("Fri, 27 Nov 2026 10:00:07 GMT", NOW))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter("soon", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryAfter(null, NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void serverErrorsAndTimeoutsRetryUntilTheLastAttemptThenGiveUp() {
        for (int status : new int[] {500, 502, 503, 408, -1}) {
            for (int attempt = 1; attempt < 5; attempt++) {
                assertThat(policy.decide(status, null, "x", attempt, NOW, new Random(1)))
                        .isInstanceOfSatisfying(
                                RetryPolicy.Retry.class, r -> assertThat(r.counts()).isTrue());
            }
            assertThat(policy.decide(status, null, "x", 5, NOW, new Random(1)))
                    .isInstanceOfSatisfying(
                            RetryPolicy.GiveUp.class,
                            g -> assertThat(g.reason()).startsWith("gave up after 5 attempts"));
        }
    }

    @Test
    void permanentClientErrorsGiveUpAtOnceAndSuccessIsDone() {
        for (int status : new int[] {400, 401, 403, 404, 410, 422}) {
            assertThat(policy.decide(status, null, "bad address", 1, NOW, new Random(1)))
                    .isEqualTo(
                            new RetryPolicy.GiveUp(
                                    "permanent provider error HTTP " + status + ": bad address"));
        }
        assertThat(policy.decide(200, null, "", 1, NOW, new Random(1)))
                .isInstanceOf(RetryPolicy.Done.class);
        assertThat(policy.decide(202, null, "", 3, NOW, new Random(1)))
                .isInstanceOf(RetryPolicy.Done.class);
    }
}
