package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One application log row, as services write it to Kafka {@code logs} keyed by service.
 *
 * @param loggedAt when it was logged; picks the day partition
 * @param service the emitting service
 * @param level TRACE, DEBUG, INFO, WARN or ERROR
 * @param message the text (at most {@link #MAX_MESSAGE} characters)
 */
public record LogEntry(Instant loggedAt, String service, String level, String message) {
    public static final int MAX_MESSAGE = 8192;
    public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    public LogEntry {
        Objects.requireNonNull(loggedAt, "loggedAt is required");
        if (service == null || service.isBlank() || service.length() > 128) {
            throw new IllegalArgumentException("service must be 1-128 characters");
        }
        if (level == null || !LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + LEVELS);
        }
        Objects.requireNonNull(message, "message is required");
        if (message.length() > MAX_MESSAGE || message.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(
                    "message must be at most " + MAX_MESSAGE + " characters, without NUL");
        }
    }

    @JsonCreator
    static LogEntry fromJson(
            @JsonProperty(value = "loggedAt", required = true) Instant loggedAt,
            @JsonProperty(value = "service", required = true) String service,
            @JsonProperty(value = "level", required = true) String level,
            @JsonProperty(value = "message", required = true) String message) {
        return new LogEntry(loggedAt, service, level, message);
    }
}
