package dev.shoppulse.api.reports;

import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.Outbox;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.ReportStore.Created;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Accepting a report request: the report row and its {@code report-requests} record commit in one
 * short transaction (the transactional outbox), and the outbox relay publishes the record after the
 * answer. So a 202 means "stored and queued durably", never waits for Kafka, and a crash after the
 * commit cannot strand a QUEUED report: the relay publishes it when an instance runs again.
 */
public final class ReportRequests {
    private final DataSource db;
    private final String topic;
    private final int maxActive;
    private final Duration expiry;
    private final Runnable wakeRelay;

    /**
     * @param topic the deployed name of {@code report-requests}
     * @param wakeRelay tells the outbox relay a record is waiting (it polls anyway)
     */
    public ReportRequests(
            DataSource db, String topic, int maxActive, Duration expiry, Runnable wakeRelay) {
        this.db = db;
        this.topic = topic;
        this.maxActive = maxActive;
        this.expiry = expiry;
        this.wakeRelay = wakeRelay;
    }

    /** Creates (or finds) the report; a new one is queued through the outbox. */
    public Created create(
            String owner,
            String idempotencyKey,
            String type,
            LocalDate from,
            LocalDate to,
            int days,
            Instant now)
            throws SQLException {
        String paramsJson = Json.writeString(Map.of("from", from.toString(), "to", to.toString()));
        String id = UUID.randomUUID().toString().replace("-", "");
        ReportStore.NewReport nr =
                new ReportStore.NewReport(
                        id,
                        owner,
                        type,
                        paramsJson,
                        ReportsResource.sha256(type + "|" + from + "|" + to),
                        idempotencyKey,
                        days,
                        now.plus(expiry));
        // Keyed by report id: every record of one report lands on one partition, in order.
        Outbox.Message request =
                new Outbox.Message(
                        topic,
                        id,
                        ReportsCapability.REPORT_REQUESTS
                                .codec()
                                .encode(new ReportRequest(id, owner, type, from, to, now)));
        Created created;
        try (Connection c = db.getConnection()) {
            created = ReportStore.create(c, nr, maxActive, request);
        }
        if (created instanceof Created.New) {
            wakeRelay.run();
        }
        return created;
    }
}
