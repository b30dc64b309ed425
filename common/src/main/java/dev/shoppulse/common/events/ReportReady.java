package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.time.Instant;

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
    /** The final states a report reaches. */
    public static final java.util.List<String> STATUSES = java.util.List.of("SUCCEEDED", "FAILED");

    /** Longest download path or error text. */
    public static final int MAX_TEXT = 4096;

    public ReportReady {
        Check.id(reportId, "reportId");
        Check.id(owner, "owner");
        Check.id(type, "type", ReportRequest.MAX_TYPE);
        Check.oneOf(status, "status", STATUSES);
        if (downloadPath != null) {
            Check.line(downloadPath, "downloadPath", MAX_TEXT);
        }
        Check.range(rows, "rows", 0, Long.MAX_VALUE);
        if (error != null) {
            Check.multiline(error, "error", MAX_TEXT);
        }
        Check.instant(finishedAt, "finishedAt");
    }
}
