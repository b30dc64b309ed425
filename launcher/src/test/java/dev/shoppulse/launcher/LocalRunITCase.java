package dev.shoppulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.testing.TestServices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The front door: {@code ./shoppulse local --duration ...} runs everything and summarises. */
class LocalRunITCase {

    @Test
    @Timeout(180)
    void shortLocalRunProcessesTrafficAndReportsASummary() throws Exception {
        String schema = TestServices.uniqueId("local");
        String prefix = TestServices.uniqueId("lr");
        try {
            Map<String, Object> summary =
                    LocalRun.run(
                            new String[] {
                                "--duration", "25s",
                                "--api.port", "0",
                                "--postgres.schema", schema,
                                "--redis.key-prefix", prefix,
                                "--local.embedded", "never",
                                "--checkpoint.interval", "1s",
                                "--local.orders-per-s", "100"
                            },
                            // Never halt the test JVM (LocalClusterStopITCase proves the bound).
                            false);
            assertThat(summary)
                    .containsKeys(
                            "orders.in", "orders.sequenced", "orders.duplicates", "orders.dlq");
            assertThat((Long) summary.get("orders.in")).isGreaterThan(500);
            assertThat((Long) summary.get("orders.sequenced")).isGreaterThan(100);
            assertThat((Long) summary.get("orders.dlq")).isPositive();
        } finally {
            TestServices.dropSchema(schema);
            TestServices.deleteRedisKeys(prefix);
        }
    }

    @Test
    @Timeout(120)
    void embeddedRedisAndPostgresAreRealServers() throws Exception {
        ShopPulseConfig base = ShopPulseConfig.defaults().with(Settings.LOCAL_EMBEDDED, "always");
        try (LocalServices services = LocalServices.start(base)) {
            ShopPulseConfig c = services.config();
            assertThat(c.getInt(Settings.REDIS_PORT)).isNotEqualTo(6379);
            assertThat(LocalServices.redisAnswers(c)).isTrue();
            assertThat(LocalServices.postgresAnswers(c)).isTrue();
            assertThat(c.get(Settings.POSTGRES_URL)).doesNotContain(":5432/");
            try (RedisClient r =
                    RedisClient.create(c.get(Settings.REDIS_HOST), c.getInt(Settings.REDIS_PORT))) {
                r.set("k", "v");
                assertThat(r.get("k")).isEqualTo("v");
            }
        }
    }
}
