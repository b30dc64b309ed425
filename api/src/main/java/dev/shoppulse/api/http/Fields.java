package dev.shoppulse.api.http;

import java.time.Instant;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Domain checks shared by the request records: each throws {@link IllegalArgumentException} with a
 * reason naming the field, which the resources answer as 400 problem+json.
 */
public final class Fields {
    /**
     * Dates and instants a request may name: from 2000-01-01 to 2100-12-31. Well inside epoch
     * millis and PostgreSQL's date and timestamp range, and wider than any real shop's data.
     */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(2000, 1, 1);

    public static final LocalDate LATEST_DATE = LocalDate.of(2100, 12, 31);

    private Fields() {}

    /**
     * A string of {@code min}..{@code max} code points, free of NUL, other control characters
     * (except, when {@code multiline}, tab, CR and LF) and unpaired surrogates.
     */
    public static String text(String field, String value, int min, int max, boolean multiline) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw new IllegalArgumentException(
                            field + " contains an unpaired surrogate at " + i);
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException(
                        field + " contains an unpaired surrogate at " + i);
            } else if (c == 0) {
                throw new IllegalArgumentException(field + " must not contain NUL characters");
            } else if (Character.isISOControl(c)
                    && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
                throw new IllegalArgumentException(
                        field
                                + " must not contain control characters (found U+"
                                + String.format("%04X", (int) c)
                                + ")");
            }
            n++;
            if (n > max) {
                throw new IllegalArgumentException(
                        field + " is longer than " + max + " characters");
            }
        }
        if (n < min) {
            throw new IllegalArgumentException(
                    field + (min == 1 ? " must not be empty" : " is shorter than " + min));
        }
        return value;
    }

    /** A value matching {@code pattern} (whose description is {@code what}). */
    public static String matching(String field, String value, Pattern pattern, String what) {
        if (value == null || value.length() > 1024 || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be " + what);
        }
        return value;
    }

    /** A number in {@code min}..{@code max}. */
    public static long range(String field, Long value, long min, long max) {
        if (value == null || value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be an integer from " + min + " to " + max);
        }
        return value;
    }

    /** A date inside {@link #EARLIEST_DATE}..{@link #LATEST_DATE}. */
    public static LocalDate date(String field, LocalDate value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required (YYYY-MM-DD)");
        }
        if (value.isBefore(EARLIEST_DATE) || value.isAfter(LATEST_DATE)) {
            throw new IllegalArgumentException(
                    field + " must be from " + EARLIEST_DATE + " to " + LATEST_DATE);
        }
        return value;
    }

    /** An instant on a date inside {@link #EARLIEST_DATE}..{@link #LATEST_DATE} (UTC). */
    public static Instant instant(String field, Instant value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.isBefore(EARLIEST_DATE.atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                || !value.isBefore(
                        LATEST_DATE
                                .plusDays(1)
                                .atStartOfDay(java.time.ZoneOffset.UTC)
                                .toInstant())) {
            throw new IllegalArgumentException(
                    field + " must be from " + EARLIEST_DATE + " to " + LATEST_DATE + " (UTC)");
        }
        return value;
    }
}
