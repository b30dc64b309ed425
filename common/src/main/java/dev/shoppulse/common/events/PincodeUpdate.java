package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoppulse.common.validation.Check;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A user's new pincode, as producers write it to Kafka {@code pincode-updates} keyed by email.
 *
 * <p>The email is normalised to lower case here, once, because users are unique by email
 * case-insensitively; every later step (batch dedup, the SQL join) can then compare plainly.
 *
 * @param email the user's email (lower-cased)
 * @param pincode an Indian postal code: six digits, the first not 0
 * @param occurredAt when the change happened at the source; the latest one wins
 */
public record PincodeUpdate(String email, String pincode, Instant occurredAt) {
    public static final int MAX_EMAIL_LENGTH = Check.MAX_EMAIL;
    public static final Pattern PINCODE = Pattern.compile("[1-9][0-9]{5}");

    /** Deliberately loose: one {@code @}, something on both sides, no spaces or control chars. */
    public static final Pattern EMAIL = Check.EMAIL;

    public PincodeUpdate {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        email = Check.email(email.strip().toLowerCase(Locale.ROOT), "email");
        if (pincode == null || !PINCODE.matcher(pincode).matches()) {
            throw new IllegalArgumentException(
                    "pincode must be 6 digits not starting with 0, was " + quote(pincode));
        }
        Check.instant(occurredAt, "occurredAt");
    }

    @JsonCreator
    static PincodeUpdate fromJson(
            @JsonProperty(value = "email", required = true) String email,
            @JsonProperty(value = "pincode", required = true) String pincode,
            @JsonProperty(value = "occurredAt", required = true) Instant occurredAt) {
        return new PincodeUpdate(email, pincode, occurredAt);
    }

    /**
     * Last writer wins: the later {@code occurredAt}; on a tie the larger pincode, so that every
     * writer and every replay picks the same winner whatever order they see the updates in.
     */
    public boolean winsOver(PincodeUpdate other) {
        int c = occurredAt.compareTo(other.occurredAt);
        return c > 0 || (c == 0 && pincode.compareTo(other.pincode) > 0);
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return Check.excerpt(s);
    }
}
