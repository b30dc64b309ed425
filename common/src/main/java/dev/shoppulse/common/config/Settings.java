package dev.shoppulse.common.config;

import static dev.shoppulse.common.config.Setting.Type.BOOLEAN;
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
    public static final Setting EVENTS_MIN_TIME =
            Setting.of(
                    "events.min-time",
                    STRING,
                    "2000-01-01T00:00:00Z",
                    "Earliest event time (and report day) any job accepts; older ones are"
                            + " dead-lettered at parse.");

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
    public static final Setting ORDERS_MAX_SEQ_AHEAD =
            Setting.of(
                    "orders.max-seq-ahead",
                    INT,
                    "10000",
                    "Furthest an event's seq may be beyond its order's next expected seq;"
                            + " further ones are alerted and dead-lettered. At least"
                            + " orders.max-buffer.");
    public static final Setting ORDERS_DEDUP_WINDOW =
            Setting.of(
                    "orders.dedup-window",
                    INT,
                    "1024",
                    "How many of an order's latest seqs keep the fingerprint that tells a"
                            + " duplicate from a conflicting event; an older seq arriving again is"
                            + " dead-lettered unverified. Bounds each order's state.");
    public static final Setting ORDERS_TERMINAL_GRACE =
            Setting.of(
                    "orders.terminal-grace",
                    DURATION,
                    "10m",
                    "How long an order's state outlives its terminal event, to drop late"
                            + " duplicates.");
    public static final Setting ORDERS_IDLE_TIMEOUT =
            Setting.of(
                    "orders.idle-timeout",
                    DURATION,
                    "7d",
                    "How long an order without a terminal event may go without emitting an event"
                            + " before it is closed with ORDER_ABANDONED and its buffer"
                            + " dead-lettered.");
    public static final Setting ORDERS_TOMBSTONE_TTL =
            Setting.of(
                    "orders.tombstone-ttl",
                    DURATION,
                    "7d",
                    "How long a closed order's tombstone (last seq) dead-letters its late events"
                            + " instead of starting the order afresh.");
    public static final Setting ORDERS_STATUS_TTL =
            Setting.of(
                    "orders.status-ttl",
                    DURATION,
                    "7d",
                    "Time to live of an order's status in Redis.");
    public static final Setting ORDERS_MAX_FUTURE =
            Setting.of(
                    "orders.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time an order event's occurredAt may be.");

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
    public static final Setting LOCAL_HOSTILE_RATE =
            Setting.of(
                    "local.hostile-rate",
                    DOUBLE,
                    "0",
                    "Share of generated hostile records (hostile values, raw bytes, keys) mixed"
                            + " into every generator's Kafka traffic.");
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

    // --- ratelimit (issue 5: rate limiting the expensive endpoint) --------------------------
    public static final Setting RATELIMIT_WINDOW =
            Setting.of(
                    "ratelimit.window",
                    DURATION,
                    "1m",
                    "The period tier limits are counted over (limit per window); tests scale it"
                            + " down.");
    public static final Setting RATELIMIT_TIERS =
            Setting.of(
                    "ratelimit.tiers",
                    STRING,
                    "free:60:10:2,pro:600:50:8",
                    "Client tiers as name:limit:burst:concurrency, comma-separated (limit per"
                            + " ratelimit.window; concurrency = in-flight quotes).");
    public static final Setting RATELIMIT_CLIENTS =
            Setting.of(
                    "ratelimit.clients",
                    STRING,
                    "",
                    "Extra API clients as clientId:tier:apiKey[:scope+scope...], comma-separated,"
                            + " for development and tests (a key followed by scopes has no ':');"
                            + " production keys live hashed in PostgreSQL api_clients.");
    public static final Setting RATELIMIT_ANONYMOUS_LIMIT =
            Setting.of(
                    "ratelimit.anonymous-limit",
                    INT,
                    "3000",
                    "Requests per ratelimit.window one IP may make without an API key.");
    public static final Setting RATELIMIT_ANONYMOUS_BURST =
            Setting.of(
                    "ratelimit.anonymous-burst",
                    INT,
                    "500",
                    "Burst of unauthenticated requests one IP may make at once.");
    public static final Setting RATELIMIT_LEASE =
            Setting.of(
                    "ratelimit.lease",
                    DURATION,
                    "30s",
                    "How long an in-flight slot lives if its instance dies before releasing it.");
    public static final Setting RATELIMIT_REDIS_TIMEOUT =
            Setting.of(
                    "ratelimit.redis-timeout",
                    DURATION,
                    "50ms",
                    "Connect and socket timeout of the limiter's own Redis client.");
    public static final Setting RATELIMIT_REDIS_CONNECTIONS =
            Setting.of(
                    "ratelimit.redis-connections",
                    INT,
                    "2",
                    "Connections the limiter's decisions are pipelined over; concurrent decisions"
                            + " share round trips on them.");
    public static final Setting RATELIMIT_FAILURE_POLICY =
            Setting.choice(
                    "ratelimit.failure-policy",
                    "open",
                    "When Redis fails: open (decide locally with limit / ratelimit.instances) or"
                            + " closed (answer 503).",
                    "open",
                    "closed");
    public static final Setting RATELIMIT_INSTANCES =
            Setting.of(
                    "ratelimit.instances",
                    INT,
                    "1",
                    "API instances sharing the limits; the fail-open local limit is limit divided"
                            + " by this.");
    public static final Setting RATELIMIT_BLOCK_CACHE =
            Setting.of(
                    "ratelimit.block-cache",
                    DURATION,
                    "1s",
                    "How long the API caches a client's block-list state.");
    public static final Setting QUOTES_COST =
            Setting.of(
                    "quotes.cost",
                    INT,
                    "200000",
                    "Monte-Carlo paths one quote simulates (CPU cost of POST /v1/quotes).");
    public static final Setting API_EVENTS_QUEUE =
            Setting.of(
                    "api.events-queue",
                    INT,
                    "10000",
                    "Access events buffered for Kafka api-requests; more are dropped and"
                            + " counted.");
    public static final Setting METERING_ABUSE_THRESHOLD =
            Setting.of(
                    "metering.abuse-threshold",
                    INT,
                    "30",
                    "429 answers to one client within a 1-minute window that put it on the"
                            + " block list.");
    public static final Setting METERING_BLOCK_TTL =
            Setting.of(
                    "metering.block-ttl",
                    DURATION,
                    "10m",
                    "How long a client stays on the block list.");
    public static final Setting METERING_MAX_FUTURE =
            Setting.of(
                    "metering.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time an API request event's time may be.");
    public static final Setting LOCAL_API_REQUESTS_PER_S =
            Setting.of(
                    "local.api-requests-per-s",
                    INT,
                    "20",
                    "Quote requests per second the local run's well-behaved clients send.");
    // --- sql at scale (issue 6: pincodes, app_logs, comments) --------------------------------
    public static final Setting PINCODES_BATCH_SIZE =
            Setting.of(
                    "pincodes.batch-size",
                    INT,
                    "1000",
                    "Most pincode updates the job writes in one UPDATE ... FROM statement.");
    public static final Setting PINCODES_BATCH_INTERVAL =
            Setting.of(
                    "pincodes.batch-interval",
                    DURATION,
                    "200ms",
                    "Longest a pincode update waits in a partly filled batch.");
    public static final Setting PINCODES_KEY_BUCKETS =
            Setting.of(
                    "pincodes.key-buckets",
                    INT,
                    "8",
                    "Email hash buckets the job batches by; one bucket's batches are written in"
                            + " order, so two writers never race on one email.");
    public static final Setting PINCODES_API_MAX_ITEMS =
            Setting.of(
                    "pincodes.api-max-items",
                    INT,
                    "1000",
                    "Most items POST /v1/users/pincodes accepts; more is 413.");
    public static final Setting PINCODES_MAX_FUTURE =
            Setting.of(
                    "pincodes.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a pincode update's occurredAt may be.");
    public static final Setting PINCODES_COPY_THRESHOLD =
            Setting.of(
                    "pincodes.copy-threshold",
                    INT,
                    "10000",
                    "Batches of at least this many distinct emails are written by COPY into a"
                            + " temporary table + one UPDATE ... FROM, smaller ones by one UPDATE"
                            + " ... FROM unnest; 0: always COPY.");
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
    public static final Setting COMMENTS_MAX_BODY =
            Setting.of("comments.max-body", INT, "4000", "Longest comment body in characters.");
    public static final Setting COMMENTS_MAX_DEPTH =
            Setting.of(
                    "comments.max-depth",
                    INT,
                    "32",
                    "Deepest reply level a comment may have (top level = 0).");
    public static final Setting COMMENTS_PAGE_DEPTH =
            Setting.of(
                    "comments.page-depth",
                    INT,
                    "3",
                    "Default and largest reply depth a thread page shows; deeper replies become"
                            + " a stub with a count.");
    public static final Setting COMMENTS_FANOUT =
            Setting.of(
                    "comments.fanout",
                    INT,
                    "5",
                    "Replies shown per comment on a thread page; the rest become a stub with a"
                            + " count.");
    public static final Setting COMMENTS_PAGE_ROWS =
            Setting.of(
                    "comments.page-rows",
                    INT,
                    "2000",
                    "Most rows one thread page reads; beyond it replies become stubs.");
    public static final Setting LOCAL_PINCODES_PER_S =
            Setting.of(
                    "local.pincodes-per-s",
                    INT,
                    "200",
                    "Pincode updates the local traffic generator sends per second.");
    public static final Setting LOCAL_COMMENTS_PER_S =
            Setting.of(
                    "local.comments-per-s",
                    INT,
                    "20",
                    "Comments the local traffic generator posts per second through the API.");
    public static final Setting LOCAL_LOGS_PER_S =
            Setting.of(
                    "local.logs-per-s",
                    INT,
                    "500",
                    "Log rows the local traffic generator sends per second (a few late ones"
                            + " included).");
    // --- notifications (issue 4) ------------------------------------------------------------
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
    public static final Setting SEARCH_MAX_FUTURE =
            Setting.of(
                    "search.max-future",
                    DURATION,
                    "1h",
                    "How far ahead of processing time a search's occurredAt may be; later ones would pin the watermark.");
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

    // --- reports (issue 7) ----------------------------------------------------------------
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
                    EVENTS_MIN_TIME,
                    ORDERS_GAP_TIMEOUT,
                    ORDERS_GAP_POLICY,
                    ORDERS_MAX_BUFFER,
                    ORDERS_MAX_SEQ_AHEAD,
                    ORDERS_DEDUP_WINDOW,
                    ORDERS_TERMINAL_GRACE,
                    ORDERS_IDLE_TIMEOUT,
                    ORDERS_TOMBSTONE_TTL,
                    ORDERS_STATUS_TTL,
                    ORDERS_MAX_FUTURE,
                    API_PORT,
                    LOCAL_DURATION,
                    LOCAL_ORDERS_PER_S,
                    LOCAL_REORDER_RATE,
                    LOCAL_DUPLICATE_RATE,
                    LOCAL_GAP_RATE,
                    LOCAL_MALFORMED_RATE,
                    LOCAL_HOSTILE_RATE,
                    LOCAL_PROGRESS_INTERVAL,
                    LOCAL_EMBEDDED,
                    RATELIMIT_WINDOW,
                    RATELIMIT_TIERS,
                    RATELIMIT_CLIENTS,
                    RATELIMIT_ANONYMOUS_LIMIT,
                    RATELIMIT_ANONYMOUS_BURST,
                    RATELIMIT_LEASE,
                    RATELIMIT_REDIS_TIMEOUT,
                    RATELIMIT_REDIS_CONNECTIONS,
                    RATELIMIT_FAILURE_POLICY,
                    RATELIMIT_INSTANCES,
                    RATELIMIT_BLOCK_CACHE,
                    QUOTES_COST,
                    API_EVENTS_QUEUE,
                    METERING_ABUSE_THRESHOLD,
                    METERING_BLOCK_TTL,
                    METERING_MAX_FUTURE,
                    LOCAL_API_REQUESTS_PER_S,
                    PINCODES_BATCH_SIZE,
                    PINCODES_BATCH_INTERVAL,
                    PINCODES_KEY_BUCKETS,
                    PINCODES_API_MAX_ITEMS,
                    PINCODES_MAX_FUTURE,
                    PINCODES_COPY_THRESHOLD,
                    LOGS_RETENTION,
                    LOGS_PRECREATE_DAYS,
                    LOGS_MAINTENANCE_INTERVAL,
                    LOGS_BATCH_SIZE,
                    LOGS_BATCH_INTERVAL,
                    LOGS_MAX_FUTURE,
                    COMMENTS_MAX_BODY,
                    COMMENTS_MAX_DEPTH,
                    COMMENTS_PAGE_DEPTH,
                    COMMENTS_FANOUT,
                    COMMENTS_PAGE_ROWS,
                    LOCAL_PINCODES_PER_S,
                    LOCAL_COMMENTS_PER_S,
                    LOCAL_LOGS_PER_S,
                    NOTIFY_PROVIDER_URL,
                    NOTIFY_LIMIT,
                    NOTIFY_WINDOW,
                    NOTIFY_QUIET_WINDOW,
                    NOTIFY_SECURITY_FIELDS,
                    NOTIFY_REQUEST_TIMEOUT,
                    NOTIFY_MAX_ATTEMPTS,
                    NOTIFY_BACKOFF_BASE,
                    NOTIFY_BACKOFF_MAX,
                    NOTIFY_MAX_RETRY_AFTER,
                    NOTIFY_MAX_IN_FLIGHT,
                    NOTIFY_SINK_PARALLELISM,
                    NOTIFY_MAX_FUTURE,
                    LOCAL_PROFILE_BURST,
                    LOCAL_PROFILE_BURST_INTERVAL,
                    LOCAL_PROVIDER_WINDOW,
                    SEARCH_MAX_OUT_OF_ORDERNESS,
                    SEARCH_IDLE_TIMEOUT,
                    SEARCH_ALLOWED_LATENESS,
                    SEARCH_PROVISIONAL_INTERVAL,
                    SEARCH_TOP_N,
                    SEARCH_RANKING_TTL,
                    SEARCH_PRODUCT_CACHE_TTL,
                    SEARCH_MAX_FUTURE,
                    LOCAL_SEARCHES_PER_S,
                    LOCAL_PRODUCTS,
                    LOCAL_SEARCH_ZIPF,
                    REPORTS_STORE_DIR,
                    REPORTS_EXPIRY,
                    REPORTS_MAX_ACTIVE,
                    REPORTS_MAX_DAYS,
                    REPORTS_GZIP,
                    REPORTS_SHARD_PAUSE,
                    REPORTS_SSE_POLL,
                    REPORTS_MAX_FUTURE,
                    REPORTS_MAX_STREAMS,
                    REPORTS_SWEEP_INTERVAL,
                    REPORTS_SWEEP_BATCH,
                    OUTBOX_BATCH,
                    OUTBOX_POLL,
                    OUTBOX_MAX_BACKOFF,
                    LOCAL_REPORTS_ROWS_PER_DAY,
                    LOCAL_REPORTS_DAYS,
                    CLUSTER_REST_PORT,
                    CLUSTER_TASKMANAGERS,
                    CLUSTER_SLOTS,
                    CLUSTER_DIR);

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
