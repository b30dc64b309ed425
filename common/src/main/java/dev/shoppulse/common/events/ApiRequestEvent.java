package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.Objects;

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
    public ApiRequestEvent {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(at, "at");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status, got " + status);
        }
    }

    /** Whether the request was turned away by a rate or concurrency limit. */
    public boolean limited() {
        return status == 429;
    }
}
