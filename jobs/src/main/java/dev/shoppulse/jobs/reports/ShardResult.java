package dev.shoppulse.jobs.reports;

import java.time.LocalDate;

/** A shard whose part file is in the report store and whose completion PostgreSQL recorded. */
public record ShardResult(
        String reportId, String owner, String type, long epochDay, boolean executed) {
    public LocalDate day() {
        return LocalDate.ofEpochDay(epochDay);
    }
}
