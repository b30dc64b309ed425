package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.common.validation.Check;
import java.time.Instant;
import java.util.Objects;

/**
 * One event in an order's life, as producers write it to Kafka {@code orders} keyed by {@code
 * orderId}.
 *
 * @param eventId unique id of this event; a producer retry repeats it
 * @param orderId the order, also the Kafka key
 * @param seq position in the order's life, from 1, assigned by the producer
 * @param type what happened
 * @param occurredAt when it happened at the producer
 * @param payload the event's JSON object, kept as compact JSON text so the record stays immutable
 *     and Flink serializes it without Kryo
 */
public record OrderEvent(
        String eventId,
        String orderId,
        long seq,
        OrderEventType type,
        Instant occurredAt,
        @JsonRawValue String payload) {

    public static final int MAX_ID_LENGTH = Check.MAX_ID;

    /**
     * Highest seq: 2^62, so that seq arithmetic (next seq, distances between seqs) can never
     * overflow a long.
     */
    public static final long MAX_SEQ = 1L << 62;

    /** Longest payload, as compact JSON text: the event is buffered in state per order. */
    public static final int MAX_PAYLOAD = 16 * 1024;

    public OrderEvent {
        requireId(eventId, "eventId");
        requireId(orderId, "orderId");
        if (seq < 1 || seq > MAX_SEQ) {
            throw new IllegalArgumentException("seq must be >= 1 and <= 2^62, was " + seq);
        }
        Objects.requireNonNull(type, "type is required");
        Check.instant(occurredAt, "occurredAt");
        if (payload == null) {
            payload = "{}";
        }
        if (payload.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "payload must be at most " + MAX_PAYLOAD + " characters of JSON");
        }
        // PostgreSQL jsonb and text cannot hold NUL, escaped or not; UTF-8 no lone surrogate.
        if (payload.contains("\\u0000") || !Check.isSafe(payload, true)) {
            throw new IllegalArgumentException(
                    "payload must not contain NUL, control characters or unpaired surrogates");
        }
    }

    @JsonCreator
    static OrderEvent fromJson(
            @JsonProperty(value = "eventId", required = true) String eventId,
            @JsonProperty(value = "orderId", required = true) String orderId,
            @JsonProperty(value = "seq", required = true) long seq,
            @JsonProperty(value = "type", required = true) OrderEventType type,
            @JsonProperty(value = "occurredAt", required = true) Instant occurredAt,
            @JsonProperty("payload") JsonNode payload) {
        if (payload != null && !payload.isObject() && !payload.isNull()) {
            throw new IllegalArgumentException("payload must be a JSON object");
        }
        return new OrderEvent(
                eventId,
                orderId,
                seq,
                type,
                occurredAt,
                payload == null || payload.isNull() ? "{}" : payload.toString());
    }

    /** Same event content: what a producer retry must repeat exactly. */
    public boolean sameContentAs(OrderEvent other) {
        return eventId.equals(other.eventId)
                && orderId.equals(other.orderId)
                && seq == other.seq
                && type == other.type
                && occurredAt.equals(other.occurredAt)
                && payload.equals(other.payload);
    }

    /**
     * A compact identity of this event's content (id, type, time, payload digest): two events with
     * the same seq and fingerprint are the same event sent twice.
     */
    public String fingerprint() {
        return eventId
                + "|"
                + type.name()
                + "|"
                + occurredAt.toEpochMilli()
                + "|"
                + Integer.toHexString(payload.hashCode());
    }

    static void requireId(String id, String name) {
        Check.id(id, name);
    }
}
