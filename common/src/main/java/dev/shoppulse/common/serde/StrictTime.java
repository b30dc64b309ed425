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
