package dev.shoppulse.common.notifications;

import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;
import static dev.shoppulse.common.config.Setting.Type.STRING;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Profile-update emails under a hard provider limit: coalescing, a global ceiling, retries,
 * idempotency.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class NotificationsCapability {
    private NotificationsCapability() {}

    // --- settings ---------------------------------------------------------------------------
    public static final Setting NOTIFY_PROVIDER_URL =
            Setting.of(
                    "notifications.provider-url",
                    STRING,
                    "http://127.0.0.1:8025/v1/send",
                    "Email provider endpoint the notifications are POSTed to.");
    public static final Setting NOTIFY_LIMIT =
            Setting.of(
                    "notifications.limit",
                    INT,
                    "200",
                    "Hard ceiling of provider calls (retries included) per sliding window, shared"
                            + " by every sink subtask.");
    public static final Setting NOTIFY_WINDOW =
            Setting.of(
                    "notifications.window",
                    DURATION,
                    "60s",
                    "The provider's sliding window for notifications.limit.");
    public static final Setting NOTIFY_QUIET_WINDOW =
            Setting.of(
                    "notifications.quiet-window",
                    DURATION,
                    "60s",
                    "Updates of one user within this window after the first become one email.");
    public static final Setting NOTIFY_SECURITY_FIELDS =
            Setting.of(
                    "notifications.security-fields",
                    STRING,
                    "email,password,phone",
                    "Comma-separated fields whose change is mailed at once, ahead of the rest.");
    public static final Setting NOTIFY_REQUEST_TIMEOUT =
            Setting.of(
                    "notifications.request-timeout",
                    DURATION,
                    "10s",
                    "Timeout of one provider call; a timeout is retried like a 5xx.");
    public static final Setting NOTIFY_MAX_ATTEMPTS =
            Setting.of(
                    "notifications.max-attempts",
                    INT,
                    "8",
                    "Attempts per notification on 5xx/timeouts before it goes to"
                            + " notifications.dlq (429s do not count).");
    public static final Setting NOTIFY_BACKOFF_BASE =
            Setting.of(
                    "notifications.backoff-base",
                    DURATION,
                    "500ms",
                    "First retry delay after a 5xx/timeout; doubles per attempt, with jitter.");
    public static final Setting NOTIFY_BACKOFF_MAX =
            Setting.of(
                    "notifications.backoff-max",
                    DURATION,
                    "30s",
                    "Longest retry delay after a 5xx/timeout.");
    public static final Setting NOTIFY_MAX_RETRY_AFTER =
            Setting.of(
                    "notifications.max-retry-after",
                    DURATION,
                    "120s",
                    "Longest pause a provider 429's Retry-After can impose on every sink subtask;"
                            + " longer (or unreadable) values are cut to it and the notification"
                            + " is retried then.");
    public static final Setting NOTIFY_MAX_IN_FLIGHT =
            Setting.of(
                    "notifications.max-in-flight",
                    INT,
                    "32",
                    "Notifications one sink subtask works on at once; beyond that it backpressures"
                            + " so the backlog stays in Kafka.");
    public static final Setting NOTIFY_SINK_PARALLELISM =
            Setting.of(
                    "notifications.sink-parallelism",
                    INT,
                    "2",
                    "Parallelism of the email sink (the ceiling is global whatever it is).");
    public static final Setting NOTIFY_MAX_FUTURE =
            Setting.of(
                    "notifications.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a profile update or report-ready event may be.");
    public static final Setting LOCAL_PROFILE_BURST =
            Setting.of(
                    "local.profile-burst",
                    INT,
                    "300",
                    "Profile updates the local generator sends in each burst.");
    public static final Setting LOCAL_PROFILE_BURST_INTERVAL =
            Setting.of(
                    "local.profile-burst-interval",
                    DURATION,
                    "10s",
                    "Time between the local generator's profile-update bursts.");
    public static final Setting LOCAL_PROVIDER_WINDOW =
            Setting.of(
                    "local.provider-window",
                    DURATION,
                    "6s",
                    "Time-scaled window of the local run's provider simulator (and of the job's"
                            + " limiter) instead of notifications.window.");

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<ProfileUpdated> PROFILE_UPDATES =
            Topic.json(
                    "profile-updates",
                    ProfileUpdated.class,
                    "Profile changes from the profile service, key = userId.");
    public static final Topic<DeadLetter> PROFILE_UPDATES_DLQ =
            Topic.deadLetters(
                    "profile-updates.dlq",
                    "Rejected profile-update records with reason and position.");
    public static final Topic<DeadLetter> NOTIFICATIONS_DLQ =
            Topic.deadLetters(
                    "notifications.dlq",
                    "Notifications the provider refused for good (permanent 4xx, retries"
                            + " exhausted); value = the Notification JSON.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("notifications", NotificationsCapability.class)
                    .summary(
                            "Profile-update emails under a hard provider limit: coalescing, a global ceiling, retries, idempotency.")
                    .job(
                            "profile-notifications",
                            "dev.shoppulse.jobs.notifications.NotificationJob",
                            PROFILE_UPDATES,
                            PROFILE_UPDATES_DLQ,
                            NOTIFICATIONS_DLQ,
                            ReportsCapability.REPORT_READY)
                    .localTraffic("dev.shoppulse.launcher.notifications.NotificationsLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
