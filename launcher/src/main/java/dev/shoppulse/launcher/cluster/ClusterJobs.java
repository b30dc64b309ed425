package dev.shoppulse.launcher.cluster;

import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The job catalogue of the shaded jar as {@code flink run -c} sees it: every entry class, and the
 * flags that point a job at its services.
 */
public final class ClusterJobs {
    private ClusterJobs() {}

    /** One job of the shaded jar. */
    public record Job(String name, String entryClass) {}

    /** Every job the shaded jar carries; a new job adds itself here and to README's catalogue. */
    public static final List<Job> ALL =
            List.of(
                    new Job("order-sequencing", "dev.shoppulse.jobs.orders.OrderSequencingJob"),
                    new Job("request-metering", "dev.shoppulse.jobs.metering.RequestMeteringJob"),
                    new Job("pincode-updates", "dev.shoppulse.jobs.pincodes.PincodeUpdateJob"),
                    new Job("log-ingest", "dev.shoppulse.jobs.logs.LogIngestJob"),
                    new Job("notifications", "dev.shoppulse.jobs.notifications.NotificationJob"),
                    new Job("top-searches", "dev.shoppulse.jobs.search.TopSearchesJob"),
                    new Job("reports", "dev.shoppulse.jobs.reports.ReportJob"));

    /** The settings every job needs to find Kafka, Redis, PostgreSQL and its checkpoints. */
    static final List<Setting> CONNECTION =
            List.of(
                    Settings.KAFKA_BOOTSTRAP,
                    Settings.KAFKA_TXN_PREFIX,
                    Settings.KAFKA_GROUP_PREFIX,
                    Settings.REDIS_HOST,
                    Settings.REDIS_PORT,
                    Settings.REDIS_KEY_PREFIX,
                    Settings.POSTGRES_URL,
                    Settings.POSTGRES_USER,
                    Settings.POSTGRES_SCHEMA,
                    Settings.FLINK_PARALLELISM,
                    Settings.CHECKPOINT_INTERVAL,
                    Settings.CHECKPOINT_DIR,
                    Settings.RESTART_ATTEMPTS);

    /**
     * {@code --key value} for {@code settings} (secrets are never passed as program arguments: they
     * would show in the web UI; jobs read them from the TaskManagers' environment).
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
}
