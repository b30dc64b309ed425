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

    @Test
    void scopesFollowTheKeyAndUnknownScopesFailWithTheList() {
        ApiKeys keys =
                new ApiKeys(
                        ApiKeys.parse(
                                "acme:pro:key-acme-123:quotes+comments:write,ops:pro:key-ops-456:ops"),
                        null,
                        Duration.ofSeconds(1));
        Client acme = keys.find("key-acme-123").orElseThrow();
        assertThat(acme.scopes()).containsExactlyInAnyOrder("quotes", "comments:write");
        assertThat(acme.has("ops")).isFalse();
        assertThat(keys.find("key-ops-456").orElseThrow().has("ops")).isTrue();
        assertThatThrownBy(() -> ApiKeys.parse("acme:pro:key-acme-123:quotes+admin"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown scope 'admin'")
                .hasMessageContaining("orders:read");
        assertThat(Scopes.known("quotes admin reports"))
                .containsExactlyInAnyOrder("quotes", "reports");
    }

    @Test
    void unknownKeysAreCachedNegativelyWithoutALookupFromTheCache() {
        ApiKeys keys = new ApiKeys(ApiKeys.parse(""), null, Duration.ofMinutes(1));
        assertThat(keys.cached("nobody-key-1")).isEmpty();
        assertThat(keys.find("nobody-key-1")).isEmpty();
        assertThat(keys.cached("nobody-key-1")).contains(java.util.Optional.empty());
    }
}
