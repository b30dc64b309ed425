package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.jobs.flink.RawRecord;
import java.time.LocalDate;

/**
 * A parsed {@link ReportRequest} inside the job, its range as epoch days (no Kryo), with the Kafka
 * position of the request so a rejected split can cite it.
 */
public record ReportTask(
        String reportId,
        String owner,
        String type,
        long fromEpochDay,
        long toEpochDay,
        int partition,
        long offset) {
    static ReportTask of(ReportRequest r, RawRecord raw) {
        return new ReportTask(
                r.reportId(),
                r.owner(),
                r.type(),
                r.from().toEpochDay(),
                r.to().toEpochDay(),
                raw.partition(),
                raw.offset());
    }

    LocalDate from() {
        return LocalDate.ofEpochDay(fromEpochDay);
    }

    int days() {
        return (int) (toEpochDay - fromEpochDay) + 1;
    }
}
