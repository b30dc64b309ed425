package dev.shoppulse.api.ratelimit;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.ApiKeys;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisFailureListener;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ScriptPipeline;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Everything rate limiting needs in the API, built from configuration and closed together: the
 * limiter's own Redis client (millisecond timeouts, a pool as large as the request threads), the
 * resilient limiter, API keys, the block list, access events and metrics.
 */
public final class RateLimiting implements AutoCloseable {
    private final Redis redis;
    private final ScriptPipeline decisions;
    private final AccessEvents events;
    private final RateLimitMetrics metrics = new RateLimitMetrics();
    private final RateLimitFilter filter;
    private final ApiKeyAuth auth;
    private final Limiter limiter;

    private RateLimiting(ShopPulseConfig config, DataSource db, Clock clock) {
        RedisSettings rs = RedisSettings.from(config);
        Duration timeout = config.getDuration(RateLimitCapability.RATELIMIT_REDIS_TIMEOUT);
        this.redis = limiterClient(rs, timeout);
        this.decisions =
                decisionPipeline(
                        rs,
                        timeout,
                        config.getInt(RateLimitCapability.RATELIMIT_REDIS_CONNECTIONS));
        try {
            // Load the script now, so the first decision is one round trip like every other.
            decisions.load(RedisGcraLimiter.GCRA);
        } catch (RuntimeException e) {
            // Redis is down at start: the failure policy applies until it answers.
            metrics.inc("redis.errors");
        }
        this.limiter =
                new ResilientLimiter(
                        new RedisGcraLimiter(
                                decisions,
                                redis,
                                config.getDuration(RateLimitCapability.RATELIMIT_LEASE)),
                        new LocalGcraLimiter(),
                        config.getEnum(
                                RateLimitCapability.RATELIMIT_FAILURE_POLICY,
                                ResilientLimiter.FailurePolicy.class),
                        config.getInt(RateLimitCapability.RATELIMIT_INSTANCES),
                        Duration.ofMillis(200),
                        metrics);
        this.events =
                new AccessEvents(
                        config.get(Settings.KAFKA_BOOTSTRAP),
                        config.topic(RateLimitCapability.API_REQUESTS),
                        config.getInt(RateLimitCapability.API_EVENTS_QUEUE),
                        metrics);
        this.auth = new ApiKeyAuth(ApiKeys.from(config, db));
        this.filter =
                new RateLimitFilter(
                        auth,
                        Tiers.from(config),
                        limiter,
                        new BlockList(
                                redis,
                                config.getDuration(RateLimitCapability.RATELIMIT_BLOCK_CACHE),
                                metrics),
                        events,
                        metrics,
                        clock);
    }

    /** Which routes are expensive or operational is said by each route's {@code Access}. */
    public static RateLimiting create(ShopPulseConfig config, DataSource db, Clock clock) {
        return new RateLimiting(config, db, clock);
    }

    /**
     * A client of its own: a decision must fail within milliseconds, which the shared client's
     * generous timeout would not allow, and 64 request threads must not queue for 8 connections.
     * Its failures are counted where they are handled ({@code redis.errors}, {@code
     * blocklist.errors}, {@code redis.release-errors}).
     */
    public static Redis limiterClient(RedisSettings rs, Duration timeout) {
        return Redis.open(rs, timeout, 128, RedisFailureListener.NONE);
    }

    /**
     * The decisions' own connections: every request thread's decision joins the next pipelined
     * round trip on one of a few connections instead of taking a pooled connection of its own.
     * Failures are counted where they are handled ({@code redis.errors}).
     */
    public static ScriptPipeline decisionPipeline(
            RedisSettings rs, Duration timeout, int connections) {
        return ScriptPipeline.open(rs, timeout, connections, MAX_BATCH, RedisFailureListener.NONE);
    }

    /**
     * Decisions per round trip at most: 64 request threads fit in one, and a batch of GCRA calls
     * costs Redis a few µs each, far below the millisecond timeouts.
     */
    static final int MAX_BATCH = 64;

    public RateLimitFilter filter() {
        return filter;
    }

    public ApiKeyAuth auth() {
        return auth;
    }

    public RateLimitMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        events.close();
        decisions.close();
        redis.close();
    }
}
