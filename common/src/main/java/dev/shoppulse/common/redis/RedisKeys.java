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

    // --- notifications (issue 4) ---
    /**
     * ZSET: the shared sliding log of provider calls (member = call id, score = completion time, or
     * the lease deadline while the call is in flight); every sink subtask draws from it.
     */
    public String notifyCallLog() {
        return prefix + ":notify:calls";
    }
}
