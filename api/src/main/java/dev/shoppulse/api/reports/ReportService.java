package dev.shoppulse.api.reports;

import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.Outbox;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.ReportStore.Created;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Creating and cancelling reports. A new report and its {@code report-requests} record commit in
 * one short transaction (the transactional outbox), serialised per owner so the Idempotency-Key,
 * the de-duplication of identical in-flight requests and the quota are exact; the outbox relay
 * publishes the record after the answer. So a 202 means "stored and queued durably", never waits
 * for Kafka, and a crash after the commit cannot strand a QUEUED report: the relay publishes it
 * when an instance runs again.
 */
public final class ReportService {
    private final DataSource db;
    private final ReportStatusReader reader;
    private final String topic;
    private final ReportLimits limits;
    private final Runnable wakeRelay;

    /** What {@link #create} accepted: the report, and whether an earlier request made it. */
    public record Accepted(ReportRow row, boolean replayed) {}

    /**
     * @param reader where a written row is cached and a current one is read
     * @param topic the deployed name of {@code report-requests}
     * @param wakeRelay tells the outbox relay a record is waiting (it polls anyway)
     */
    public ReportService(
            DataSource db,
            ReportStatusReader reader,
            String topic,
            ReportLimits limits,
            Runnable wakeRelay) {
        this.db = db;
        this.reader = reader;
        this.topic = topic;
        this.limits = limits;
        this.wakeRelay = wakeRelay;
    }

    /**
     * Creates the report, or finds the one this Idempotency-Key or an identical in-flight request
     * made; 400 beyond the longest range, 429 over the owner's quota, 422 for a key reused with a
     * different request.
     */
    public Accepted create(
            String owner, String idempotencyKey, CreateReportRequest request, Instant now) {
        request.requireAtMostDays(limits.maxDays());
        Created created;
        try {
            created = store(owner, idempotencyKey, request, now);
        } catch (SQLException e) {
            throw ReportStatusReader.unavailable(e);
        }
        if (created instanceof Created.OverQuota q) {
            throw new ApiException(
                    429,
                    "report-quota",
                    "Too many reports in progress",
                    "you have "
                            + q.active()
                            + " reports queued or running (at most "
                            + limits.maxActive()
                            + "); wait for one to finish or cancel one",
                    Map.of(
                            "Retry-After",
                            Long.toString(
                                    ReportStatusReader.retryAfter(q.oldestActive(), now, 30))));
        }
        if (created instanceof Created.KeyReused k) {
            throw new ApiException(
                    422,
                    "idempotency-key-reused",
                    "Idempotency-Key reused",
                    "this Idempotency-Key was used for a different request (report "
                            + k.row().id()
                            + ")");
        }
        if (created instanceof Created.Existing e) {
            return new Accepted(e.row(), true);
        }
        // Stored with its outbox record: the relay queues it, the answer does not wait.
        ReportRow row = ((Created.New) created).row();
        wakeRelay.run();
        reader.cache(row);
        return new Accepted(row, false);
    }

    private Created store(
            String owner, String idempotencyKey, CreateReportRequest request, Instant now)
            throws SQLException {
        String type = request.type();
        String paramsJson =
                Json.writeString(
                        Map.of("from", request.from().toString(), "to", request.to().toString()));
        String id = UUID.randomUUID().toString().replace("-", "");
        ReportStore.NewReport nr =
                new ReportStore.NewReport(
                        id,
                        owner,
                        type,
                        paramsJson,
                        sha256(type + "|" + request.from() + "|" + request.to()),
                        idempotencyKey,
                        request.days(),
                        now.plus(limits.expiry()));
        // Keyed by report id: every record of one report lands on one partition, in order.
        Outbox.Message message =
                new Outbox.Message(
                        topic,
                        id,
                        ReportsCapability.REPORT_REQUESTS
                                .codec()
                                .encode(
                                        new ReportRequest(
                                                id,
                                                owner,
                                                type,
                                                request.from(),
                                                request.to(),
                                                now)));
        try (Connection c = db.getConnection()) {
            return ReportStore.create(c, nr, limits.maxActive(), message);
        }
    }

    /** Cancels the owner's report {@code row}; 409 when it has already finished. */
    public ReportRow cancel(ReportRow row, String owner) {
        Optional<ReportRow> cancelled;
        try (Connection c = db.getConnection()) {
            cancelled = ReportStore.cancel(c, row.id(), owner);
        } catch (SQLException e) {
            throw ReportStatusReader.unavailable(e);
        }
        if (cancelled.isEmpty()) {
            ReportRow now = reader.load(row.id()).orElse(row);
            throw new ApiException(
                    409,
                    "report-final",
                    "Report already finished",
                    "report "
                            + row.id()
                            + " is "
                            + now.status()
                            + " and can no longer be cancelled");
        }
        reader.cache(cancelled.get());
        return cancelled.get();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
