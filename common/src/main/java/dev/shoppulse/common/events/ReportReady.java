package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A report reached a final state: published to Kafka {@code report-ready} so the owner can be
 * notified (the notification pipeline's contract; key = owner).
 *
 * @param reportId the report
 * @param owner the client that requested it (who to notify)
 * @param type the report type
 * @param status {@code SUCCEEDED} or {@code FAILED}
 * @param downloadPath the API path of the file when it succeeded, else null
 * @param rows data rows in the file (0 when failed)
 * @param error why it failed, else null
 * @param finishedAt when the final state was recorded
 */
public record ReportReady(
        String reportId,
        String owner,
        String type,
        String status,
        String downloadPath,
        long rows,
        String error,
        Instant finishedAt) {
    public ReportReady {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }
}
