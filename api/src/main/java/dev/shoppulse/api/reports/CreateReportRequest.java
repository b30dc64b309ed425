package dev.shoppulse.api.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Fields;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.serde.Json;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The body of {@code POST /v1/reports}: the one report type, and {@code from}..{@code to} inside
 * {@link Fields#EARLIEST_DATE}..{@link Fields#LATEST_DATE}, in order. Built only valid: the
 * constructor answers anything else with a 400 problem. The configured longest range is checked by
 * {@link #requireAtMostDays}.
 */
public record CreateReportRequest(String type, LocalDate from, LocalDate to) {
    private static final String SHAPE = "body must be JSON {type, parameters: {from, to}}";

    public CreateReportRequest {
        try {
            if (!ReportRequest.SALES_BY_DAY_PRODUCT.equals(type)) {
                throw new IllegalArgumentException(
                        "type must be \"" + ReportRequest.SALES_BY_DAY_PRODUCT + "\"");
            }
            Fields.date("parameters.from", from);
            Fields.date("parameters.to", to);
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("parameters.to is before parameters.from");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage(), e);
        }
    }

    /**
     * Reads {@code {"type": ..., "parameters": {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}}}; by
     * hand rather than by binding, so each malformed field gets its own 400 detail.
     */
    public static CreateReportRequest fromJson(byte[] body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest(SHAPE, e);
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest(SHAPE);
        }
        JsonNode params = n.path("parameters");
        LocalDate from = date(params, "from");
        LocalDate to = date(params, "to");
        return new CreateReportRequest(n.path("type").asText(""), from, to);
    }

    /** The number of days the report covers, both ends included. */
    public int days() {
        return (int) (to.toEpochDay() - from.toEpochDay()) + 1;
    }

    /** This request, or a 400 when it covers more than {@code maxDays} days. */
    public CreateReportRequest requireAtMostDays(int maxDays) {
        if (days() > maxDays) {
            throw ApiException.badRequest(
                    "the range covers " + days() + " days; at most " + maxDays);
        }
        return this;
    }

    private static LocalDate date(JsonNode params, String field) {
        JsonNode v = params.path(field);
        if (!v.isTextual() || v.asText().length() != 10) {
            throw ApiException.badRequest("parameters." + field + " must be a date (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "parameters." + field + " must be a date (YYYY-MM-DD)", e);
        }
    }
}
