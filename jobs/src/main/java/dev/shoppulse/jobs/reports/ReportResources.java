package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.sql.reports.ReportCache;
import dev.shoppulse.sql.reports.ReportFiles;
import dev.shoppulse.sql.reports.ReportRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every report operator opens in {@code open()} and closes in {@code close()}: a PostgreSQL
 * connection on ShopPulse's schema, the Redis status cache and the report store.
 */
final class ReportResources implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportResources.class);

    final Connection db;
    final ReportFiles files;
    private final Redis redis;
    private final ReportCache cache;

    /** Counts failed cache writes in the operator's {@code redisFailures}. */
    ReportResources(ShopPulseConfig config, MetricGroup metrics) throws SQLException {
        this.db = Postgres.connect(config);
        Counter failures = metrics.counter("redisFailures");
        this.redis = Redis.open(RedisSettings.from(config), (operation, cause) -> failures.inc());
        this.cache = new ReportCache(redis);
        this.files = new ReportFiles(Path.of(config.get(ReportsCapability.REPORTS_STORE_DIR)));
    }

    /**
     * Publishes a transition to the cache; PostgreSQL already has it, so a miss only costs a read.
     */
    void publish(Optional<ReportRow> row) {
        row.ifPresent(
                r -> {
                    try {
                        cache.put(r);
                    } catch (RuntimeException e) {
                        LOG.warn("report {} status not cached: {}", r.id(), e.toString());
                    }
                });
    }

    @Override
    public void close() throws Exception {
        redis.close();
        db.close();
    }
}
