package dev.shoppulse.common.redis;

import java.io.Serializable;
import java.util.Objects;

/**
 * The Redis key schema dashboards and the API read; README documents every key named here.
 *
 * <p>Every key starts with a configurable prefix ({@code redis.key-prefix}, default {@code sp}), so
 * tests and deployments can share one Redis without colliding.
 */
public record RedisKeys(String prefix) implements Serializable {
    public RedisKeys {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isBlank() || prefix.contains(" ")) {
            throw new IllegalArgumentException("redis key prefix must be a non-blank word");
        }
    }

    /**
     * HASH {status, lastSeq, eventType, updatedAt} of one order; expires after orders.status-ttl.
     */
    public String orderStatus(String orderId) {
        return prefix + ":order:" + orderId;
    }

    /** The pattern matching every order status key, for SCAN. */
    public String orderStatusPattern() {
        return prefix + ":order:*";
    }

    /**
     * HASH {ranking, digest} of one hour's final top searches, {@code hourStart} as an ISO-8601
     * instant (e.g. {@code 2026-11-27T10:00:00Z}); expires after search.ranking-ttl.
     */
    public String topSearchesHour(String hourStart) {
        return prefix + ":top-searches:hour:" + hourStart;
    }

    /** STRING: the start (ISO-8601) of the latest hour with a final ranking. */
    public String topSearchesLatest() {
        return prefix + ":top-searches:latest";
    }

    /** HASH {ranking, digest}: the provisional ranking of the hour still open. */
    public String topSearchesProvisional() {
        return prefix + ":top-searches:provisional";
    }
}
