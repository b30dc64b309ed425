package dev.shoppulse.api.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.auth.ApiKeyAuth;
import dev.shoppulse.api.auth.Client;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.api.http.Fields;
import dev.shoppulse.api.http.Resource;
import dev.shoppulse.api.http.Routes;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.redis.ReportCache;
import dev.shoppulse.common.reports.ReportFiles;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.ReportStore.Created;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous reports: {@code POST /v1/reports} (202 + Location; Idempotency-Key; identical
 * in-flight requests de-duplicated; per-user quota), {@code GET /v1/reports} (the caller's list),
 * {@code GET/DELETE /v1/reports/{id}} (status with progress, ETA and Retry-After; cancel), {@code
 * GET /v1/reports/{id}/events} (SSE, resumable with Last-Event-ID) and {@code GET
 * /v1/reports/{id}/download}. Every route needs scope {@code reports}; only the owner sees a report
 * (everyone else gets 404); a client holds at most {@code reports.max-streams} streams.
 */
public final class ReportsResource implements Resource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportsResource.class);
    static final String BASE = "/v1/reports";
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

    /** Report settings, from configuration. */
    public record Limits(
            int maxActive, int maxDays, Duration expiry, Duration ssePoll, int maxStreams) {}

    private final DataSource db;
    private final ReportCache cache;
    private final ReportRequests requests;
    private final ReportFiles files;
    private final Limits limits;
    private final Clock clock;

    /** Open SSE streams per client; an entry goes when its count returns to zero. */
    private final ConcurrentHashMap<String, Integer> openStreams = new ConcurrentHashMap<>();

    private final ScheduledExecutorService streams =
            Executors.newScheduledThreadPool(
                    2,
                    r -> {
                        Thread t = new Thread(r, "report-sse");
                        t.setDaemon(true);
                        return t;
                    });

    public ReportsResource(
            DataSource db,
            ReportCache cache,
            ReportRequests requests,
            ReportFiles files,
            Limits limits,
            Clock clock) {
        this.db = db;
        this.cache = cache;
        this.requests = requests;
        this.files = files;
        this.limits = limits;
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
                    openStream(client.id());
                    ctx.attribute(STREAM_OWNER, client.id());
                });
        routes.sse(BASE + "/{id}/events", own, this::events);
    }

    private static final String STREAM_OWNER = "shoppulse.report-stream-owner";

    /** Takes one of the client's stream slots, or 429. */
    private void openStream(String clientId) {
        boolean[] over = {false};
        openStreams.compute(
                clientId,
                (k, n) -> {
                    int open = n == null ? 0 : n;
                    if (open >= limits.maxStreams()) {
                        over[0] = true;
                        return n;
                    }
                    return open + 1;
                });
        if (over[0]) {
            throw new ApiException(
                    429,
                    "too-many-streams",
                    "Too many open streams",
                    "at most "
                            + limits.maxStreams()
                            + " progress streams per client are open at once; close one",
                    Map.of("Retry-After", "5"));
        }
    }

    private void closeStream(String clientId) {
        openStreams.computeIfPresent(clientId, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void create(Context ctx) throws Exception {
        Client client = ApiKeyAuth.require(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("Idempotency-Key must be 1-128 visible ASCII characters");
        }
        Parsed p = parse(Api.jsonBody(ctx));
        Instant now = clock.instant();
        Created created;
        try {
            created = requests.create(client.id(), key, p.type(), p.from(), p.to(), p.days(), now);
        } catch (SQLException e) {
            throw unavailable(e);
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
                    Map.of("Retry-After", Long.toString(retryAfter(q.oldestActive(), now, 30))));
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
        ReportRow row;
        if (created instanceof Created.Existing e) {
            row = e.row();
            ctx.header("Idempotent-Replayed", "true");
        } else {
            // Stored with its outbox record: the relay queues it, the answer does not wait.
            row = ((Created.New) created).row();
            cache(row);
        }
        ctx.status(202);
        ctx.header("Location", BASE + "/" + row.id());
        Api.json(ctx, ReportDto.of(row, now));
    }

    private void list(Context ctx) throws Exception {
        Client client = ApiKeyAuth.require(ctx);
        Instant now = clock.instant();
        try (Connection c = db.getConnection()) {
            List<ReportDto> rows =
                    ReportStore.list(c, client.id(), 50).stream()
                            .map(r -> ReportDto.of(freshest(r), now))
                            .toList();
            Api.json(ctx, Map.of("reports", rows));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void status(Context ctx) {
        ReportRow row = owned(ctx, ApiKeyAuth.require(ctx));
        Instant now = clock.instant();
        if (!row.isFinal()) {
            ctx.header("Retry-After", Long.toString(retryAfter(row, now, 2)));
        }
        Api.json(ctx, ReportDto.of(row, now));
    }

    private void cancel(Context ctx) throws Exception {
        Client client = ApiKeyAuth.require(ctx);
        ReportRow row = owned(ctx, client);
        Optional<ReportRow> cancelled;
        try (Connection c = db.getConnection()) {
            cancelled = ReportStore.cancel(c, row.id(), client.id());
        } catch (SQLException e) {
            throw unavailable(e);
        }
        if (cancelled.isEmpty()) {
            ReportRow now = load(row.id()).orElse(row);
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
        cache(cancelled.get());
        Api.json(ctx, ReportDto.of(cancelled.get(), clock.instant()));
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

    /**
     * Pushes one {@code status} event (id = the report's version) whenever the cached status
     * changes, starting after the client's Last-Event-ID, and ends the stream after a final state.
     * Events carry the whole status, so a reconnecting page loses nothing by skipping versions.
     */
    private void events(SseClient sse) {
        Context ctx = sse.ctx();
        String owner = ctx.attribute(STREAM_OWNER);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release =
                () -> {
                    if (owner != null && released.compareAndSet(false, true)) {
                        closeStream(owner);
                    }
                };
        String id = ctx.pathParam("id");
        String lastId = ctx.header("Last-Event-ID");
        AtomicInteger last = new AtomicInteger(-1);
        if (lastId != null) {
            try {
                last.set(Integer.parseInt(lastId.trim()));
            } catch (NumberFormatException e) {
                // An id we never sent: start from the current state.
            }
        }
        sse.keepAlive();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        AtomicInteger ticks = new AtomicInteger();
        Runnable poll =
                () -> {
                    try {
                        if (sse.terminated()) {
                            end(task, release);
                            return;
                        }
                        Optional<ReportRow> row = load(id);
                        if (row.isEmpty()) {
                            sse.close();
                            end(task, release);
                            return;
                        }
                        ReportRow r = row.get();
                        if (r.version() > last.get()) {
                            sse.sendEvent(
                                    "status",
                                    Json.writeString(ReportDto.of(r, clock.instant())),
                                    Integer.toString(r.version()));
                            last.set(r.version());
                        } else if (ticks.incrementAndGet() % 50 == 0) {
                            sse.sendComment("keep-alive");
                        }
                        if (r.isFinal()) {
                            sse.close();
                            end(task, release);
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("report {} stream ended: {}", id, e.toString());
                        sse.close();
                        end(task, release);
                    }
                };
        long every = Math.max(10, limits.ssePoll().toMillis());
        task.set(streams.scheduleWithFixedDelay(poll, 0, every, TimeUnit.MILLISECONDS));
        sse.onClose(() -> end(task, release));
    }

    private static void end(AtomicReference<ScheduledFuture<?>> task, Runnable release) {
        cancelTask(task);
        release.run();
    }

    private static void cancelTask(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> f = task.get();
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The report if it exists, is unexpired and belongs to the client; 404 otherwise. */
    private ReportRow owned(Context ctx, Client client) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw ApiException.notFound("no report " + id);
        }
        ReportRow row = load(id).orElse(null);
        // Someone else's report is indistinguishable from a missing one: ids are not probeable.
        if (row == null || !row.owner().equals(client.id()) || row.expired(clock.instant())) {
            throw ApiException.notFound("no report " + id);
        }
        return row;
    }

    /** Redis first (cheap polling), PostgreSQL when not cached, re-caching what it read. */
    Optional<ReportRow> load(String id) {
        try {
            ReportRow cached = cache.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        } catch (RuntimeException e) {
            LOG.debug("report cache unavailable: {}", e.toString());
        }
        try (Connection c = db.getConnection()) {
            Optional<ReportRow> row = ReportStore.find(c, id);
            row.ifPresent(this::cache);
            return row;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The cached version when it is newer than a list row read from PostgreSQL. */
    private ReportRow freshest(ReportRow r) {
        try {
            ReportRow cached = cache.get(r.id());
            return cached != null && cached.version() > r.version() ? cached : r;
        } catch (RuntimeException e) {
            return r;
        }
    }

    private void cache(ReportRow row) {
        try {
            cache.put(row);
        } catch (RuntimeException e) {
            // The cache is an optimisation; PostgreSQL stays the source of truth.
            LOG.debug("report {} not cached: {}", row.id(), e.toString());
        }
    }

    /** Seconds until the ETA, between 1 and 30; {@code fallback} without an ETA. */
    static long retryAfter(ReportRow row, Instant now, long fallback) {
        Instant eta = row.eta(now);
        if (eta == null) {
            return fallback;
        }
        return Math.max(1, Math.min(30, Duration.between(now, eta).toSeconds()));
    }

    /**
     * A report request's parameters: the one report type, and {@code from}..{@code to} inside
     * {@link Fields#EARLIEST_DATE}..{@link Fields#LATEST_DATE}, in order, at most {@code maxDays}
     * days long.
     */
    record Parsed(String type, LocalDate from, LocalDate to) {
        Parsed {
            if (!ReportRequest.SALES_BY_DAY_PRODUCT.equals(type)) {
                throw new IllegalArgumentException(
                        "type must be \"" + ReportRequest.SALES_BY_DAY_PRODUCT + "\"");
            }
            Fields.date("parameters.from", from);
            Fields.date("parameters.to", to);
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("parameters.to is before parameters.from");
            }
        }

        int days() {
            return (int) (to.toEpochDay() - from.toEpochDay()) + 1;
        }
    }

    private Parsed parse(byte[] body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body must be JSON {type, parameters: {from, to}}");
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("body must be JSON {type, parameters: {from, to}}");
        }
        JsonNode params = n.path("parameters");
        Parsed p;
        try {
            p = new Parsed(n.path("type").asText(""), date(params, "from"), date(params, "to"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (p.days() > limits.maxDays()) {
            throw ApiException.badRequest(
                    "the range covers " + p.days() + " days; at most " + limits.maxDays());
        }
        return p;
    }

    private static LocalDate date(JsonNode params, String field) {
        JsonNode v = params.path(field);
        if (!v.isTextual() || v.asText().length() != 10) {
            throw ApiException.badRequest("parameters." + field + " must be a date (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("parameters." + field + " must be a date (YYYY-MM-DD)");
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException unavailable(SQLException e) {
        LOG.warn("reports database error: {}", e.toString());
        return ApiException.unavailable("the report database is unavailable");
    }

    @Override
    public void close() {
        streams.shutdownNow();
    }
}
