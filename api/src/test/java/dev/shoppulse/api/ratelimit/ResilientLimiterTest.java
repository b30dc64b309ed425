package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.ratelimit.ResilientLimiter.FailurePolicy;
import dev.shoppulse.common.redis.RedisFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fall-back around the shared limiter, with stand-ins for Redis and the local limiter: which
 * one decides, with which share of the policy, for how long Redis is left alone, and what is
 * counted.
 */
class ResilientLimiterTest {
    private static final Policy POLICY = new Policy("pro", 600, Duration.ofMinutes(1), 50, 8);

    /** A limiter that records its calls and answers, or fails like Redis when told to. */
    private static final class Recording implements Limiter {
        final Decision.Source source;
        final List<String> calls = new ArrayList<>();
        final List<Policy> policies = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        RuntimeException failure;
        RuntimeException releaseFailure;

        Recording(Decision.Source source) {
            this.source = source;
        }

        @Override
        public Decision acquire(String subject, Policy policy, int concurrency) {
            calls.add("acquire " + subject);
            policies.add(policy);
            slots.add(concurrency);
            if (failure != null) {
                throw failure;
            }
            return new Decision(true, 3, 0, 10, Decision.Reason.OK, source, "lease-" + source);
        }

        @Override
        public void release(String subject, String leaseId) {
            calls.add("release " + subject + " " + leaseId);
            if (releaseFailure != null) {
                throw releaseFailure;
            }
        }
    }

    private final Recording redis = new Recording(Decision.Source.REDIS);
    private final Recording local = new Recording(Decision.Source.LOCAL);
    private final RateLimitMetrics metrics = new RateLimitMetrics();

    private ResilientLimiter limiter(FailurePolicy policy, Duration pause) {
        return new ResilientLimiter(redis, local, policy, 4, pause, metrics);
    }

    private static RedisFailure down() {
        return new RedisFailure("connection refused", null);
    }

    @Test
    void whileRedisAnswersItDecidesAloneWithTheWholePolicy() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ofSeconds(5));
        Decision d = l.acquire("c1", POLICY, 8);
        assertThat(d.source()).isEqualTo(Decision.Source.REDIS);
        assertThat(redis.policies).containsExactly(POLICY);
        assertThat(redis.slots).containsExactly(8);
        assertThat(local.calls).isEmpty();
        assertThat(metrics.get("decisions.redis.ok")).isEqualTo(1);
        assertThat(metrics.get("fallbacks")).isZero();
        // Timed from the start of the decision: stand-ins answer well within a second.
        assertThat(metrics.snapshot().keySet())
                .anyMatch(k -> k.startsWith("decision.latency.le_"))
                .doesNotContain("decision.latency.over_1000ms");
    }

    @Test
    void failOpenDecidesLocallyWithThisInstancesShareAndSkipsRedisForThePause() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ofMinutes(10));
        redis.failure = down();
        Decision d = l.acquire("c1", POLICY, 8);
        assertThat(d.source()).isEqualTo(Decision.Source.LOCAL);
        assertThat(local.policies).containsExactly(POLICY.dividedBy(4));
        // The share's own slots (8 / 4), not the caller's.
        assertThat(local.slots).containsExactly(2);
        assertThat(metrics.get("redis.errors")).isEqualTo(1);
        assertThat(metrics.get("fallbacks")).isEqualTo(1);
        assertThat(metrics.get("decisions.local.ok")).isEqualTo(1);
        // Within the pause Redis is not asked again, even once it answers.
        redis.failure = null;
        assertThat(l.acquire("c1", POLICY, 0).source()).isEqualTo(Decision.Source.LOCAL);
        assertThat(local.slots).containsExactly(2, 0);
        assertThat(redis.calls).hasSize(1);
        assertThat(metrics.get("redis.errors")).isEqualTo(1);
        assertThat(metrics.get("fallbacks")).isEqualTo(2);
    }

    @Test
    void afterThePauseRedisIsAskedAgain() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ZERO);
        redis.failure = down();
        assertThat(l.acquire("c1", POLICY, 0).source()).isEqualTo(Decision.Source.LOCAL);
        redis.failure = null;
        assertThat(l.acquire("c1", POLICY, 0).source()).isEqualTo(Decision.Source.REDIS);
        assertThat(redis.calls).hasSize(2);
    }

    @Test
    void aGarbledAnswerCountsAsARedisFailure() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ofMinutes(10));
        redis.failure = new ClassCastException("not a list");
        assertThat(l.acquire("c1", POLICY, 0).source()).isEqualTo(Decision.Source.LOCAL);
        assertThat(metrics.get("redis.errors")).isEqualTo(1);
    }

    @Test
    void failClosedRefusesWithoutAskingTheLocalLimiter() {
        ResilientLimiter l = limiter(FailurePolicy.CLOSED, Duration.ofMinutes(10));
        redis.failure = down();
        Decision d = l.acquire("c1", POLICY, 8);
        assertThat(d).isEqualTo(Decision.unavailable());
        assertThat(local.calls).isEmpty();
        assertThat(metrics.get("decisions.closed.unavailable")).isEqualTo(1);
        assertThat(metrics.get("fallbacks")).isEqualTo(1);
        assertThat(l.acquire("c1", POLICY, 8).allowed()).isFalse();
        assertThat(redis.calls).hasSize(1);
    }

    @Test
    void aLocalLeaseGoesBackToTheLocalLimiterAndAnyOtherToRedis() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ofSeconds(5));
        l.release("c1", "local");
        assertThat(local.calls).containsExactly("release c1 local");
        assertThat(redis.calls).isEmpty();
        l.release("c1", "abc");
        assertThat(redis.calls).containsExactly("release c1 abc");
        assertThat(local.calls).hasSize(1);
    }

    @Test
    void aLostReleaseIsCountedNotThrown() {
        ResilientLimiter l = limiter(FailurePolicy.OPEN, Duration.ofSeconds(5));
        redis.releaseFailure = down();
        l.release("c1", "abc");
        assertThat(metrics.get("redis.release-errors")).isEqualTo(1);
    }
}
