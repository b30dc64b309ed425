package dev.shoppulse.common.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * An accepted report request, published to Kafka {@code report-requests} by the API after the
 * report row was stored as QUEUED; the report job splits it into one shard per day.
 *
 * @param reportId the report's id (also the Kafka key)
 * @param owner the client that asked for it
 * @param type the report type, e.g. {@code sales-by-day-product}
 * @param from first day of the range (inclusive)
 * @param to last day of the range (inclusive)
 * @param requestedAt when the API accepted it
 */
public record ReportRequest(
        String reportId,
        String owner,
        String type,
        LocalDate from,
        LocalDate to,
        Instant requestedAt) {
    public static final String SALES_BY_DAY_PRODUCT = "sales-by-day-product";

    public ReportRequest {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to is before from");
        }
    }

    /** Days in the range, one shard each. */
    public int days() {
        return (int) (to.toEpochDay() - from.toEpochDay()) + 1;
    }
}
