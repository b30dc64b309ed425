package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.events.LogEntry;

/**
 * A log entry with the Kafka position it was read from: the position is the row's identity in
 * {@code app_logs}, which makes the insert idempotent, and lets a rejection cite it.
 */
public record SourcedLogEntry(LogEntry entry, String topic, int partition, long offset) {}
