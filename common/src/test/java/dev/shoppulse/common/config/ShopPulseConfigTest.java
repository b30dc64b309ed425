package dev.shoppulse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.orders.OrdersCapability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShopPulseConfigTest {

    @Test
    void defaultsAreSafeLocalValues() {
        ShopPulseConfig c = ShopPulseConfig.defaults();
        assertThat(c.get(Settings.REDIS_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.getDuration(OrdersCapability.ORDERS_GAP_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(c.getOrNull(Settings.POSTGRES_PASSWORD)).isNull();
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsFileWhichBeatsDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sp.properties");
        Files.writeString(file, "redis.port=7001\napi.port=7002\nflink.parallelism=3\n");
        ShopPulseConfig c =
                ShopPulseConfig.load(
                        new String[] {
                            "--config",
                            file.toString(),
                            "--api.port",
                            "7003",
                            "--redis.key-prefix=x"
                        },
                        Map.of("SHOPPULSE_REDIS_PORT", "7004", "SHOPPULSE_API_PORT", "7005"));
        assertThat(c.getInt(Settings.FLINK_PARALLELISM)).as("file").isEqualTo(3);
        assertThat(c.getInt(Settings.REDIS_PORT)).as("env over file").isEqualTo(7004);
        assertThat(c.getInt(Settings.API_PORT)).as("flag over env").isEqualTo(7003);
        assertThat(c.get(Settings.REDIS_KEY_PREFIX)).isEqualTo("x");
    }

    @Test
    void unknownKeysFailWithSuggestions() {
        assertThatThrownBy(() -> ShopPulseConfig.load(new String[] {"--redis.hots", "h"}, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'redis.hots'")
                .hasMessageContaining("redis.host");
    }

    @Test
    void malformedValuesFailAtLoadNamingTheKey() {
        assertThatThrownBy(
                        () ->
                                ShopPulseConfig.load(
                                        new String[] {
                                            "--orders.gap-timeout", "soon", "--api.port", "x"
                                        },
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("orders.gap-timeout='soon'")
                .hasMessageContaining("api.port='x'");
        assertThatThrownBy(
                        () ->
                                ShopPulseConfig.load(
                                        new String[] {"--orders.gap-policy", "maybe"}, Map.of()))
                .hasMessageContaining("not one of [skip, wait]");
    }

    @Test
    void secretsComeOnlyFromTheEnvironmentAndAreNeverDescribed() {
        assertThatThrownBy(
                        () ->
                                ShopPulseConfig.load(
                                        new String[] {"--postgres.password", "p"}, Map.of()))
                .hasMessageContaining("SHOPPULSE_POSTGRES_PASSWORD");
        ShopPulseConfig c =
                ShopPulseConfig.load(
                        new String[0], Map.of("SHOPPULSE_POSTGRES_PASSWORD", "s3cret"));
        assertThat(c.get(Settings.POSTGRES_PASSWORD)).isEqualTo("s3cret");
        assertThat(c.describe()).doesNotContain("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void flagWithoutValueIsAnError() {
        assertThatThrownBy(() -> ShopPulseConfig.load(new String[] {"--api.port"}, Map.of()))
                .hasMessageContaining("needs a value");
    }

    @Test
    void topicsCanBeRenamed() {
        ShopPulseConfig c =
                ShopPulseConfig.load(new String[] {"--topics.orders", "shop.orders.v2"}, Map.of());
        assertThat(c.topic(OrdersCapability.ORDERS)).isEqualTo("shop.orders.v2");
        assertThat(c.topic(OrdersCapability.ORDERS_DLQ)).isEqualTo("orders.dlq");
    }

    @Test
    void durationsParseAndFormatBothWays() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Durations.parse("1 fortnight"))
                .hasMessageContaining("not a duration");
    }
}
