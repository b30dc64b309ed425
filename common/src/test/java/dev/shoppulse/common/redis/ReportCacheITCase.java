package dev.shoppulse.common.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.testing.TestServices;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The report status cache on the shared Redis: newest version wins, eviction, expiry. */
class ReportCacheITCase {
    private String prefix;
    private Redis redis;
    private ReportCache cache;

    @BeforeEach
    void open() {
        prefix = TestServices.uniqueId("report-cache");
        ShopPulseConfig config =
                ShopPulseConfig.defaults()
                        .with(Settings.REDIS_HOST, TestServices.redisHost())
                        .with(Settings.REDIS_PORT, TestServices.redisPort())
                        .with(Settings.REDIS_KEY_PREFIX, prefix);
        redis = Redis.open(RedisSettings.from(config));
        cache = new ReportCache(redis);
    }

    @AfterEach
    void close() {
        redis.close();
        TestServices.deleteRedisKeys(prefix);
    }

    @Test
    void anOlderVersionNeverOverwritesANewerOne() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ReportRow running = row(2, ReportRow.RUNNING, now);
        assertThat(cache.put(running)).isTrue();
        assertThat(cache.put(row(1, ReportRow.QUEUED, now))).isFalse();
        assertThat(cache.get("r1")).isEqualTo(running);
        ReportRow done = row(3, ReportRow.SUCCEEDED, now);
        assertThat(cache.put(done)).isTrue();
        assertThat(cache.get("r1")).isEqualTo(done);
        assertThat(redis.pttl(redis.keys().report("r1"))).isPositive();
        cache.evict("r1");
        assertThat(cache.get("r1")).isNull();
    }

    private static ReportRow row(int version, String status, Instant now) {
        return new ReportRow(
                "r1",
                "u1",
                "sales",
                "{}",
                status,
                4,
                version,
                version,
                null,
                null,
                null,
                now,
                now,
                null,
                now.plusSeconds(3600));
    }
}
