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

    // --- ratelimit ---

    /**
     * STRING: the GCRA theoretical arrival time (µs, Redis clock) of one limited subject, e.g.
     * {@code c:acme} or {@code ip:10.0.0.1}; expires once the subject is idle. The hash tag keeps
     * it in the same cluster slot as {@link #inflight}.
     */
    public String rateLimit(String subject) {
        return prefix + ":rl:{" + subject + "}";
    }

    /** ZSET of in-flight request ids scored by start time (µs); stale entries expire by score. */
    public String inflight(String subject) {
        return prefix + ":rl:{" + subject + "}:inflight";
    }

    /** STRING: reason a client is blocked; its TTL is metering.block-ttl. */
    public String blocked(String clientId) {
        return prefix + ":blocked:" + clientId;
    }

    /** The pattern matching every block-list key, for SCAN. */
    public String blockedPattern() {
        return prefix + ":blocked:*";
    }

    /**
     * HASH {requests, limited, windowEnd} of one client's latest sliding window of the given size
     * ({@code 1m}, {@code 1h}, {@code 1d}); expires one window after its end.
     */
    public String meter(String window, String clientId) {
        return prefix + ":meter:" + window + ":" + clientId;
    }

    // --- notifications ---
    /**
     * ZSET: the shared sliding log of provider calls (member = call id, score = completion time, or
     * the lease deadline while the call is in flight); every sink subtask draws from it.
     */
    public String notifyCallLog() {
        return prefix + ":notify:calls";
    }

    // --- search ---
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

    // --- reports ---

    /**
     * HASH of one report's status as the API serves it (owner, status, shardsDone, shards, version,
     * timestamps, error, file); written after every PostgreSQL transition, expires with the report.
     */
    public String report(String reportId) {
        return prefix + ":report:" + reportId;
    }
}
