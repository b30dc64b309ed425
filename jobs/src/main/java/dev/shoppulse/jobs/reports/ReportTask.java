package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.events.ReportRequest;
import java.time.LocalDate;

/** A parsed {@link ReportRequest} inside the job, its range as epoch days (no Kryo). */
public record ReportTask(
        String reportId, String owner, String type, long fromEpochDay, long toEpochDay) {
    static ReportTask of(ReportRequest r) {
        return new ReportTask(
                r.reportId(), r.owner(), r.type(), r.from().toEpochDay(), r.to().toEpochDay());
    }

    LocalDate from() {
        return LocalDate.ofEpochDay(fromEpochDay);
    }

    int days() {
        return (int) (toEpochDay - fromEpochDay) + 1;
    }
}
