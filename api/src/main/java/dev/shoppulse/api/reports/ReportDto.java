package dev.shoppulse.api.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.serde.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A report as the API shows it: status, progress, times, ETA, error and links. */
public record ReportDto(
        String id,
        String type,
        JsonNode parameters,
        String status,
        int progress,
        int shards,
        int shardsDone,
        int version,
        Instant createdAt,
        Instant startedAt,
        Instant eta,
        Instant finishedAt,
        Instant expiresAt,
        Long rows,
        String error,
        Map<String, String> links) {

    static ReportDto of(ReportRow r, Instant now) {
        Map<String, String> links = new LinkedHashMap<>();
        String self = ReportsResource.BASE + "/" + r.id();
        links.put("self", self);
        links.put("events", self + "/events");
        if (ReportRow.SUCCEEDED.equals(r.status())) {
            links.put("download", self + "/download");
        }
        JsonNode params;
        try {
            params = Json.MAPPER.readTree(r.parameters() == null ? "{}" : r.parameters());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored parameters are not JSON", e);
        }
        return new ReportDto(
                r.id(),
                r.type(),
                params,
                r.status(),
                r.progressPercent(),
                r.shards(),
                r.shardsDone(),
                r.version(),
                r.createdAt(),
                r.startedAt(),
                r.eta(now),
                r.finishedAt(),
                r.expiresAt(),
                r.rows(),
                r.error(),
                links);
    }
}
