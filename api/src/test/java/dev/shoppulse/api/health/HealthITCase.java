package dev.shoppulse.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiClient;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.TestServices;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /health} with every dependency up. */
class HealthITCase {
    @Test
    void allDependenciesUpIs200() throws Exception {
        ShopPulseConfig config = TestServices.isolated().with(Settings.API_PORT, 0);
        try (ApiServer api = ApiServer.start(config)) {
            HttpResponse<String> r = new ApiClient(api.port()).get("/health");
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
