package dev.shoppulse.jobs.search;

import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Puts names on each {@link HourRanking} and publishes it to Redis through {@link
 * TopSearchesRedis}: one atomic script per ranking, content-addressed, so a replay after a restart
 * rewrites nothing.
 */
public final class TopSearchesRedisSink implements Sink<HourRanking> {
    private static final long serialVersionUID = 1L;

    private final RedisSettings redis;
    private final Duration ttl;
    private final ProductCatalog.Source catalog;

    public TopSearchesRedisSink(RedisSettings redis, Duration ttl, ProductCatalog.Source catalog) {
        this.redis = redis;
        this.ttl = ttl;
        this.catalog = catalog;
    }

    @Override
    public SinkWriter<HourRanking> createWriter(WriterInitContext context) {
        org.apache.flink.metrics.Counter failures =
                context.metricGroup().addGroup("search").counter("redisFailures");
        Redis client = Redis.open(redis, (operation, cause) -> failures.inc());
        return new Writer(
                client,
                new TopSearchesRedis(client, ttl),
                catalog == null ? null : new ProductCatalog(catalog),
                context.metricGroup().addGroup("search").counter("rankingsWritten"));
    }

    /** Attaches names (null when unknown or no catalogue) and the generation time. */
    public static TopSearches toTopSearches(
            HourRanking r, Map<String, ProductCatalog.Product> names, Instant now) {
        List<TopSearches.Entry> entries = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            ProductCatalog.Product p = names.get(r.productIds()[i]);
            entries.add(
                    new TopSearches.Entry(
                            i + 1,
                            r.productIds()[i],
                            p == null ? null : p.name(),
                            p == null ? null : p.category(),
                            r.counts()[i]));
        }
        return new TopSearches(
                Instant.ofEpochMilli(r.windowStart()),
                Instant.ofEpochMilli(r.windowEnd()),
                r.provisional(),
                now,
                entries);
    }

    private static final class Writer implements SinkWriter<HourRanking> {
        private final Redis client;
        private final TopSearchesRedis store;
        private final ProductCatalog catalog;
        private final org.apache.flink.metrics.Counter written;

        Writer(
                Redis client,
                TopSearchesRedis store,
                ProductCatalog catalog,
                org.apache.flink.metrics.Counter written) {
            this.client = client;
            this.store = store;
            this.catalog = catalog;
            this.written = written;
        }

        @Override
        public void write(HourRanking r, Context context) {
            Map<String, ProductCatalog.Product> names =
                    catalog == null ? Map.of() : catalog.lookup(Arrays.asList(r.productIds()));
            // Rankings are written as they come: there are a few per hour, and a reader must see
            // a final hour as soon as it closes.
            store.publish(toTopSearches(r, names, Instant.now()));
            written.inc();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {
            if (catalog != null) {
                catalog.close();
            }
            client.close();
        }
    }
}
