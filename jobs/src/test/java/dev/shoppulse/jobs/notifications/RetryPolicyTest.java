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

    @Test
    void retryAfterAsHttpDateAndGarbage() {
        assertThat(RetryPolicy.retryAfter("Fri, 27 Nov 2026 10:00:07 GMT", NOW))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter("Fri, 27 Nov 2026 09:00:00 GMT", NOW))
                .as("a date in the past")
                .isZero();
        assertThat(RetryPolicy.retryAfter("Fri, 27 Nov 2099 10:00:07 GMT", NOW))
                .as("a date far ahead")
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryPolicy.retryAfter("soon", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryAfter(null, NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void hostileRetryAfterValuesAreClampedOrTreatedAsUnreadable() {
        Duration ceiling = Duration.ofSeconds(30);
        for (String huge :
                new String[] {
                    "9223372036854775808", // 2^63
                    "9223372036854775807",
                    "99999999999999999999999999999999",
                    "000000000000000000000000000000900",
                    "900"
                }) {
            assertThat(RetryPolicy.retryAfter(huge, NOW, ceiling)).as(huge).isEqualTo(ceiling);
        }
        for (String garbage :
                new String[] {
                    "-1",
                    "-9223372036854775808",
                    "+5",
                    "1.5",
                    "1e9",
                    "0x10",
                    "",
                    " ",
                    "\0",
                    "5 s",
                    "NaN",
                    "Infinity",
                    "Fri, 32 Nov 2026 10:00:07 GMT",
                    "x".repeat(10_000)
                }) {
            assertThat(RetryPolicy.retryAfter(garbage, NOW, ceiling))
                    .as(garbage.length() > 40 ? "a huge header" : garbage)
                    .isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(RetryPolicy.retryAfter(" 7 ", NOW, ceiling)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryPolicy.retryAfter("0", NOW, ceiling)).isZero();
        assertThat(RetryPolicy.retryAfter("soon", NOW, Duration.ofMillis(300)))
                .as("the default is clamped too")
                .isEqualTo(Duration.ofMillis(300));
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

    @Test
    void unknownStatusesAreRetriedWithAttemptsNotTreatedAsDelivered() {
        for (int status :
                new int[] {
                    0, 100, 199, 301, 304, 425, 600, 999, Integer.MAX_VALUE, Integer.MIN_VALUE
                }) {
            assertThat(policy.decide(status, null, "?", 1, NOW, new Random(1)))
                    .as("status " + status)
                    .isInstanceOfSatisfying(
                            RetryPolicy.Retry.class, r -> assertThat(r.counts()).isTrue());
            assertThat(policy.decide(status, null, "?", 5, NOW, new Random(1)))
                    .isInstanceOf(RetryPolicy.GiveUp.class);
        }
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
