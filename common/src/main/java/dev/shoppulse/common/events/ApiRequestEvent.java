package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.time.Instant;

/**
 * One API request as the API answered it, written to {@code api-requests} for metering.
 *
 * @param requestId unique per request
 * @param clientId the authenticated client, or {@code ip:<address>} for unauthenticated calls
 * @param tier the client's tier, or {@code anonymous}
 * @param method HTTP method
 * @param path request path
 * @param status HTTP status answered
 * @param decision the limiter's decision: {@code allowed}, {@code limited}, {@code blocked}, {@code
 *     fallback-allowed}, {@code fallback-limited}, {@code unavailable}, {@code unauthorized}
 * @param latencyMicros time spent answering
 * @param at when the request arrived (the API instance's clock; metering windows use it)
 */
public record ApiRequestEvent(
        String requestId,
        String clientId,
        String tier,
        String method,
        String path,
        int status,
        String decision,
        long latencyMicros,
        Instant at) {
    /** Longest tier, method or decision: short words. */
    public static final int MAX_WORD = 32;

    /** Longest path: the request line a default Jetty accepts is 8 KB. */
    public static final int MAX_PATH = 8192;

    /** Longest latency: one hour, far past every timeout the API has. */
    public static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    public ApiRequestEvent {
        Check.id(requestId, "requestId");
        Check.id(clientId, "clientId");
        Check.id(tier, "tier", MAX_WORD);
        Check.id(method, "method", MAX_WORD);
        Check.line(path, "path", MAX_PATH);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
        Check.id(decision, "decision", MAX_WORD);
        Check.range(latencyMicros, "latencyMicros", 0, MAX_LATENCY_MICROS);
        Check.instant(at, "at");
    }

    /** Whether the request was turned away by a rate or concurrency limit. */
    public boolean limited() {
        return status == 429;
    }
}
