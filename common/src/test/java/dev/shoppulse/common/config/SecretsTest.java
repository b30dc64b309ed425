package dev.shoppulse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets resolve on the connecting machine under the name the configuration reads them by. */
class SecretsTest {

    @Test
    void aSecretIsReadUnderTheConfigurationsEnvironmentName() {
        Map<String, String> env = Map.of("SHOPPULSE_POSTGRES_PASSWORD", " s3cret ");
        assertThat(Secrets.fromEnvironment(Settings.POSTGRES_PASSWORD, env))
                .isEqualTo("s3cret")
                .isEqualTo(
                        ShopPulseConfig.load(new String[0], env).get(Settings.POSTGRES_PASSWORD));
        assertThat(Secrets.fromEnvironment(Settings.REDIS_PASSWORD, env)).isNull();
        assertThat(
                        Secrets.fromEnvironment(
                                Settings.REDIS_PASSWORD, Map.of("SHOPPULSE_REDIS_PASSWORD", "")))
                .isNull();
    }

    @Test
    void onlySecretsAreReadThisWay() {
        assertThatThrownBy(() -> Secrets.fromEnvironment(Settings.REDIS_HOST, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis.host");
    }
}
