package dev.shoppulse.common.config;

import static dev.shoppulse.common.config.Setting.Type.DOUBLE;
import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;
import static dev.shoppulse.common.config.Setting.Type.STRING;

import dev.shoppulse.common.topics.Topics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting ShopPulse reads, in one place, with safe local defaults.
 *
 * <p>README's configuration table is checked against this list by a test, so adding a setting here
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

    // --- orders (issue: ordered order events) -----------------------------------------------
    public static final Setting ORDERS_GAP_TIMEOUT =
            Setting.of(
                    "orders.gap-timeout",
                    DURATION,
                    "30s",
                    "How long an order may wait for a missing seq before GapDetected is raised.");
    public static final Setting ORDERS_GAP_POLICY =
            Setting.choice(
                    "orders.gap-policy",
                    "skip",
                    "After a gap times out: skip (release the buffer, late arrivals of the"
                            + " skipped seqs go to the DLQ) or wait (keep waiting).",
                    "skip",
                    "wait");
    public static final Setting ORDERS_MAX_BUFFER =
            Setting.of(
                    "orders.max-buffer",
                    INT,
                    "64",
                    "Most out-of-order events held per order; more are alerted and dead-lettered.");
    public static final Setting ORDERS_TERMINAL_GRACE =
            Setting.of(
                    "orders.terminal-grace",
                    DURATION,
                    "10m",
                    "How long an order's state outlives its terminal event, to drop late"
                            + " duplicates.");
    public static final Setting ORDERS_STATUS_TTL =
            Setting.of(
                    "orders.status-ttl",
                    DURATION,
                    "7d",
                    "Time to live of an order's status in Redis.");

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
    public static final Setting LOCAL_ORDERS_PER_S =
            Setting.of(
                    "local.orders-per-s",
                    INT,
                    "200",
                    "Orders the local traffic generator starts per second.");
    public static final Setting LOCAL_REORDER_RATE =
            Setting.of(
                    "local.reorder-rate",
                    DOUBLE,
                    "0.10",
                    "Share of order events the generator sends out of order.");
    public static final Setting LOCAL_DUPLICATE_RATE =
            Setting.of("local.duplicate-rate", DOUBLE, "0.02", "Share of order events sent twice.");
    public static final Setting LOCAL_GAP_RATE =
            Setting.of(
                    "local.gap-rate", DOUBLE, "0.002", "Share of order events never sent (gaps).");
    public static final Setting LOCAL_MALFORMED_RATE =
            Setting.of(
                    "local.malformed-rate",
                    DOUBLE,
                    "0.005",
                    "Share of malformed records the generator mixes in.");
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

    // --- search (issue 3: top 10 most searched products) -----------------------------------
    public static final Setting SEARCH_MAX_OUT_OF_ORDERNESS =
            Setting.of(
                    "search.max-out-of-orderness",
                    DURATION,
                    "30s",
                    "How far behind the newest search a search may arrive and still be on time"
                            + " (bounded-out-of-orderness watermarks).");
    public static final Setting SEARCH_IDLE_TIMEOUT =
            Setting.of(
                    "search.idle-timeout",
                    DURATION,
                    "1m",
                    "A searches partition silent this long stops holding back the watermark.");
    public static final Setting SEARCH_ALLOWED_LATENESS =
            Setting.of(
                    "search.allowed-lateness",
                    DURATION,
                    "10m",
                    "Searches this late after their hour closed still correct its published"
                            + " ranking; later ones go to the DLQ and the tooLate metric.");
    public static final Setting SEARCH_PROVISIONAL_INTERVAL =
            Setting.of(
                    "search.provisional-interval",
                    DURATION,
                    "1m",
                    "How often the provisional ranking of the open hour is refreshed (0 = never).");
    public static final Setting SEARCH_TOP_N =
            Setting.of("search.top-n", INT, "10", "Products in each hourly ranking.");
    public static final Setting SEARCH_RANKING_TTL =
            Setting.of(
                    "search.ranking-ttl",
                    DURATION,
                    "48h",
                    "Time to live of the rankings in Redis.");
    public static final Setting SEARCH_PRODUCT_CACHE_TTL =
            Setting.of(
                    "search.product-cache-ttl",
                    DURATION,
                    "10m",
                    "How long product names looked up in PostgreSQL are cached by the job.");
    public static final Setting LOCAL_SEARCHES_PER_S =
            Setting.of(
                    "local.searches-per-s",
                    INT,
                    "300",
                    "Searches the local traffic generator sends per second.");
    public static final Setting LOCAL_PRODUCTS =
            Setting.of(
                    "local.products",
                    INT,
                    "2000",
                    "Products the local run creates and searches for (Zipf-skewed).");
    public static final Setting LOCAL_SEARCH_ZIPF =
            Setting.of(
                    "local.search-zipf",
                    DOUBLE,
                    "1.1",
                    "Zipf exponent of the local run's product popularity.");

    private static final List<Setting> CORE =
            List.of(
                    KAFKA_BOOTSTRAP,
                    KAFKA_TXN_PREFIX,
                    KAFKA_TXN_TIMEOUT,
                    KAFKA_GROUP_PREFIX,
                    REDIS_HOST,
                    REDIS_PORT,
                    REDIS_PASSWORD,
                    REDIS_TIMEOUT,
                    REDIS_KEY_PREFIX,
                    POSTGRES_URL,
                    POSTGRES_USER,
                    POSTGRES_PASSWORD,
                    POSTGRES_SCHEMA,
                    FLINK_PARALLELISM,
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_DIR,
                    RESTART_ATTEMPTS,
                    DLQ_MAX_VALUE_BYTES,
                    ORDERS_GAP_TIMEOUT,
                    ORDERS_GAP_POLICY,
                    ORDERS_MAX_BUFFER,
                    ORDERS_TERMINAL_GRACE,
                    ORDERS_STATUS_TTL,
                    API_PORT,
                    LOCAL_DURATION,
                    LOCAL_ORDERS_PER_S,
                    LOCAL_REORDER_RATE,
                    LOCAL_DUPLICATE_RATE,
                    LOCAL_GAP_RATE,
                    LOCAL_MALFORMED_RATE,
                    LOCAL_PROGRESS_INTERVAL,
                    LOCAL_EMBEDDED,
                    SEARCH_MAX_OUT_OF_ORDERNESS,
                    SEARCH_IDLE_TIMEOUT,
                    SEARCH_ALLOWED_LATENESS,
                    SEARCH_PROVISIONAL_INTERVAL,
                    SEARCH_TOP_N,
                    SEARCH_RANKING_TTL,
                    SEARCH_PRODUCT_CACHE_TTL,
                    LOCAL_SEARCHES_PER_S,
                    LOCAL_PRODUCTS,
                    LOCAL_SEARCH_ZIPF);

    private static final Map<String, Setting> BY_KEY = index();

    private static Map<String, Setting> index() {
        Map<String, Setting> map = new LinkedHashMap<>();
        List<Setting> all = new ArrayList<>(CORE);
        Topics.ALL.forEach(t -> all.add(topicSetting(t.name())));
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
