package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.redis.LuaScript;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.ScriptPipeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

    // The pipelined path sends bytes: the keys are encoded straight from the subject, and the
    // arguments that depend only on the policy are encoded once per policy.
    private static final byte[] RATE_KEY_TAIL = ascii("}");
    private static final byte[] INFLIGHT_KEY_TAIL = ascii("}:inflight");
    private static final byte[] ZERO = ascii("0");
    private static final byte[] NO_LEASE = new byte[0];

    /** Policies come from configuration (a few tiers); past this many, encode per call. */
    private static final int MAX_CACHED_POLICIES = 256;

    private final byte[] keyHead;
    private final byte[] leaseBytes;
    private final Map<Policy, byte[][]> encodedPolicies = new ConcurrentHashMap<>();

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
        this.keyHead = (keys.prefix() + ":rl:{").getBytes(StandardCharsets.UTF_8);
        this.leaseBytes = ascii(leaseMicros);
    }

    @Override
    public Decision acquire(String subject, Policy policy, int concurrency) {
        String leaseId = concurrency > 0 ? UUID.randomUUID().toString() : "";
        List<?> r =
                (List<?>)
                        (pipeline != null
                                ? pipelined(subject, policy, concurrency, leaseId)
                                : redis.eval(
                                        GCRA,
                                        List.of(keys.rateLimit(subject), keys.inflight(subject)),
                                        List.of(
                                                Long.toString(policy.intervalMicros()),
                                                Integer.toString(policy.burst()),
                                                Integer.toString(concurrency),
                                                leaseMicros,
                                                leaseId)));
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

    private Object pipelined(String subject, Policy policy, int concurrency, String leaseId) {
        byte[] s = subject.getBytes(StandardCharsets.UTF_8);
        byte[][] p = encodedPolicies.get(policy);
        if (p == null) {
            p =
                    new byte[][] {
                        ascii(Long.toString(policy.intervalMicros())),
                        ascii(Integer.toString(policy.burst())),
                        ascii(Integer.toString(policy.concurrency()))
                    };
            if (encodedPolicies.size() < MAX_CACHED_POLICIES) {
                encodedPolicies.putIfAbsent(policy, p);
            }
        }
        byte[] slots =
                concurrency == 0
                        ? ZERO
                        : concurrency == policy.concurrency()
                                ? p[2]
                                : ascii(Integer.toString(concurrency));
        return pipeline.evalEncoded(
                GCRA,
                2,
                key(s, RATE_KEY_TAIL),
                key(s, INFLIGHT_KEY_TAIL),
                p[0],
                p[1],
                slots,
                leaseBytes,
                leaseId.isEmpty() ? NO_LEASE : ascii(leaseId));
    }

    /** {@link RedisKeys#rateLimit} or {@link RedisKeys#inflight} of an encoded subject. */
    private byte[] key(byte[] subject, byte[] tail) {
        byte[] k = new byte[keyHead.length + subject.length + tail.length];
        System.arraycopy(keyHead, 0, k, 0, keyHead.length);
        System.arraycopy(subject, 0, k, keyHead.length, subject.length);
        System.arraycopy(tail, 0, k, keyHead.length + subject.length, tail.length);
        return k;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void release(String subject, String leaseId) {
        redis.zrem(keys.inflight(subject), leaseId);
    }
}
