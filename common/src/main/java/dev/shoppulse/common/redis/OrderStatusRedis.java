package dev.shoppulse.common.redis;

import dev.shoppulse.common.events.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes order statuses in Redis ({@link RedisKeys#orderStatus}), with writes guarded by
 * {@code lastSeq} so a replay never moves an order backwards.
 */
public final class OrderStatusRedis {
    /** KEYS[1] = status hash; ARGV = lastSeq, status, eventType, updatedAt, ttlMillis. */
    static final LuaScript UPSERT_IF_NEWER =
            new LuaScript(
                    "order-status-upsert",
                    """
                    local cur = redis.call('HGET', KEYS[1], 'lastSeq')
                    if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
                    redis.call('HSET', KEYS[1], 'lastSeq', ARGV[1], 'status', ARGV[2],
                               'eventType', ARGV[3], 'updatedAt', ARGV[4])
                    redis.call('PEXPIRE', KEYS[1], ARGV[5])
                    return 1
                    """);

    private final Redis redis;
    private final RedisKeys keys;
    private final Duration ttl;

    public OrderStatusRedis(Redis redis, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = redis.keys();
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    /**
     * Writes every status in one pipelined round trip.
     *
     * @throws RedisFailure when any write failed (the others are done; replaying all is harmless)
     */
    public void upsertAll(Collection<OrderStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        Redis.Batch batch = redis.batch();
        for (OrderStatus s : statuses) {
            batch.eval(
                    UPSERT_IF_NEWER,
                    List.of(keys.orderStatus(s.orderId())),
                    List.of(
                            String.valueOf(s.lastSeq()),
                            s.status(),
                            s.eventType(),
                            s.updatedAt().toString(),
                            String.valueOf(ttl.toMillis())));
        }
        batch.run();
    }

    public Optional<OrderStatus> get(String orderId) {
        Map<String, String> h = redis.hgetAll(keys.orderStatus(orderId));
        if (h == null || h.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new OrderStatus(
                        orderId,
                        h.get("status"),
                        h.get("eventType"),
                        Long.parseLong(h.get("lastSeq")),
                        Instant.parse(h.get("updatedAt"))));
    }
}
