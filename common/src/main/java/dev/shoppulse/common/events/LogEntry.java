package dev.shoppulse.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.shoppulse.common.validation.Check;
import java.time.Instant;
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
        Check.instant(loggedAt, "loggedAt");
        Check.id(service, "service");
        if (level == null || !LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + LEVELS);
        }
        Check.multiline(message, "message", MAX_MESSAGE);
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
