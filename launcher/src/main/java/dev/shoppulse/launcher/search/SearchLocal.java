package dev.shoppulse.launcher.search;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.jobs.search.TopSearchesJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import dev.shoppulse.launcher.Traffic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Top searched products in the local run: a generated catalogue in PostgreSQL, the top-searches
 * job, and a storefront sending Zipf-skewed searches (a few out of order, unresolved or malformed).
 */
public final class SearchLocal implements Capability {
    private static final String JOB = TopSearchesJob.NAME;

    /**
     * A one-minute local run should show a ranking, so the provisional refresh is at most this
     * often here; deployments keep search.provisional-interval.
     */
    static final Duration LOCAL_PROVISIONAL = Duration.ofSeconds(10);

    private final AtomicLong malformed = new AtomicLong();
    private Traffic traffic;
    private Redis redis;
    private TopSearchesRedis rankings;

    @Override
    public String name() {
        return "search";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        try (Connection c = Postgres.connect(config)) {
            ProductSeed.seed(c, config.getInt(SearchCapability.LOCAL_PRODUCTS));
        }
        Duration configured = config.getDuration(SearchCapability.SEARCH_PROVISIONAL_INTERVAL);
        ShopPulseConfig jobConfig =
                configured.isZero() || configured.compareTo(LOCAL_PROVISIONAL) <= 0
                        ? config
                        : config.with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "10s");
        cluster.submit(jobConfig, JOB, env -> TopSearchesJob.build(env, jobConfig));
        redis = Redis.open(RedisSettings.from(config));
        rankings =
                new TopSearchesRedis(
                        redis, config.getDuration(SearchCapability.SEARCH_RANKING_TTL));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        traffic = Traffic.toKafka(config, "search-traffic");
        String topic = config.topic(SearchCapability.SEARCHES);
        Zipf zipf =
                new Zipf(
                        config.getInt(SearchCapability.LOCAL_PRODUCTS),
                        config.getDouble(SearchCapability.LOCAL_SEARCH_ZIPF));
        double malformedRate = config.getDouble(Settings.LOCAL_MALFORMED_RATE);
        double reorderRate = config.getDouble(OrdersCapability.LOCAL_REORDER_RATE);
        int perTick = Math.max(1, config.getInt(SearchCapability.LOCAL_SEARCHES_PER_S) / 10);
        SplittableRandom random = new SplittableRandom();
        String run = Long.toString(System.currentTimeMillis(), 36);
        traffic.every(
                100,
                () -> {
                    Instant now = Instant.now();
                    for (int i = 0; i < perTick; i++) {
                        long n = traffic.sent();
                        String session = "s-" + random.nextInt(5000);
                        int rank = zipf.sample(random);
                        // A share of searches is delayed a few seconds (out of order, on time).
                        Instant at =
                                random.nextDouble() < reorderRate
                                        ? now.minusMillis(random.nextInt(10_000))
                                        : now;
                        boolean resolved = random.nextInt(30) != 0;
                        SearchEvent e =
                                new SearchEvent(
                                        "se-" + run + "-" + n,
                                        random.nextInt(3) == 0 ? "u-" + random.nextInt(2000) : null,
                                        session,
                                        "query for " + ProductSeed.name(rank),
                                        resolved ? ProductSeed.productId(rank) : null,
                                        at);
                        traffic.send(topic, e.key(), Json.write(e));
                        if (random.nextDouble() < malformedRate) {
                            malformed.incrementAndGet();
                            traffic.send(
                                    topic,
                                    session,
                                    "{\"eventId\":".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                });
    }

    /** The open hour's provisional ranking, else the latest final one. */
    private Optional<TopSearches> current() {
        if (rankings == null) {
            return Optional.empty();
        }
        try {
            return rankings.provisional()
                    .or(rankings::latest)
                    .map(TopSearchesRedis.Stored::ranking);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", traffic.sent());
        m.put("counted", LocalMetrics.sum(JOB, "parsed"));
        m.put("dlq", LocalMetrics.sum(JOB, "dlq") + LocalMetrics.sum(JOB, "search.tooLate"));
        m.put(
                "top3",
                current()
                        .map(
                                t ->
                                        t.entries().stream()
                                                .limit(3)
                                                .map(e -> e.productId() + ":" + e.count())
                                                .collect(Collectors.joining(",")))
                        .filter(s -> !s.isEmpty())
                        .orElse("-"));
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("searches.in", traffic.sent());
        m.put("searches.dlq", LocalMetrics.sum(JOB, "dlq"));
        m.put("searches.hostile_sent", traffic == null ? 0 : traffic.hostileSent());
        m.put("searches.too_late", LocalMetrics.sum(JOB, "search.tooLate"));
        m.put("top10.published", LocalMetrics.sum(JOB, "search.rankingsWritten"));
        return m;
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
