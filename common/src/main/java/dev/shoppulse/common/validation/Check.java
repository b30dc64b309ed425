package dev.shoppulse.common.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The static field domains every event record checks in its compact constructor, each throwing
 * {@link IllegalArgumentException} with a reason that names the field and never echoes more than a
 * short, escaped excerpt of the value (a reason must itself be safe to store and to send).
 *
 * <p>The domains are what every store downstream can hold: PostgreSQL {@code text} cannot hold NUL,
 * UTF-8 (Kafka, PostgreSQL, Redis, JSON) cannot encode an unpaired surrogate, Redis keys and log
 * lines are unsafe with control characters; PostgreSQL {@code timestamptz} ends in year 294276 and
 * epoch milliseconds in year 292278994, so instants are kept to four-digit years, which both hold
 * with room for arithmetic.
 */
public final class Check {
    /** Longest id (event, order, user, session, product, report, client ids). */
    public static final int MAX_ID = 128;

    /** Longest email address (RFC 5321's path limit). */
    public static final int MAX_EMAIL = 254;

    /** Earliest instant any event may carry: 0001-01-01T00:00:00Z. */
    public static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");

    /**
     * Latest instant any event may carry: 9999-12-31T23:59:59.999999Z (microseconds, PostgreSQL's
     * precision, so rounding can never carry it into year 10000).
     */
    public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Earliest date any event may carry. */
    public static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);

    /** Latest date any event may carry. */
    public static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    /** Deliberately loose: one {@code @}, something on both sides, no spaces or control chars. */
    public static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+");

    private Check() {}

    /**
     * A required id: 1 to {@link #MAX_ID} printable ASCII characters ({@code !} to {@code ~}), no
     * space: safe in a Redis key, a URL path segment, a log line and a PostgreSQL {@code text}.
     */
    public static String id(String value, String name) {
        return id(value, name, MAX_ID);
    }

    /** A required id of at most {@code max} printable ASCII characters without space. */
    public static String id(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(
                    name + " must be 1-" + max + " characters, has " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '!' || c > '~') {
                throw new IllegalArgumentException(
                        name
                                + " must be printable ASCII without spaces; has "
                                + codePoint(c)
                                + " at index "
                                + i);
            }
        }
        return value;
    }

    /** An id that may be absent (null); when present, {@link #id(String, String)}. */
    public static String optionalId(String value, String name) {
        return value == null ? null : id(value, name);
    }

    /**
     * Required single-line text of at most {@code max} characters: no control characters (C0, DEL,
     * C1, line and paragraph separators) and no unpaired surrogates; may be empty.
     */
    public static String line(String value, String name, int max) {
        return text(value, name, max, false);
    }

    /** Like {@link #line} but tab, line feed and carriage return are allowed (messages, bodies). */
    public static String multiline(String value, String name, int max) {
        return text(value, name, max, true);
    }

    private static String text(String value, String name, int max, boolean multiline) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(
                    name + " must be at most " + max + " characters, has " + value.length());
        }
        int bad = firstUnsafe(value, multiline);
        if (bad >= 0) {
            throw new IllegalArgumentException(
                    name
                            + " must not contain control characters or unpaired surrogates; has "
                            + codePoint(value.charAt(bad))
                            + " at index "
                            + bad);
        }
        return value;
    }

    /**
     * Index of the first character no stored text may hold (see {@link #line}), or -1. With {@code
     * multiline}, tab, line feed and carriage return are allowed.
     */
    public static int firstUnsafe(String s, boolean multiline) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
            if (c < 0x20) {
                if (multiline && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return i;
            }
            if ((c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@link #firstUnsafe} finds nothing. */
    public static boolean isSafe(String s, boolean multiline) {
        return firstUnsafe(s, multiline) < 0;
    }

    /**
     * A required email address, at most {@link #MAX_EMAIL} characters, one {@code @}, no spaces,
     * controls or unpaired surrogates.
     */
    public static String email(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.length() > MAX_EMAIL) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_EMAIL + " characters, has " + value.length());
        }
        if (!isSafe(value, false) || !EMAIL.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is not a valid address");
        }
        return value;
    }

    /** A required instant within {@link #MIN_INSTANT} .. {@link #MAX_INSTANT}. */
    public static Instant instant(Instant value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT)) {
            throw new IllegalArgumentException(
                    name
                            + " must be between "
                            + MIN_INSTANT
                            + " and "
                            + MAX_INSTANT
                            + ", was "
                            + value);
        }
        return value;
    }

    /** A required date within {@link #MIN_DATE} .. {@link #MAX_DATE}. */
    public static LocalDate date(LocalDate value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.isBefore(MIN_DATE) || value.isAfter(MAX_DATE)) {
            throw new IllegalArgumentException(
                    name + " must be between " + MIN_DATE + " and " + MAX_DATE + ", was " + value);
        }
        return value;
    }

    /** A number within {@code min .. max} inclusive. */
    public static long range(long value, String name, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** A number within {@code min .. max} inclusive. */
    public static int range(int value, String name, int min, int max) {
        return (int) range((long) value, name, min, max);
    }

    /** One of the allowed values, exactly. */
    public static String oneOf(String value, String name, Collection<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(
                    name + " must be one of " + allowed + ", was " + excerpt(value));
        }
        return value;
    }

    /**
     * A value's first characters, every non-printable-ASCII character escaped: safe in a reason.
     */
    public static String excerpt(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(value.length(), 32);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c <= '~') {
                b.append(c);
            } else {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return b.append(value.length() > n ? "'..." : "'").toString();
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
