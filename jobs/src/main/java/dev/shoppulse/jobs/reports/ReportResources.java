package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.sql.reports.ReportCache;
import dev.shoppulse.sql.reports.ReportFiles;
import dev.shoppulse.sql.reports.ReportRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * What every report operator opens in {@code open()} and closes in {@code close()}: a PostgreSQL
 * connection on ShopPulse's schema, the Redis status cache and the report store.
 */
final class ReportResources implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportResources.class);

    final Connection db;
    final ReportFiles files;
    private final RedisClient redis;
    private final ReportCache cache;

    ReportResources(ShopPulseConfig config) throws SQLException {
        this.db = Postgres.connect(config);
        this.redis = RedisSettings.from(config).connect();
        this.cache = new ReportCache(redis, RedisSettings.from(config).keys());
        this.files = new ReportFiles(Path.of(config.get(Settings.REPORTS_STORE_DIR)));
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
