package dev.shoppulse.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.config.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configured API keys: parsing, hashing, lookup without a database. */
class ApiKeysTest {

    @Test
    void configuredKeysAreFoundByTheirHashOnly() {
        ApiKeys keys =
                new ApiKeys(
                        ApiKeys.parse("acme:pro:key-acme-123, beta:free:key-beta-456"),
                        null,
                        Duration.ofSeconds(1));
        assertThat(keys.find("key-acme-123")).contains(new Client("acme", "pro"));
        assertThat(keys.find("key-beta-456")).contains(new Client("beta", "free"));
        assertThat(keys.find("key-acme-12")).isEmpty();
        assertThat(ApiKeys.hash("x")).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void malformedClientListsFailWithTheFix() {
        assertThatThrownBy(() -> ApiKeys.parse("acme:pro"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clientId:tier:apiKey");
        assertThatThrownBy(() -> ApiKeys.parse("acme:pro:short"))
                .isInstanceOf(ConfigException.class);
        assertThat(ApiKeys.parse("")).isEmpty();
    }
}
