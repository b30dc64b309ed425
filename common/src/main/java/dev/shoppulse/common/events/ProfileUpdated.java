package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A user changed their profile, as the profile service writes it to Kafka {@code profile-updates}
 * keyed by {@code userId}.
 *
 * @param eventId unique id of this update; a producer retry repeats it
 * @param userId the user, also the Kafka key
 * @param email the user's email address after the update (where the notification goes)
 * @param changedFields names of the changed profile fields, lower-cased, at least one
 * @param occurredAt when the update happened at the producer
 */
public record ProfileUpdated(
        String eventId,
        String userId,
        String email,
        List<String> changedFields,
        Instant occurredAt) {

    public ProfileUpdated {
        OrderEvent.requireId(eventId, "eventId");
        OrderEvent.requireId(userId, "userId");
        if (email == null || email.isBlank() || !email.contains("@") || email.length() > 254) {
            throw new IllegalArgumentException("email must be an address, was " + email);
        }
        if (changedFields == null || changedFields.isEmpty()) {
            throw new IllegalArgumentException("changedFields must name at least one field");
        }
        changedFields =
                changedFields.stream()
                        .map(
                                f -> {
                                    if (f == null || f.isBlank()) {
                                        throw new IllegalArgumentException(
                                                "changedFields must not contain blanks");
                                    }
                                    return f.strip().toLowerCase(Locale.ROOT);
                                })
                        .distinct()
                        .toList();
        Objects.requireNonNull(occurredAt, "occurredAt is required");
    }

    @JsonCreator
    static ProfileUpdated fromJson(
            @JsonProperty(value = "eventId", required = true) String eventId,
            @JsonProperty(value = "userId", required = true) String userId,
            @JsonProperty(value = "email", required = true) String email,
            @JsonProperty(value = "changedFields", required = true) List<String> changedFields,
            @JsonProperty(value = "occurredAt", required = true) Instant occurredAt) {
        return new ProfileUpdated(eventId, userId, email, changedFields, occurredAt);
    }
}
