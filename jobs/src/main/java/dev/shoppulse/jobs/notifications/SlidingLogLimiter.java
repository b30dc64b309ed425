package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.redis.LuaScript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * The global call budget every email sink subtask draws from: a sliding log of provider calls in
 * one Redis sorted set, checked and appended atomically by a Lua script on Redis's clock.
 *
 * <p>Why it never lets a provider window overflow: a call is logged when it is granted with the
 * score "now + lease" (so it counts for as long as it may still reach the provider), and when its
 * answer arrives the score drops to that moment, which is no earlier than the provider received it.
 * A grant is given only while fewer than {@code limit} logged calls are younger than {@code window
 * + margin}. Take any provider window holding limit+1 calls and the last of them to be granted:
 * every other one was then either in flight or answered less than a window earlier, so the log held
 * {@code limit} of them and the grant was refused. The margin only absorbs clock granularity (Redis
 * microseconds vs. the provider's clock); crashed callers' entries expire after their lease.
 */
public final class SlidingLogLimiter implements CallLimiter {

    /** KEYS[1] = call log; ARGV = limit, window µs, lease µs, call id → {granted, wait ms}. */
    static final LuaScript ACQUIRE =
            new LuaScript(
                    "notify-acquire",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    local window = tonumber(ARGV[2])
                    local lease = tonumber(ARGV[3])
                    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
                    if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
                      redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
                      redis.call('PEXPIRE', KEYS[1], math.floor((window + lease) / 1000) + 1000)
                      return {1, 0}
                    end
                    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
                    return {0, math.ceil((tonumber(oldest[2]) + window - now) / 1000)}
                    """);

    /** KEYS[1] = call log; ARGV = call id. Moves the call's score down to "answered now". */
    static final LuaScript COMPLETE =
            new LuaScript(
                    "notify-complete",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    return redis.call('ZADD', KEYS[1], 'XX', 'LT', now, ARGV[1])
                    """);

    /**
     * The margin added to the window: millisecond truncation between Redis's clock and the
     * provider's (2 ms) or a 100 ppm clock-rate difference over one window, whichever is larger.
     */
    public static Duration marginFor(Duration window) {
        return Duration.ofMillis(Math.max(2, window.toMillis() / 10_000));
    }

    private final UnifiedJedis redis;
    private final String key;
    private final int limit;
    private final long windowMicros;
    private final long leaseMicros;

    public SlidingLogLimiter(
            UnifiedJedis redis,
            String key,
            int limit,
            Duration window,
            Duration margin,
            Duration lease) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.key = Objects.requireNonNull(key, "key");
        if (limit < 1) {
            throw new IllegalArgumentException("notifications.limit must be at least 1");
        }
        this.limit = limit;
        this.windowMicros = window.plus(margin).toNanos() / 1000;
        this.leaseMicros = lease.toNanos() / 1000;
    }

    @Override
    public long tryAcquire(String callId) {
        List<?> r =
                (List<?>)
                        ACQUIRE.run(
                                redis,
                                List.of(key),
                                List.of(
                                        String.valueOf(limit),
                                        String.valueOf(windowMicros),
                                        String.valueOf(leaseMicros),
                                        callId));
        return ((Long) r.get(0)) == 1L ? 0 : Math.max(1, (Long) r.get(1));
    }

    @Override
    public void completed(String callId) {
        COMPLETE.run(redis, List.of(key), List.of(callId));
    }
}
