package dev.shoppulse.launcher.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.api.auth.ApiKeys;
import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.jobs.reports.ReportJob;
import dev.shoppulse.jobs.reports.ShardHook;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.Traffic;
import dev.shoppulse.sql.RateLimitSql;
import dev.shoppulse.sql.reports.SalesReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports in the local run: seeds {@code sales}, submits {@link ReportJob}, registers a demo client
 * and requests one demo report over HTTP (with an Idempotency-Key, re-sent once to show it is not
 * duplicated), then polls it to the end as a page would.
 */
public final class ReportsLocal implements Capability {
    private static final Logger LOG = LoggerFactory.getLogger(ReportsLocal.class);
    static final String CLIENT = "reports-demo";

    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicInteger progress = new AtomicInteger();
    private final AtomicReference<String> reportId = new AtomicReference<>();
    private final AtomicReference<String> status = new AtomicReference<>("-");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String key = "demo-" + UUID.randomUUID();
    private ScheduledExecutorService timer;
    private Traffic hostile;
    private ApiServer api;

    @Override
    public String name() {
        return "reports";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        int days = config.getInt(ReportsCapability.LOCAL_REPORTS_DAYS);
        try (Connection c = connect(config)) {
            SalesReport.seed(
                    c,
                    firstDay(config),
                    days,
                    config.getInt(ReportsCapability.LOCAL_REPORTS_ROWS_PER_DAY));
            try (PreparedStatement ps = c.prepareStatement(RateLimitSql.UPSERT_CLIENT)) {
                ps.setString(1, CLIENT);
                ps.setString(2, "pro");
                ps.setString(3, ApiKeys.hash(key));
                ps.setString(4, Scopes.REPORTS);
                ps.executeUpdate();
            }
        }
        cluster.submit(config, ReportJob.NAME, env -> ReportJob.build(env, config, ShardHook.NONE));
    }

    private static LocalDate firstDay(ShopPulseConfig config) {
        return LocalDate.now(ZoneOffset.UTC)
                .minusDays(config.getInt(ReportsCapability.LOCAL_REPORTS_DAYS));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        api = ApiServer.start(config.with(Settings.API_PORT, 0));
        int port = api.port();
        LocalDate from = firstDay(config);
        LocalDate to = from.plusDays(config.getInt(ReportsCapability.LOCAL_REPORTS_DAYS) - 1L);
        String idempotencyKey = UUID.randomUUID().toString();
        LOG.info("reports: demo API key {} (client {}) for /reports.html", key, CLIENT);
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "report-traffic"));
        // The API writes report-requests; hostile ones go straight to the topic: ten at the
        // start, then one per step's worth of API calls at local.hostile-rate.
        hostile =
                config.getDouble(Settings.LOCAL_HOSTILE_RATE) > 0
                        ? Traffic.toKafka(config, "report-hostile")
                        : null;
        String requestsTopic = config.topic(ReportsCapability.REPORT_REQUESTS);
        byte[] seed =
                ReportsCapability.REPORT_REQUESTS
                        .codec()
                        .encode(
                                new ReportRequest(
                                        "hostile-seed-" + UUID.randomUUID(),
                                        CLIENT,
                                        ReportRequest.SALES_BY_DAY_PRODUCT,
                                        from,
                                        to,
                                        java.time.Instant.now()));
        if (hostile != null) {
            hostile.mixHostile(
                    requestsTopic,
                    (long) Math.ceil(10 / config.getDouble(Settings.LOCAL_HOSTILE_RATE)),
                    CLIENT,
                    seed);
        }
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        if (hostile != null) {
                            hostile.mixHostile(requestsTopic, 1, CLIENT, seed);
                        }
                        step(port, from, to, idempotencyKey);
                    } catch (Exception e) {
                        LOG.warn("reports: demo step failed: {}", e.toString());
                        errors.incrementAndGet();
                    }
                },
                2000,
                500,
                TimeUnit.MILLISECONDS);
    }

    private void step(int port, LocalDate from, LocalDate to, String idempotencyKey)
            throws Exception {
        String base = "http://127.0.0.1:" + port + "/v1/reports";
        if (reportId.get() == null) {
            String body =
                    "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\""
                            + from
                            + "\",\"to\":\""
                            + to
                            + "\"}}";
            // Sent twice with one key, as a reload would: one report, one piece of work.
            String first = null;
            for (int k = 0; k < 2; k++) {
                HttpResponse<String> r =
                        http.send(
                                HttpRequest.newBuilder(URI.create(base))
                                        .header("X-Api-Key", key)
                                        .header("Idempotency-Key", idempotencyKey)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 202) {
                    LOG.warn("reports: POST answered {}: {}", r.statusCode(), r.body());
                    errors.incrementAndGet();
                    return;
                }
                String id = Json.MAPPER.readTree(r.body()).get("id").asText();
                if (first != null && !first.equals(id)) {
                    errors.incrementAndGet(); // a duplicate would be a bug
                }
                first = id;
            }
            requested.incrementAndGet();
            reportId.set(first);
            return;
        }
        if (isFinal(status.get())) {
            return;
        }
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/" + reportId.get()))
                                .header("X-Api-Key", key)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            LOG.warn("reports: GET answered {}: {}", r.statusCode(), r.body());
            errors.incrementAndGet();
            return;
        }
        JsonNode n = Json.MAPPER.readTree(r.body());
        progress.set(n.get("progress").asInt());
        String s = n.get("status").asText();
        status.set(s);
        if ("SUCCEEDED".equals(s)) {
            succeeded.incrementAndGet();
            LOG.info("reports: demo report {} ready at {}", reportId.get(), n.get("links"));
        } else if ("FAILED".equals(s) || "CANCELLED".equals(s)) {
            failed.incrementAndGet();
        }
    }

    private static boolean isFinal(String s) {
        return "SUCCEEDED".equals(s) || "FAILED".equals(s) || "CANCELLED".equals(s);
    }

    private static Connection connect(ShopPulseConfig config) throws Exception {
        return Postgres.connect(config);
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.get());
        m.put("progress", progress.get() + "%");
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reports.requested", requested.get());
        m.put("reports.succeeded", succeeded.get());
        m.put("reports.failed", failed.get());
        m.put("reports.errors", errors.get());
        m.put("reports.hostile_sent", hostile == null ? 0 : hostile.hostileSent());
        return m;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (hostile != null) {
            hostile.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
