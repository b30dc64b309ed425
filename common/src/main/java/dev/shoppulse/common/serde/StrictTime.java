package dev.shoppulse.common.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Instants and dates on the wire are ISO-8601 strings and nothing else: an epoch number is
 * ambiguous (seconds or milliseconds?) and an array form is not part of any ShopPulse contract, so
 * both are rejected rather than guessed at.
 */
final class StrictTime {
    /** Longest timestamp text accepted; the longest valid instant text has 36 characters. */
    static final int MAX_TEXT = 64;

    static final SimpleModule MODULE =
            new SimpleModule("shoppulse-strict-time")
                    .addDeserializer(Instant.class, new InstantText())
                    .addDeserializer(LocalDate.class, new DateText());

    private StrictTime() {}

    /** Reads an instant from an ISO-8601 string (offsets allowed, converted to UTC). */
    static final class InstantText extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = text(p, ctxt, Instant.class);
            Instant fast = utcInstant(s);
            if (fast != null) {
                return fast;
            }
            try {
                return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(s, Instant::from);
            } catch (DateTimeException e) {
                return (Instant)
                        ctxt.handleWeirdStringValue(
                                Instant.class,
                                s,
                                "not an ISO-8601 instant such as 2024-01-01T00:00:00Z");
            }
        }
    }

    private static final int[] POW10 = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    /**
     * The instant of {@code s} if it has the form every ShopPulse writer produces, {@code
     * yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, and is a valid date and time; null for anything else, which
     * the formatter then parses or rejects with its own reason. Hot: every event carries an
     * instant, and the general formatter costs about as much as the rest of the event's JSON.
     * Returns exactly what {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} would for such text.
     */
    static Instant utcInstant(String s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int width = n - 21;
            if (s.charAt(19) != '.' || width < 1) {
                return null;
            }
            int fraction = digits(s, 20, width);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POW10[9 - width];
        }
        if (month < 1
                || month > 12
                || day < 1
                || day > 31
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null; // e.g. 31 April or 29 February of a common year: the formatter says why
        }
        return Instant.ofEpochSecond(
                date.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal value of {@code width} ASCII digits of {@code s} from {@code from}, or -1. */
    private static int digits(String s, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Reads a date from an ISO-8601 {@code yyyy-MM-dd} string. */
    static final class DateText extends StdScalarDeserializer<LocalDate> {
        private static final long serialVersionUID = 1L;

        DateText() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = text(p, ctxt, LocalDate.class);
            try {
                return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE);
            } catch (DateTimeException e) {
                return (LocalDate)
                        ctxt.handleWeirdStringValue(
                                LocalDate.class, s, "not an ISO-8601 date such as 2024-01-31");
            }
        }
    }

    private static String text(JsonParser p, DeserializationContext ctxt, Class<?> type)
            throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            ctxt.reportInputMismatch(
                    type,
                    "%s must be an ISO-8601 string, not %s",
                    type.getSimpleName(),
                    p.currentToken());
        }
        String s = p.getText();
        if (s.length() > MAX_TEXT) {
            ctxt.reportInputMismatch(
                    type, "%s text is longer than %d characters", type.getSimpleName(), MAX_TEXT);
        }
        return s;
    }
}
