package dev.shoppulse.common.config;

import static dev.shoppulse.common.config.Setting.Type.DOUBLE;
import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;
import static dev.shoppulse.common.config.Setting.Type.STRING;

import dev.shoppulse.common.capability.Capabilities;
import dev.shoppulse.common.capability.CapabilityDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings every capability shares (Kafka, Redis, PostgreSQL, Flink, the API, the local run and
 * the cluster), and {@link #all()}: these joined with each capability's own settings, declared in
 * its definition (for example {@code OrdersCapability}), and a {@code topics.<name>} setting per
 * topic. Every setting has a safe local default.
 *
 * <p>README's configuration table is checked against {@link #all()} by a test, so adding a setting
 * means documenting it there.
 */
public final class Settings {
    private Settings() {}

    // --- shared infrastructure -------------------------------------------------------------
    public static final Setting KAFKA_BOOTSTRAP =
            Setting.of("kafka.bootstrap", STRING, "127.0.0.1:9092", "Kafka bootstrap servers.");
    public static final Setting KAFKA_TXN_PREFIX =
            Setting.of(
                    "kafka.txn-prefix",
                    STRING,
                    "shoppulse",
                    "Prefix of every transactional id; unique per deployment.");
    public static final Setting KAFKA_TXN_TIMEOUT =
            Setting.of(
                    "kafka.transaction-timeout",
                    DURATION,
                    "10m",
                    "Producer transaction.timeout.ms; must stay below the broker's"
                            + " transaction.max.timeout.ms (15m by default).");
    public static final Setting KAFKA_GROUP_PREFIX =
            Setting.of("kafka.group-prefix", STRING, "shoppulse", "Prefix of consumer group ids.");
    public static final Setting REDIS_HOST =
            Setting.of("redis.host", STRING, "127.0.0.1", "Redis host.");
    public static final Setting REDIS_PORT = Setting.of("redis.port", INT, "6379", "Redis port.");
    public static final Setting REDIS_PASSWORD =
            Setting.secret("redis.password", "Redis password (environment only).");
    public static final Setting REDIS_TIMEOUT =
            Setting.of("redis.timeout", DURATION, "500ms", "Redis connect and socket timeout.");
    public static final Setting REDIS_KEY_PREFIX =
            Setting.of(
                    "redis.key-prefix",
                    STRING,
                    "sp",
                    "Prefix of every Redis key ShopPulse writes.");
    public static final Setting POSTGRES_URL =
            Setting.of(
                    "postgres.url",
                    STRING,
                    "jdbc:postgresql://127.0.0.1:5432/test",
                    "PostgreSQL JDBC URL.");
    public static final Setting POSTGRES_USER =
            Setting.of("postgres.user", STRING, "postgres", "PostgreSQL user.");
    public static final Setting POSTGRES_PASSWORD =
            Setting.secret("postgres.password", "PostgreSQL password (environment only).");
    public static final Setting POSTGRES_SCHEMA =
            Setting.of(
                    "postgres.schema",
                    STRING,
                    "shoppulse",
                    "Schema holding ShopPulse's tables; migrations create it.");

    // --- Flink ------------------------------------------------------------------------------
    public static final Setting FLINK_PARALLELISM =
            Setting.of("flink.parallelism", INT, "2", "Default parallelism of every job.");
    public static final Setting CHECKPOINT_INTERVAL =
            Setting.of(
                    "checkpoint.interval",
                    DURATION,
                    "5s",
                    "Checkpoint interval; exactly-once outputs become visible at this pace.");
    public static final Setting CHECKPOINT_DIR =
            Setting.of(
                    "checkpoint.dir",
                    STRING,
                    "file:///tmp/shoppulse/checkpoints",
                    "Checkpoint storage URI (use a shared filesystem on a cluster).");
    public static final Setting RESTART_ATTEMPTS =
            Setting.of(
                    "restart.attempts",
                    INT,
                    "10",
                    "Fixed-delay restart attempts before a job fails for good.");
    public static final Setting DLQ_MAX_VALUE_BYTES =
            Setting.of(
                    "dlq.max-value-bytes",
                    INT,
                    "262144",
                    "Raw bytes kept in a dead letter; larger values are truncated and keep their"
                            + " size and SHA-256.");
    public static final Setting EVENTS_MIN_TIME =
            Setting.of(
                    "events.min-time",
                    STRING,
                    "2000-01-01T00:00:00Z",
                    "Earliest event time (and report day) any job accepts; older ones are"
                            + " dead-lettered at parse.");

    // --- API --------------------------------------------------------------------------------
    public static final Setting API_PORT =
            Setting.of("api.port", INT, "8080", "HTTP port of the REST service (0 = any free).");

    // --- local runner -----------------------------------------------------------------------
    public static final Setting LOCAL_DURATION =
            Setting.of(
                    "local.duration",
                    DURATION,
                    "0s",
                    "Stop the local run after this long and print SUMMARY (0 = until Ctrl-C).");
    public static final Setting LOCAL_MALFORMED_RATE =
            Setting.of(
                    "local.malformed-rate",
                    DOUBLE,
                    "0.005",
                    "Share of malformed records the generator mixes in.");
    public static final Setting LOCAL_HOSTILE_RATE =
            Setting.of(
                    "local.hostile-rate",
                    DOUBLE,
                    "0",
                    "Share of generated hostile records (hostile values, raw bytes, keys) mixed"
                            + " into every generator's Kafka traffic.");
    public static final Setting LOCAL_DRAIN_TIMEOUT =
            Setting.of(
                    "local.drain-timeout",
                    DURATION,
                    "30s",
                    "When --duration ends the run, how long the SUMMARY waits for the jobs to read"
                            + " what the generators sent (0 = not at all).");
    public static final Setting LOCAL_PROGRESS_INTERVAL =
            Setting.of("local.progress-interval", DURATION, "5s", "How often progress is printed.");
    public static final Setting LOCAL_EMBEDDED =
            Setting.choice(
                    "local.embedded",
                    "auto",
                    "Start embedded Redis/PostgreSQL: auto (only when none answers), always, never.",
                    "auto",
                    "always",
                    "never");

    // --- outbox of the API (report requests, comment replies) -------------------------------
    public static final Setting OUTBOX_BATCH =
            Setting.of(
                    "outbox.batch",
                    INT,
                    "200",
                    "Outbox records (report requests, comment replies) one relay round publishes.");
    public static final Setting OUTBOX_POLL =
            Setting.of(
                    "outbox.poll",
                    DURATION,
                    "500ms",
                    "How often an idle outbox relay looks for records another instance wrote.");
    public static final Setting OUTBOX_MAX_BACKOFF =
            Setting.of(
                    "outbox.max-backoff",
                    DURATION,
                    "10s",
                    "Longest pause of the outbox relay between attempts while Kafka is down.");

    // --- cluster ---------------------------------------------------------------------------
    public static final Setting CLUSTER_REST_PORT =
            Setting.of(
                    "cluster.rest-port",
                    INT,
                    "8081",
                    "REST and web UI port of ./shoppulse cluster's JobManager (0 = any free port).");
    public static final Setting CLUSTER_TASKMANAGERS =
            Setting.of(
                    "cluster.taskmanagers",
                    INT,
                    "2",
                    "TaskManager processes ./shoppulse cluster starts.");
    public static final Setting CLUSTER_SLOTS =
            Setting.of(
                    "cluster.slots",
                    INT,
                    "8",
                    "Task slots per TaskManager process of ./shoppulse cluster.");
    public static final Setting CLUSTER_DIR =
            Setting.of(
                    "cluster.dir",
                    STRING,
                    ".shoppulse/cluster",
                    "Working directory of ./shoppulse cluster: conf, logs, checkpoints, savepoints.");

    private static final Map<String, Setting> BY_KEY = index();

    private static Map<String, Setting> index() {
        Map<String, Setting> map = new LinkedHashMap<>();
        List<Setting> all =
                new ArrayList<>(CapabilityDefinition.constants(Settings.class, Setting.class));
        for (CapabilityDefinition c : Capabilities.ALL) {
            all.addAll(c.settings());
        }
        Capabilities.topics().forEach(t -> all.add(topicSetting(t.name())));
        for (Setting s : all) {
            if (map.put(s.key(), s) != null) {
                throw new IllegalStateException("duplicate setting " + s.key());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The setting that renames a topic; its default is the registry's name. */
    public static Setting topicSetting(String defaultTopicName) {
        return Setting.of(
                "topics." + defaultTopicName, STRING, defaultTopicName, "Name of this topic.");
    }

    public static List<Setting> all() {
        return List.copyOf(BY_KEY.values());
    }

    static Setting byKey(String key) {
        return BY_KEY.get(key);
    }
}
