package dev.shoppulse.jobs.reports;

import java.time.LocalDate;

/**
 * One day of one report, the unit of parallel work; {@code finished} marks a shard a previous run
 * already completed (it flows on to the assembler without being executed again). Days travel as
 * epoch days: Flink has no non-generic serializer for {@code LocalDate} inside a record.
 */
public record ReportShard(
        String reportId, String owner, String type, long epochDay, int shards, boolean finished) {
    public LocalDate day() {
        return LocalDate.ofEpochDay(epochDay);
    }
}
