package dev.shoppulse.launcher.cluster;

import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.topics.Topics;
import java.util.ArrayList;
import java.util.List;

/**
 * The job catalogue of the shaded jar as {@code flink run -c} sees it: every entry class, and the
 * flags that point a job at its services.
 */
public final class ClusterJobs {
    private ClusterJobs() {}

    /**
     * One job of the shaded jar: its entry class, the topics it reads and writes, and the prefix of
     * its own settings (every setting under it is passed as a flag).
     */
    public record Job(
            String name, String entryClass, List<Topic<?>> topics, String settingsPrefix) {}

    public static final Job ORDERS =
            new Job(
                    "order-sequencing",
                    "dev.shoppulse.jobs.orders.OrderSequencingJob",
                    List.of(
                            Topics.ORDERS,
                            Topics.ORDERS_SEQUENCED,
                            Topics.ORDERS_ALERTS,
                            Topics.ORDERS_DLQ),
                    "orders.");
    public static final Job METERING =
            new Job(
                    "request-metering",
                    "dev.shoppulse.jobs.metering.RequestMeteringJob",
                    List.of(Topics.API_REQUESTS, Topics.API_REQUESTS_DLQ),
                    "metering.");
    public static final Job PINCODES =
            new Job(
                    "pincode-updates",
                    "dev.shoppulse.jobs.pincodes.PincodeUpdateJob",
                    List.of(
                            Topics.PINCODE_UPDATES,
                            Topics.PINCODE_UPDATES_DLQ,
                            Topics.PINCODE_UPDATES_UNKNOWN),
                    "pincodes.");
    public static final Job LOGS =
            new Job(
                    "log-ingest",
                    "dev.shoppulse.jobs.logs.LogIngestJob",
                    List.of(Topics.LOGS, Topics.LOGS_DLQ),
                    "logs.");
    public static final Job NOTIFICATIONS =
            new Job(
                    "notifications",
                    "dev.shoppulse.jobs.notifications.NotificationJob",
                    List.of(
                            Topics.PROFILE_UPDATES,
                            Topics.PROFILE_UPDATES_DLQ,
                            Topics.NOTIFICATIONS_DLQ,
                            Topics.REPORT_READY),
                    "notifications.");
    public static final Job SEARCH =
            new Job(
                    "top-searches",
                    "dev.shoppulse.jobs.search.TopSearchesJob",
                    List.of(Topics.SEARCHES, Topics.SEARCHES_DLQ),
                    "search.");
    public static final Job REPORTS =
            new Job(
                    "reports",
                    "dev.shoppulse.jobs.reports.ReportJob",
                    List.of(
                            Topics.REPORT_REQUESTS,
                            Topics.REPORT_REQUESTS_DLQ,
                            Topics.REPORT_READY),
                    "reports.");

    /** Every job the shaded jar carries; a new job adds itself here and to README's catalogue. */
    public static final List<Job> ALL =
            List.of(ORDERS, METERING, PINCODES, LOGS, NOTIFICATIONS, SEARCH, REPORTS);

    /** The settings every job needs to find Kafka, Redis, PostgreSQL and its checkpoints. */
    static final List<Setting> CONNECTION =
            List.of(
                    Settings.KAFKA_BOOTSTRAP,
                    Settings.KAFKA_TXN_PREFIX,
                    Settings.KAFKA_GROUP_PREFIX,
                    Settings.REDIS_HOST,
                    Settings.REDIS_PORT,
                    Settings.REDIS_KEY_PREFIX,
                    Settings.REDIS_TIMEOUT,
                    Settings.POSTGRES_URL,
                    Settings.POSTGRES_USER,
                    Settings.POSTGRES_SCHEMA,
                    Settings.FLINK_PARALLELISM,
                    Settings.CHECKPOINT_INTERVAL,
                    Settings.CHECKPOINT_DIR,
                    Settings.RESTART_ATTEMPTS,
                    Settings.KAFKA_TXN_TIMEOUT,
                    Settings.DLQ_MAX_VALUE_BYTES);

    /**
     * {@code --key value} for {@code settings}. Secrets are never passed as program arguments (they
     * would show in the web UI) nor carried in the job graph: each operator reads them from its
     * TaskManager's environment ({@code SHOPPULSE_REDIS_PASSWORD}, {@code
     * SHOPPULSE_POSTGRES_PASSWORD}) when it connects, so the TaskManagers need them set.
     */
    public static List<String> programArgs(ShopPulseConfig c, List<Setting> settings) {
        List<String> args = new ArrayList<>();
        for (Setting s : settings) {
            String v = c.getOrNull(s);
            if (v != null && !s.secret()) {
                args.add("--" + s.key());
                args.add(v);
            }
        }
        return args;
    }

    public static List<String> programArgs(ShopPulseConfig c) {
        return programArgs(c, CONNECTION);
    }

    /**
     * The flags {@code flink run -c job.entryClass()} gets: the connection settings, the names of
     * the job's topics and every setting under its prefix (secrets excepted, as above).
     */
    public static List<String> programArgs(ShopPulseConfig c, Job job) {
        List<Setting> settings = new ArrayList<>(CONNECTION);
        for (Topic<?> t : job.topics()) {
            settings.add(Settings.topicSetting(t.name()));
        }
        for (Setting s : Settings.all()) {
            if (s.key().startsWith(job.settingsPrefix())) {
                settings.add(s);
            }
        }
        return programArgs(c, settings);
    }
}
