package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ScriptPipeline;
import dev.shoppulse.common.testing.TestServices;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the shared limiter sends for the caller's slot count and hands back as a lease, on both
 * paths (per call and pipelined), against the shared Redis under a key prefix of its own.
 */
@Timeout(30)
class RedisGcraLimiterMutationITCase {
    private final String prefix = TestServices.uniqueId("rlm");
    private final RedisSettings settings =
            new RedisSettings(
                    TestServices.redisHost(),
                    TestServices.redisPort(),
                    Duration.ofSeconds(2),
                    prefix);
    private final Redis redis = Redis.open(settings);
    private final ScriptPipeline pipeline =
            RateLimiting.decisionPipeline(settings, Duration.ofSeconds(2), 1);

    @AfterEach
    void cleanUp() {
        TestServices.deleteRedisKeys(prefix);
        pipeline.close();
        redis.close();
    }

    private static final Policy FIVE_SLOTS = new Policy("p", 1000, Duration.ofHours(1), 100, 5);

    @Test
    void aRequestWithoutSlotsGetsNoLeaseOnEitherPath() {
        for (Limiter l :
                new Limiter[] {
                    new RedisGcraLimiter(redis, Duration.ofSeconds(30)),
                    new RedisGcraLimiter(pipeline, redis, Duration.ofSeconds(30))
                }) {
            Decision d = l.acquire("no-slots-" + l.hashCode(), FIVE_SLOTS, 0);
            assertThat(d.allowed()).isTrue();
            assertThat(d.source()).isEqualTo(Decision.Source.REDIS);
            assertThat(d.reason()).isEqualTo(Decision.Reason.OK);
            assertThat(d.leaseId()).isNull();
        }
    }

    @Test
    void theCallersSlotCountWinsOverThePolicysOnThePipelinedPath() {
        Limiter l = new RedisGcraLimiter(pipeline, redis, Duration.ofSeconds(30));
        // The policy allows five in flight; this caller asks for a limit of one.
        Decision first = l.acquire("one-slot", FIVE_SLOTS, 1);
        assertThat(first.allowed()).isTrue();
        assertThat(first.leaseId()).isNotBlank();
        Decision second = l.acquire("one-slot", FIVE_SLOTS, 1);
        assertThat(second.allowed()).isFalse();
        assertThat(second.reason()).isEqualTo(Decision.Reason.CONCURRENCY);
        assertThat(second.leaseId()).isNull();
        // With the policy's own count the same subject has room for four more.
        assertThat(l.acquire("one-slot", FIVE_SLOTS, 5).allowed()).isTrue();
        // One of the two leases given back: one still in flight, so a limit of one is full and a
        // limit of two is not.
        l.release("one-slot", first.leaseId());
        assertThat(l.acquire("one-slot", FIVE_SLOTS, 1).allowed()).isFalse();
        assertThat(l.acquire("one-slot", FIVE_SLOTS, 2).allowed()).isTrue();
    }
}
