package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How provider answers turn into retries, waits and dead letters. */
class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final RetryPolicy policy =
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(3));

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
