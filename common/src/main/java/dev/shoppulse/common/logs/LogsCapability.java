package dev.shoppulse.common.logs;

import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * 30-day log retention: day partitions, detach and drop, never DELETE.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class LogsCapability {
    private LogsCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting LOGS_RETENTION =
            Setting.of(
                    "logs.retention",
                    DURATION,
                    "30d",
                    "How long app_logs rows are kept (whole days); older day partitions are"
                            + " detached and dropped.");
    public static final Setting LOGS_PRECREATE_DAYS =
            Setting.of(
                    "logs.precreate-days",
                    INT,
                    "3",
                    "Day partitions of app_logs created ahead of today; rows further ahead go"
                            + " to the DLQ.");
    public static final Setting LOGS_MAINTENANCE_INTERVAL =
            Setting.of(
                    "logs.maintenance-interval",
                    DURATION,
                    "1h",
                    "How often the local run's scheduler runs the app_logs partition"
                            + " maintenance.");
    public static final Setting LOGS_BATCH_SIZE =
            Setting.of(
                    "logs.batch-size", INT, "500", "Rows per batched JDBC insert into app_logs.");
    public static final Setting LOGS_BATCH_INTERVAL =
            Setting.of(
                    "logs.batch-interval",
                    DURATION,
                    "200ms",
                    "Longest a log row waits in a partly filled insert batch.");
    public static final Setting LOGS_MAX_FUTURE =
            Setting.of(
                    "logs.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a log entry's loggedAt may be.");
    public static final Setting LOCAL_LOGS_PER_S =
            Setting.of(
                    "local.logs-per-s",
                    INT,
                    "500",
                    "Log rows the local traffic generator sends per second (a few late ones"
                            + " included).");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<LogEntry> LOGS =
            Topic.json(
                    "logs",
                    LogEntry.class,
                    "Application log rows {loggedAt, service, level, message}, key = service.");
    public static final Topic<DeadLetter> LOGS_DLQ =
            Topic.deadLetters(
                    "logs.dlq", "Rejected log rows: malformed, or outside the retention window.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("logs", LogsCapability.class)
                    .summary("30-day log retention: day partitions, detach and drop, never DELETE.")
                    .job("log-ingest", "dev.shoppulse.jobs.logs.LogIngestJob", LOGS, LOGS_DLQ)
                    .localTraffic("dev.shoppulse.launcher.sql.LogsLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
