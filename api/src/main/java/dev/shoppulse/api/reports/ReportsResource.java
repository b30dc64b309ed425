package dev.shoppulse.api.reports;

import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.reports.ReportFiles;
import dev.shoppulse.common.reports.ReportRow;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Asynchronous reports over HTTP: {@code POST /v1/reports} (202 + Location; Idempotency-Key;
 * identical in-flight requests de-duplicated; per-user quota), {@code GET /v1/reports} (the
 * caller's list), {@code GET/DELETE /v1/reports/{id}} (status with progress, ETA and Retry-After;
 * cancel), {@code GET /v1/reports/{id}/events} (SSE, resumable with Last-Event-ID) and {@code GET
 * /v1/reports/{id}/download}. Every route needs scope {@code reports}; only the owner sees a report
 * (everyone else gets 404); a client holds at most {@code reports.max-streams} streams. The work is
 * done by {@link ReportService} (create, cancel), {@link ReportStatusReader} (status) and {@link
 * ReportEventStream} (progress streams); this class reads requests and writes responses.
 */
public final class ReportsResource implements Resource {
    static final String BASE = "/v1/reports";
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");
    private static final String STREAM_OWNER = "shoppulse.report-stream-owner";

    private final ReportService service;
    private final ReportStatusReader reader;
    private final ReportEventStream events;
    private final ReportFiles files;
    private final Clock clock;

    public ReportsResource(
            ReportService service,
            ReportStatusReader reader,
            ReportEventStream events,
            ReportFiles files,
            Clock clock) {
        this.service = service;
        this.reader = reader;
        this.events = events;
        this.files = files;
        this.clock = clock;
    }

    @Override
    public void routes(Routes routes) {
        Access own = Access.scope(Scopes.REPORTS, "own reports only; others' are 404");
        routes.post(BASE, Access.scope(Scopes.REPORTS, "owned by the caller"), this::create);
        routes.get(BASE, own, this::list);
        routes.get(BASE + "/{id}", own, this::status);
        routes.delete(BASE + "/{id}", own, this::cancel);
        routes.get(BASE + "/{id}/download", own, this::download);
        // The owner check and the stream cap run before the stream starts, so a stranger gets a
        // plain 404 and a client over its cap a plain 429.
        routes.beforeMatched(
                BASE + "/{id}/events",
                ctx -> {
                    Client client = ApiKeyAuth.require(ctx);
                    owned(ctx, client);
                    events.reserve(client.id());
                    ctx.attribute(STREAM_OWNER, client.id());
                });
        routes.sse(BASE + "/{id}/events", own, this::events);
    }

    private void create(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("Idempotency-Key must be 1-128 visible ASCII characters");
        }
        CreateReportRequest request = CreateReportRequest.fromJson(Api.jsonBody(ctx));
        Instant now = clock.instant();
        ReportService.Accepted accepted = service.create(client.id(), key, request, now);
        if (accepted.replayed()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        ctx.status(202);
        ctx.header("Location", BASE + "/" + accepted.row().id());
        Api.json(ctx, ReportDto.of(accepted.row(), now));
    }

    private void list(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        Instant now = clock.instant();
        List<ReportDto> rows =
                reader.list(client.id(), 50).stream().map(r -> ReportDto.of(r, now)).toList();
        Api.json(ctx, Map.of("reports", rows));
    }

    private void status(Context ctx) {
        ReportRow row = owned(ctx, ApiKeyAuth.require(ctx));
        Instant now = clock.instant();
        if (!row.isFinal()) {
            ctx.header("Retry-After", Long.toString(ReportStatusReader.retryAfter(row, now, 2)));
        }
        Api.json(ctx, ReportDto.of(row, now));
    }

    private void cancel(Context ctx) {
        Client client = ApiKeyAuth.require(ctx);
        ReportRow cancelled = service.cancel(owned(ctx, client), client.id());
        Api.json(ctx, ReportDto.of(cancelled, clock.instant()));
    }

    private void download(Context ctx) throws Exception {
        ReportRow row = owned(ctx, ApiKeyAuth.require(ctx));
        if (!ReportRow.SUCCEEDED.equals(row.status()) || row.file() == null) {
            throw new ApiException(
                    409,
                    "report-not-ready",
                    "Report not ready",
                    "report " + row.id() + " is " + row.status());
        }
        Path file = files.result(row.id(), row.file());
        if (!Files.exists(file)) {
            throw ApiException.notFound("the file of report " + row.id() + " is gone");
        }
        boolean gz = row.file().endsWith(".gz");
        ctx.contentType(gz ? "application/gzip" : "text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + row.file() + "\"");
        // No Content-Length of our own: Javalin may compress the stream for the client.
        InputStream in = Files.newInputStream(file);
        ctx.result(in);
    }

    private void events(SseClient sse) {
        Context ctx = sse.ctx();
        events.stream(
                sse, ctx.attribute(STREAM_OWNER), ctx.pathParam("id"), ctx.header("Last-Event-ID"));
    }

    private ReportRow owned(Context ctx, Client client) {
        return reader.owned(ctx.pathParam("id"), client.id());
    }
}
