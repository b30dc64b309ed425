package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.reports.ReportsCapability;
import java.io.Serializable;

/**
 * Where the report operators find PostgreSQL, the Redis status cache and the report store; what
 * they carry into the job graph instead of the whole configuration, so no secret travels with them
 * ({@link ReportResources} reads the passwords from the TaskManager's environment).
 */
public record ReportServices(RedisSettings redis, PostgresSettings postgres, String storeDir)
        implements Serializable {

    public static ReportServices from(ShopPulseConfig config) {
        return new ReportServices(
                RedisSettings.from(config),
                PostgresSettings.from(config),
                config.get(ReportsCapability.REPORTS_STORE_DIR));
    }
}
