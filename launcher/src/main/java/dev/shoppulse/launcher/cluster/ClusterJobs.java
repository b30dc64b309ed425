package dev.shoppulse.launcher.cluster;

import dev.shoppulse.common.capability.Capabilities;
import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.topics.Topic;
import java.util.ArrayList;
import java.util.List;

/**
 * The job catalogue of the shaded jar as {@code flink run -c} sees it: every entry class, and the
 * flags that point a job at its services.
 */
public final class ClusterJobs {
    private ClusterJobs() {}

    /** The order job, which the single-job cluster checks submit on its own. */
    public static final JobDefinition ORDERS = OrdersCapability.JOB;

    /** Every job the shaded jar carries, read from the capability registry. */
    public static final List<JobDefinition> ALL = Capabilities.jobs();

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
                    Settings.DLQ_MAX_VALUE_BYTES,
                    Settings.EVENTS_MIN_TIME);

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
     * the job's topics and every setting of its capability except the local run's (secrets
     * excepted, as above).
     */
    public static List<String> programArgs(ShopPulseConfig c, JobDefinition job) {
        List<Setting> settings = new ArrayList<>(CONNECTION);
        for (Topic<?> t : job.topics()) {
            settings.add(Settings.topicSetting(t.name()));
        }
        for (Setting s : capabilityOf(job).settings()) {
            if (!s.key().startsWith("local.")) {
                settings.add(s);
            }
        }
        return programArgs(c, settings);
    }

    /** The capability that defines {@code job}. */
    public static CapabilityDefinition capabilityOf(JobDefinition job) {
        return Capabilities.ALL.stream()
                .filter(cap -> cap.jobs().contains(job))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no capability has " + job));
    }
}
