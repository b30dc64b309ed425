package dev.shoppulse.api.ratelimit;

/**
 * What the limiter answered for one request.
 *
 * @param allowed whether the request may proceed
 * @param remaining requests the subject may still make right now
 * @param retryAfterMicros when not allowed: how long until a retry can succeed
 * @param resetMicros how long until the subject's full burst is available again
 * @param reason why: {@link Reason}
 * @param source who decided: {@link Source}
 * @param leaseId the in-flight slot to release when the request ends, or null
 */
public record Decision(
        boolean allowed,
        long remaining,
        long retryAfterMicros,
        long resetMicros,
        Reason reason,
        Source source,
        String leaseId) {

    /** Why a request was allowed or not. */
    public enum Reason {
        OK,
        RATE,
        CONCURRENCY,
        UNAVAILABLE
    }

    /** Which limiter decided. */
    public enum Source {
        /** The shared limiter in Redis. */
        REDIS,
        /** This instance alone, because Redis failed and the policy is fail-open. */
        LOCAL,
        /** Nobody: Redis failed and the policy is fail-closed. */
        CLOSED
    }

    /** Redis failed and the policy is fail-closed. */
    public static Decision unavailable() {
        return new Decision(
                false, 0, 1_000_000, 1_000_000, Reason.UNAVAILABLE, Source.CLOSED, null);
    }

    /** The integer {@code Retry-After} in seconds, never below 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMicros + 999_999) / 1_000_000);
    }

    /** The {@code RateLimit} field value for this decision under {@code policy}. */
    public String header(Policy policy) {
        long t = allowed ? Math.max(0, (resetMicros + 999_999) / 1_000_000) : retryAfterSeconds();
        return "\"" + policy.name() + "\";r=" + Math.max(0, remaining) + ";t=" + t;
    }
}
