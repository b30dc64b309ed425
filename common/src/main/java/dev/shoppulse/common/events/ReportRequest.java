package dev.shoppulse.common.events;

import dev.shoppulse.common.validation.Check;
import java.time.Instant;
import java.time.LocalDate;

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

    /** Longest report type name. */
    public static final int MAX_TYPE = 64;

    public ReportRequest {
        Check.id(reportId, "reportId");
        Check.id(owner, "owner");
        Check.id(type, "type", MAX_TYPE);
        Check.date(from, "from");
        Check.date(to, "to");
        Check.instant(requestedAt, "requestedAt");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to is before from");
        }
    }

    /** Days in the range, one shard each. */
    public int days() {
        return (int) (to.toEpochDay() - from.toEpochDay()) + 1;
    }
}
