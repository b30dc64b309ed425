package dev.shoppulse.common.search;

import static dev.shoppulse.common.config.Setting.Type.DOUBLE;
import static dev.shoppulse.common.config.Setting.Type.DURATION;
import static dev.shoppulse.common.config.Setting.Type.INT;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;

/**
 * Top 10 most searched products: hourly event-time counts into Redis, served by the API.
 *
 * <p>Everything ShopPulse knows about this capability outside its code: its settings and topics
 * (declared below), its job, its API routes and its local traffic. {@link
 * dev.shoppulse.common.capability.Capabilities} lists it once; the configuration, the topic list,
 * the cluster catalogue, the local run and the API's route check read it from there.
 */
public final class SearchCapability {
    private SearchCapability() {}

    // --- settings ---------------------------------------------------------------------------
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

    // --- topics -----------------------------------------------------------------------------
    public static final Topic<SearchEvent> SEARCHES =
            Topic.json(
                    "searches",
                    SearchEvent.class,
                    "Product searches from the storefront, key = userId or sessionId.");
    public static final Topic<DeadLetter> SEARCHES_DLQ =
            Topic.deadLetters(
                    "searches.dlq",
                    "Rejected and too-late search records with reason and position.");

    public static final CapabilityDefinition DEFINITION =
            CapabilityDefinition.named("search", SearchCapability.class)
                    .summary(
                            "Top 10 most searched products: hourly event-time counts into Redis, served by the API.")
                    .job(
                            "top-searches",
                            "dev.shoppulse.jobs.search.TopSearchesJob",
                            SEARCHES,
                            SEARCHES_DLQ)
                    .routes("GET /v1/top-searches")
                    .localTraffic("dev.shoppulse.launcher.search.SearchLocal");

    /** The capability's Flink job: its name is also its consumer group and transactional id. */
    public static final JobDefinition JOB = DEFINITION.job();
}
