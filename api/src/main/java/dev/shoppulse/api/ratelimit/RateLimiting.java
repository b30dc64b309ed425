package dev.shoppulse.api.ratelimit;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.ApiKeys;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Everything rate limiting needs in the API, built from configuration and closed together: the
 * limiter's own Redis client (millisecond timeouts, a pool as large as the request threads), the
 * resilient limiter, API keys, the block list, access events and metrics.
 */
public final class RateLimiting implements AutoCloseable {
    private final RedisClient redis;
    private final AccessEvents events;
    private final RateLimitMetrics metrics = new RateLimitMetrics();
    private final RateLimitFilter filter;
    private final ApiKeyAuth auth;
    private final Limiter limiter;

    private RateLimiting(ShopPulseConfig config, DataSource db, Clock clock) {
        RedisSettings rs = RedisSettings.from(config);
        Duration timeout = config.getDuration(Settings.RATELIMIT_REDIS_TIMEOUT);
        this.redis = limiterClient(rs, timeout);
        try {
            // Load the script now, so the first decision is one round trip like every other.
            RedisGcraLimiter.GCRA.sha(redis);
        } catch (RuntimeException e) {
            // Redis is down at start: the failure policy applies until it answers.
            metrics.inc("redis.errors");
        }
        this.limiter =
                new ResilientLimiter(
                        new RedisGcraLimiter(
                                redis, rs.keys(), config.getDuration(Settings.RATELIMIT_LEASE)),
                        new LocalGcraLimiter(),
                        config.getEnum(
                                Settings.RATELIMIT_FAILURE_POLICY,
                                ResilientLimiter.FailurePolicy.class),
                        config.getInt(Settings.RATELIMIT_INSTANCES),
                        Duration.ofMillis(200),
                        metrics);
        this.events =
                new AccessEvents(
                        config.get(Settings.KAFKA_BOOTSTRAP),
                        config.topic(Topics.API_REQUESTS),
                        config.getInt(Settings.API_EVENTS_QUEUE),
                        metrics);
        this.auth = new ApiKeyAuth(ApiKeys.from(config, db));
        this.filter =
                new RateLimitFilter(
                        auth,
                        Tiers.from(config),
                        limiter,
                        new BlockList(
                                redis,
                                rs.keys(),
                                config.getDuration(Settings.RATELIMIT_BLOCK_CACHE),
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
     */
    public static RedisClient limiterClient(RedisSettings rs, Duration timeout) {
        DefaultJedisClientConfig.Builder cfg =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) timeout.toMillis())
                        .socketTimeoutMillis((int) timeout.toMillis());
        if (rs.password() != null) {
            cfg.password(rs.password());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(128);
        pool.setMaxIdle(128);
        pool.setMinIdle(4);
        pool.setMaxWait(timeout);
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(rs.host(), rs.port()))
                .clientConfig(cfg.build())
                .poolConfig(pool)
                .build();
    }

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
        redis.close();
    }
}
