package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.redis.RedisFailure;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limiter the API uses: asks Redis, and when Redis fails (a timeout of milliseconds, a refused
 * connection) applies the configured failure policy: fail-open decides locally with the limit
 * divided by the instance count, fail-closed refuses. After a failure Redis is left alone for a
 * short pause, so an outage costs one timeout per pause rather than one per request, and recovery
 * comes within that pause once Redis answers again.
 */
public final class ResilientLimiter implements Limiter {
    /** Whether to admit (locally limited) or refuse requests while Redis is unreachable. */
    public enum FailurePolicy {
        OPEN,
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResilientLimiter.class);

    private final Limiter shared;
    private final Limiter local;
    private final FailurePolicy policy;
    private final int instances;
    private final long pauseNanos;
    private final RateLimitMetrics metrics;
    // nanoTime may be any long: compare by difference, and start in the past.
    private volatile long skipRedisUntil = System.nanoTime();

    public ResilientLimiter(
            Limiter shared,
            Limiter local,
            FailurePolicy policy,
            int instances,
            Duration pause,
            RateLimitMetrics metrics) {
        this.shared = shared;
        this.local = local;
        this.policy = policy;
        this.instances = instances;
        this.pauseNanos = pause.toNanos();
        this.metrics = metrics;
    }

    @Override
    public Decision acquire(String subject, Policy p, int concurrency) {
        long start = System.nanoTime();
        Decision d;
        if (System.nanoTime() - skipRedisUntil < 0) {
            d = fallback(subject, p, concurrency);
        } else {
            try {
                d = shared.acquire(subject, p, concurrency);
            } catch (RedisFailure | ClassCastException e) {
                metrics.inc("redis.errors");
                // One line per pause at most: an outage must not flood the log.
                LOG.warn(
                        "rate limiter: Redis failed ({}); failure policy {} for {} ms",
                        e.toString(),
                        policy,
                        pauseNanos / 1_000_000);
                skipRedisUntil = System.nanoTime() + pauseNanos;
                d = fallback(subject, p, concurrency);
            }
        }
        metrics.decision(d);
        metrics.latency(System.nanoTime() - start);
        return d;
    }

    private Decision fallback(String subject, Policy p, int concurrency) {
        metrics.inc("fallbacks");
        if (policy == FailurePolicy.CLOSED) {
            return Decision.unavailable();
        }
        Policy share = p.dividedBy(instances);
        return local.acquire(subject, share, concurrency == 0 ? 0 : share.concurrency());
    }

    @Override
    public void release(String subject, String leaseId) {
        if ("local".equals(leaseId)) {
            local.release(subject, leaseId);
            return;
        }
        try {
            shared.release(subject, leaseId);
        } catch (RedisFailure e) {
            // The slot's lease expires on its own; that is what makes a lost release harmless.
            metrics.inc("redis.release-errors");
        }
    }
}
