package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.notifications.CallLimiter.Outcome;
import dev.shoppulse.jobs.notifications.CallLimiter.Permit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the limiter hands to its scripts and makes of their answers, on long windows so every wait
 * is read from Redis's clock with room to spare: how window, margin and lease become the script's
 * microseconds, which outcome a refusal is, and how a pause is clamped. Against the shared Redis
 * (own key prefix), in well under a second; an ITCase because unit tests here need no server.
 */
@Timeout(30)
class SlidingLogLimiterMutationITCase {
    private final String prefix = TestServices.uniqueId("limm");
    private final String key = prefix + ":notify:calls";
    private final Redis redis =
            Redis.open(
                    new RedisSettings(
                            TestServices.redisHost(),
                            TestServices.redisPort(),
                            Duration.ofSeconds(2),
                            prefix));

    @AfterEach
    void cleanUp() {
        TestServices.deleteRedisKeys(prefix);
        redis.close();
    }

    private SlidingLogLimiter limiter(int limit, Duration window, Duration margin, Duration lease) {
        return new SlidingLogLimiter(redis, key, limit, window, margin, lease);
    }

    /** Writes the marker of an intact log, as a log that has been in use for a while has. */
    private void intact() {
        redis.call("ZADD", r -> r.zadd(key, Double.POSITIVE_INFINITY, SlidingLogLimiter.EPOCH));
    }

    @Test
    void aNewLogPausesEveryCallerForOneWindowPlusMarginPlusLease() {
        Permit p =
                limiter(5, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(3))
                        .tryAcquire("a");
        assertThat(p.outcome()).isEqualTo(Outcome.LOST);
        assertThat(p.granted()).isFalse();
        // 10 s + 2 s + 3 s, less the few milliseconds between the script and this line.
        assertThat(p.waitMs()).isBetween(14_000L, 15_000L);
        Permit again =
                limiter(5, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(3))
                        .tryAcquire("b");
        assertThat(again.outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(again.waitMs()).isBetween(14_000L, 15_000L);
    }

    @Test
    void grantsUpToTheLimitThenThrottlesUntilTheOldestCallLeavesTheWindow() {
        intact();
        SlidingLogLimiter l =
                limiter(3, Duration.ofSeconds(20), Duration.ZERO, Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            Permit p = l.tryAcquire("call-" + i);
            assertThat(p).as("call %d", i).isSameAs(Permit.GRANTED);
            assertThat(p.granted()).isTrue();
            assertThat(p.waitMs()).isZero();
        }
        Permit refused = l.tryAcquire("call-3");
        assertThat(refused.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(refused.granted()).isFalse();
        // The oldest call counts from "granted + lease" (5 s) for a window (20 s).
        assertThat(refused.waitMs()).isBetween(24_000L, 25_000L);
    }

    @Test
    void anAnsweredCallCountsFromItsAnswerNotItsLease() {
        intact();
        SlidingLogLimiter l =
                limiter(1, Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(60));
        assertThat(l.tryAcquire("first").granted()).isTrue();
        assertThat(l.tryAcquire("second").waitMs()).isGreaterThan(60_000L);
        l.completed("first");
        Permit afterAnswer = l.tryAcquire("second");
        assertThat(afterAnswer.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(afterAnswer.waitMs()).isBetween(1L, 2_000L);
    }

    @Test
    void aPauseStopsEveryCallerAndIsClampedToADay() {
        intact();
        SlidingLogLimiter l =
                limiter(10, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1));
        assertThat(l.pause(Duration.ofSeconds(30))).isBetween(29_000L, 30_000L);
        Permit p = l.tryAcquire("x");
        assertThat(p.outcome()).isEqualTo(Outcome.PAUSED);
        assertThat(p.waitMs()).isBetween(29_000L, 30_000L);
        // A shorter or negative pause changes nothing; a longer one than a day is a day.
        assertThat(l.pause(Duration.ofSeconds(-5))).isBetween(29_000L, 30_000L);
        assertThat(l.pause(Duration.ofDays(3))).isBetween(86_399_000L, 86_400_000L);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> limiter(0, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThat(limiter(1, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO)).isNotNull();
    }

    @Test
    void theMarginIsTwoMillisecondsOrOneTenThousandthOfTheWindow() {
        assertThat(SlidingLogLimiter.marginFor(Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofMillis(2));
        assertThat(SlidingLogLimiter.marginFor(Duration.ofSeconds(20)))
                .isEqualTo(Duration.ofMillis(2));
        assertThat(SlidingLogLimiter.marginFor(Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofMillis(3));
        assertThat(SlidingLogLimiter.marginFor(Duration.ofHours(1)))
                .isEqualTo(Duration.ofMillis(360));
    }
}
