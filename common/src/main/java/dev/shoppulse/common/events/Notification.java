package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One profile-update email to send: the coalesced changes of one user.
 *
 * @param notificationId deterministic id ({@code userId:firstEventId}), sent as the provider's
 *     Idempotency-Key, so a replay after a restart yields the same id and the provider drops it
 * @param userId the user
 * @param email where the email goes
 * @param fields every changed field of the coalesced updates, sorted
 * @param priority {@code HIGH} for security-relevant changes, which skip the quiet window
 * @param updates how many updates this notification stands for
 * @param firstOccurredAt when the first of those updates happened
 */
public record Notification(
        String notificationId,
        String userId,
        String email,
        List<String> fields,
        Priority priority,
        int updates,
        Instant firstOccurredAt)
        implements Serializable {

    /** Delivery priority; HIGH goes first. */
    public enum Priority {
        HIGH,
        NORMAL
    }

    public Notification {
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        fields = List.copyOf(fields);
        Objects.requireNonNull(priority, "priority");
        // Built from validated inputs; the time domain is re-checked because state keeps it.
        Check.instant(firstOccurredAt, "firstOccurredAt");
        if (updates < 1) {
            throw new IllegalArgumentException("updates must be >= 1");
        }
    }

    /** The id every replay of the same coalesced updates produces again. */
    public static String idFor(String userId, String firstEventId) {
        return userId + ":" + firstEventId;
    }
}
