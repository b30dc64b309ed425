package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.redis.LuaScript;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.ScriptPipeline;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The shared limiter: GCRA plus an in-flight slot set, decided by one Lua script in one round trip,
 * on Redis's own clock ({@code TIME}), so every API instance sees the same state and no application
 * clock (skewed or not) takes part. Concurrent decisions share round trips through a {@link
 * ScriptPipeline}.
 */
public final class RedisGcraLimiter implements Limiter {
    /**
     * KEYS[1] = TAT string, KEYS[2] = in-flight zset; ARGV = interval µs, burst, max in-flight (0 =
     * none), lease µs, lease id. Returns {allowed, remaining, retryAfter µs, reset µs, reason (0
     * ok, 1 rate, 2 concurrency)}.
     */
    public static final LuaScript GCRA =
            new LuaScript(
                    "ratelimit-gcra",
                    """
                    local t = redis.call('TIME')
                    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
                    local interval = tonumber(ARGV[1])
                    local tau = interval * tonumber(ARGV[2])
                    local maxInflight = tonumber(ARGV[3])
                    local lease = tonumber(ARGV[4])
                    local tat = tonumber(redis.call('GET', KEYS[1]))
                    if tat == nil or tat < now then tat = now end
                    local newTat = tat + interval
                    local allowAt = newTat - tau
                    if allowAt > now then
                      return {0, 0, allowAt - now, tat - now, 1}
                    end
                    local remaining = math.floor((now + tau - newTat) / interval)
                    if maxInflight > 0 then
                      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - lease)
                      if redis.call('ZCARD', KEYS[2]) >= maxInflight then
                        return {0, remaining, 1000000, tat - now, 2}
                      end
                      redis.call('ZADD', KEYS[2], now, ARGV[5])
                      redis.call('PEXPIRE', KEYS[2], math.ceil(lease / 1000))
                    end
                    redis.call('SET', KEYS[1], string.format('%.0f', newTat),
                               'PX', math.ceil((newTat - now) / 1000) + 1)
                    return {1, remaining, 0, newTat - now, 0}
                    """);

    private final Redis redis;
    private final ScriptPipeline pipeline;
    private final RedisKeys keys;
    private final String leaseMicros;

    /**
     * Each decision on a pooled connection of its own (the former path, kept as the benchmark's
     * baseline and for callers without a pipeline).
     */
    public RedisGcraLimiter(Redis redis, Duration lease) {
        this(null, redis, lease);
    }

    /**
     * Decisions of concurrent callers coalesced into pipelined round trips on {@code pipeline}'s
     * few connections; still one script call per decision, and a lone caller's decision is one
     * round trip. {@code redis} releases in-flight slots.
     */
    public RedisGcraLimiter(ScriptPipeline pipeline, Redis redis, Duration lease) {
        this.redis = redis;
        this.pipeline = pipeline;
        this.keys = redis.keys();
        this.leaseMicros = Long.toString(lease.toNanos() / 1000);
    }

    @Override
    public Decision acquire(String subject, Policy policy, int concurrency) {
        String leaseId = concurrency > 0 ? UUID.randomUUID().toString() : "";
        String rateKey = keys.rateLimit(subject);
        String inflightKey = keys.inflight(subject);
        String interval = Long.toString(policy.intervalMicros());
        String burst = Integer.toString(policy.burst());
        String slots = Integer.toString(concurrency);
        List<?> r =
                (List<?>)
                        (pipeline != null
                                ? pipeline.eval(
                                        GCRA,
                                        2,
                                        rateKey,
                                        inflightKey,
                                        interval,
                                        burst,
                                        slots,
                                        leaseMicros,
                                        leaseId)
                                : redis.eval(
                                        GCRA,
                                        List.of(rateKey, inflightKey),
                                        List.of(interval, burst, slots, leaseMicros, leaseId)));
        boolean allowed = ((Long) r.get(0)) == 1L;
        Decision.Reason reason =
                switch (((Long) r.get(4)).intValue()) {
                    case 0 -> Decision.Reason.OK;
                    case 2 -> Decision.Reason.CONCURRENCY;
                    default -> Decision.Reason.RATE;
                };
        return new Decision(
                allowed,
                (Long) r.get(1),
                (Long) r.get(2),
                (Long) r.get(3),
                reason,
                Decision.Source.REDIS,
                allowed && concurrency > 0 ? leaseId : null);
    }

    @Override
    public void release(String subject, String leaseId) {
        redis.zrem(keys.inflight(subject), leaseId);
    }
}
