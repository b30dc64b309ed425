package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisFailure;
import dev.shoppulse.common.redis.RedisKeys;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the metering job has put a client on the block list ({@link RedisKeys#blocked}), cached
 * per client for {@code ratelimit.block-cache} so the check costs one Redis read per client per
 * instance per cache period, not one per request.
 */
public final class BlockList {
    private static final int MAX_ENTRIES = 100_000;

    private final Redis redis;
    private final RedisKeys keys;
    private final long cacheNanos;
    private final RateLimitMetrics metrics;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    private record Entry(boolean blocked, long until) {}

    public BlockList(Redis redis, Duration cache, RateLimitMetrics metrics) {
        this.redis = redis;
        this.keys = redis.keys();
        this.cacheNanos = cache.toNanos();
        this.metrics = metrics;
    }

    public boolean isBlocked(String clientId) {
        long now = System.nanoTime();
        Entry e = cache.get(clientId);
        if (e != null && now - e.until() < 0) {
            return e.blocked();
        }
        boolean blocked;
        try {
            blocked = redis.exists(keys.blocked(clientId));
        } catch (RedisFailure ex) {
            // The block list is a second line of defence; the rate limit still applies.
            metrics.inc("blocklist.errors");
            blocked = e != null && e.blocked();
        }
        if (cache.size() > MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(clientId, new Entry(blocked, now + cacheNanos));
        return blocked;
    }
}
