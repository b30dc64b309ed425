package dev.shoppulse.common.ratelimit;

import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;
import static dev.shoppulse.common.config.Setting.Type.STRING;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Rate limiting the expensive endpoint: a distributed GCRA limiter shared by API instances, API
 * keys and tiers, per-client metering and abuse blocking.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class RateLimitCapability {
    private RateLimitCapability() {}

    // --- settings ---------------------------------------------------------------------------
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

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<ApiRequestEvent> API_REQUESTS =
            Topic.json(
                    "api-requests",
                    ApiRequestEvent.class,
                    "One access event per API request, key = clientId.");
    public static final Topic<DeadLetter> API_REQUESTS_DLQ =
            Topic.deadLetters(
                    "api-requests.dlq", "Rejected access events with reason and position.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("ratelimit", RateLimitCapability.class)
                    .summary(
                            "Rate limiting the expensive endpoint: a distributed GCRA limiter shared by API instances, API keys and tiers, per-client metering and abuse blocking.")
                    .job(
                            "request-metering",
                            "dev.shoppulse.jobs.metering.RequestMeteringJob",
                            API_REQUESTS,
                            API_REQUESTS_DLQ)
                    .routes("GET /metrics/ratelimit", "POST /v1/quotes")
                    .localTraffic("dev.shoppulse.launcher.ratelimit.RateLimitLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
