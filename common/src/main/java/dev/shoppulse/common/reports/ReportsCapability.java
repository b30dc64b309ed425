package dev.shoppulse.common.reports;

import static dev.shoppulse.common.config.Setting.Type.BOOLEAN;
import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;
import static dev.shoppulse.common.config.Setting.Type.STRING;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Asynchronous reports: 202 and status, progress over SSE, day shards in parallel, notification,
 * download.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class ReportsCapability {
    private ReportsCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting REPORTS_STORE_DIR =
            Setting.of(
                    "reports.store-dir",
                    STRING,
                    ".shoppulse/reports",
                    "Directory of the report store (finished files and per-shard parts).");
    public static final Setting REPORTS_EXPIRY =
            Setting.of(
                    "reports.expiry",
                    DURATION,
                    "7d",
                    "How long a report (row, cache entry, file) is kept after it was requested.");
    public static final Setting REPORTS_MAX_ACTIVE =
            Setting.of(
                    "reports.max-active",
                    INT,
                    "3",
                    "Queued or running reports one user may have; one more is 429.");
    public static final Setting REPORTS_MAX_DAYS =
            Setting.of(
                    "reports.max-days", INT, "366", "Longest date range (days) one report covers.");
    public static final Setting REPORTS_GZIP =
            Setting.of(
                    "reports.gzip",
                    BOOLEAN,
                    "false",
                    "Write report files gzip-compressed (.csv.gz) instead of plain CSV.");
    public static final Setting REPORTS_SHARD_PAUSE =
            Setting.of(
                    "reports.shard-pause",
                    DURATION,
                    "0ms",
                    "Extra time each shard takes, to make a demo report as slow as a real one.");
    public static final Setting REPORTS_SSE_POLL =
            Setting.of(
                    "reports.sse-poll",
                    DURATION,
                    "200ms",
                    "How often an SSE stream reads the report's cached status for changes.");
    public static final Setting REPORTS_MAX_FUTURE =
            Setting.of(
                    "reports.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a report request's requestedAt may be.");
    public static final Setting REPORTS_MAX_STREAMS =
            Setting.of(
                    "reports.max-streams",
                    INT,
                    "4",
                    "Progress streams (SSE) one API client may hold open at once per API instance;"
                            + " more get 429.");
    public static final Setting REPORTS_SWEEP_INTERVAL =
            Setting.of(
                    "reports.sweep-interval",
                    DURATION,
                    "10m",
                    "How often the API deletes expired reports and their files.");
    public static final Setting REPORTS_SWEEP_BATCH =
            Setting.of(
                    "reports.sweep-batch",
                    INT,
                    "500",
                    "Expired reports deleted per sweep transaction (at most 20 per run).");
    public static final Setting LOCAL_REPORTS_ROWS_PER_DAY =
            Setting.of(
                    "local.reports-rows-per-day",
                    INT,
                    "2000",
                    "Order lines per day the local run seeds into the sales table.");
    public static final Setting LOCAL_REPORTS_DAYS =
            Setting.of(
                    "local.reports-days",
                    INT,
                    "14",
                    "Days of sales the local run seeds and its demo report covers.");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<ReportRequest> REPORT_REQUESTS =
            Topic.json(
                    "report-requests",
                    ReportRequest.class,
                    "Accepted report requests for the report job, key = reportId.");
    public static final Topic<DeadLetter> REPORT_REQUESTS_DLQ =
            Topic.deadLetters(
                    "report-requests.dlq",
                    "Rejected report requests (malformed, unknown type) with reason and position.");
    public static final Topic<ReportReady> REPORT_READY =
            Topic.json(
                    "report-ready",
                    ReportReady.class,
                    "A report reached a final state (SUCCEEDED or FAILED), key = owner.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("reports", ReportsCapability.class)
                    .summary(
                            "Asynchronous reports: 202 and status, progress over SSE, day shards in parallel, notification, download.")
                    .job(
                            "reports",
                            "dev.shoppulse.jobs.reports.ReportJob",
                            REPORT_REQUESTS,
                            REPORT_REQUESTS_DLQ,
                            REPORT_READY)
                    .routes(
                            "POST /v1/reports",
                            "GET /v1/reports",
                            "GET /v1/reports/{id}",
                            "DELETE /v1/reports/{id}",
                            "GET /v1/reports/{id}/download",
                            "GET /v1/reports/{id}/events")
                    .localTraffic("dev.shoppulse.launcher.reports.ReportsLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
