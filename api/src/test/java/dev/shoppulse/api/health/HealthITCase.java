package dev.shoppulse.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiClient;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.TestServices;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /health} (anyone: status only) and {@code /health/details} (ops) when all is up. */
class HealthITCase {
    @Test
    void allDependenciesUpIs200() throws Exception {
        ShopPulseConfig config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "operator:pro:key-operator-0123:ops");
        try (ApiServer api = ApiServer.start(config)) {
            HttpResponse<String> live = new ApiClient(api.port()).get("/health");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(live.headers().firstValue("Server")).isEmpty();
            assertThat(new ApiClient(api.port()).get("/health/details").statusCode())
                    .isEqualTo(401);
            HttpResponse<String> r =
                    new ApiClient(api.port(), "key-operator-0123").get("/health/details");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode h = Json.MAPPER.readTree(r.body());
            assertThat(h.get("status").asText()).isEqualTo("UP");
            assertThat(h.at("/checks/kafka/detail").asText()).isEqualTo("1 broker(s)");
            assertThat(h.at("/checks/redis/status").asText()).isEqualTo("UP");
            assertThat(h.at("/checks/postgres/status").asText()).isEqualTo("UP");
        } finally {
            TestServices.cleanUp(config);
        }
    }
}
