package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoppulse.common.validation.Check;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A user changed their profile, as the profile service writes it to Kafka {@code profile-updates}
 * keyed by {@code userId}.
 *
 * @param eventId unique id of this update; a producer retry repeats it
 * @param userId the user, also the Kafka key
 * @param email the user's email address after the update (where the notification goes)
 * @param changedFields names of the changed profile fields, lower-cased, at least one
 * @param occurredAt when the update happened at the producer
 * @param previousEmail optional: the address before this update when it changed {@code email}, so
 *     the security alert also reaches the owner of the old address (in an account takeover the new
 *     address is the attacker's); null when unknown or unchanged
 */
public record ProfileUpdated(
        String eventId,
        String userId,
        String email,
        List<String> changedFields,
        Instant occurredAt,
        String previousEmail) {

    /** Most changed fields one update names: a profile has far fewer. */
    public static final int MAX_FIELDS = 64;

    /** A profile field name, after lower-casing. */
    public static final Pattern FIELD = Pattern.compile("[a-z0-9_.-]{1,64}");

    public ProfileUpdated {
        OrderEvent.requireId(eventId, "eventId");
        OrderEvent.requireId(userId, "userId");
        Check.email(email, "email");
        if (previousEmail != null) {
            Check.email(previousEmail, "previousEmail");
        }
        if (changedFields == null || changedFields.isEmpty()) {
            throw new IllegalArgumentException("changedFields must name at least one field");
        }
        if (changedFields.size() > MAX_FIELDS) {
            throw new IllegalArgumentException(
                    "changedFields must name at most "
                            + MAX_FIELDS
                            + " fields, has "
                            + changedFields.size());
        }
        changedFields =
                changedFields.stream()
                        .map(
                                f -> {
                                    if (f == null || f.isBlank()) {
                                        throw new IllegalArgumentException(
                                                "changedFields must not contain blanks");
                                    }
                                    String name = f.strip().toLowerCase(Locale.ROOT);
                                    if (!FIELD.matcher(name).matches()) {
                                        throw new IllegalArgumentException(
                                                "changedFields must be 1-64 of a-z 0-9 _ . -, has "
                                                        + Check.excerpt(name));
                                    }
                                    return name;
                                })
                        .distinct()
                        .toList();
        Check.instant(occurredAt, "occurredAt");
    }

    /** An update that names no previous address. */
    public ProfileUpdated(
            String eventId,
            String userId,
            String email,
            List<String> changedFields,
            Instant occurredAt) {
        this(eventId, userId, email, changedFields, occurredAt, null);
    }

    @JsonCreator
    static ProfileUpdated fromJson(
            @JsonProperty(value = "eventId", required = true) String eventId,
            @JsonProperty(value = "userId", required = true) String userId,
            @JsonProperty(value = "email", required = true) String email,
            @JsonProperty(value = "changedFields", required = true) List<String> changedFields,
            @JsonProperty(value = "occurredAt", required = true) Instant occurredAt,
            @JsonProperty(value = "previousEmail") String previousEmail) {
        return new ProfileUpdated(eventId, userId, email, changedFields, occurredAt, previousEmail);
    }
}
