package dev.shoppulse.jobs.search;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The top-searches job under the adversarial contract; canaries are searches of one canary product
 * in the current hour, which must be ranked with exactly their count (provisional rankings are
 * published every second).
 */
class TopSearchesAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    private final Instant now = Instant.now();

    TopSearchesAdversarialITCase() {
        super(METRICS, SearchCapability.DEFINITION);
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        // A search dated far ahead would close the canaries' hour before they arrive.
        return c.with(SearchCapability.SEARCH_MAX_FUTURE, "1m")
                .with(SearchCapability.SEARCH_IDLE_TIMEOUT, "2s")
                .with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "1s");
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        TopSearchesJob.topology(
                JobSetup.rawStream(
                        env, config, SearchCapability.SEARCHES, "adversarial", "searches-source"),
                config,
                TopSearchesJob.sinks(config));
    }

    private SearchEvent search(String id, String product) {
        return new SearchEvent(id, "user", "session", "shoes", product, now);
    }

    @Override
    protected byte[] template() {
        return SearchCapability.SEARCHES.codec().encode(search("hostile", "hostile-product"));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        return new ProducerRecord<>(
                topic,
                ("canary-" + i).getBytes(StandardCharsets.UTF_8),
                SearchCapability.SEARCHES.codec().encode(search("canary-" + i, "canary-product")));
    }

    @Override
    protected boolean canariesArrived(int canaries) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        try (Redis client = Redis.open(RedisSettings.from(config))) {
            TopSearchesRedis redis = new TopSearchesRedis(client, Duration.ofHours(1));
            return redis
                    .hour(hour)
                    .or(redis::provisional)
                    .map(s -> s.ranking())
                    .filter(r -> r.windowStart().equals(hour))
                    .map(TopSearches::entries)
                    .orElse(java.util.List.of())
                    .stream()
                    .anyMatch(e -> e.productId().equals("canary-product") && e.count() == canaries);
        }
    }
}
