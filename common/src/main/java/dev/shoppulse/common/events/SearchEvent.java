package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.time.Instant;

/**
 * One storefront search, as producers write it to Kafka {@code searches}.
 *
 * @param eventId unique id of this search; a producer retry repeats it
 * @param userId the signed-in user, or null for an anonymous visitor
 * @param sessionId the browser session, or null; at least one of userId and sessionId is set
 * @param query what was typed
 * @param productId the product the search resolved to, or null when it resolved to none
 * @param occurredAt when the search happened (event time)
 */
public record SearchEvent(
        String eventId,
        String userId,
        String sessionId,
        String query,
        String productId,
        Instant occurredAt) {

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_QUERY_LENGTH = 1024;

    public SearchEvent {
        OrderEvent.requireId(eventId, "eventId");
        if (userId == null && sessionId == null) {
            throw new IllegalArgumentException("userId or sessionId is required");
        }
        if (userId != null) {
            OrderEvent.requireId(userId, "userId");
        }
        if (sessionId != null) {
            OrderEvent.requireId(sessionId, "sessionId");
        }
        Check.line(query, "query", MAX_QUERY_LENGTH);
        if (productId != null) {
            OrderEvent.requireId(productId, "productId");
        }
        Check.instant(occurredAt, "occurredAt");
    }

    /** The Kafka key: the user when known, else the session. */
    public String key() {
        return userId != null ? userId : sessionId;
    }
}
