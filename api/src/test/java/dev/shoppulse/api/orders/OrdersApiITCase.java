package dev.shoppulse.api.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiClient;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/orders/{id}} and the error contract, over HTTP against real PostgreSQL. */
class OrdersApiITCase {
    private static final String KEY = "key-backoffice-0123456789";
    private ShopPulseConfig config;
    private ApiServer api;
    private ApiClient client;

    @BeforeEach
    void start() throws Exception {
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "backoffice:pro:" + KEY + ":orders:read+ops");
        Migrations.apply(config);
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement()) {
            st.execute(
                    "INSERT INTO order_status VALUES ('o-1', 'SHIPPED', 'OrderShipped', 3,"
                            + " '2026-11-27T10:00:00Z')");
        }
        api = ApiServer.start(config);
        client = new ApiClient(api.port(), KEY);
    }

    @AfterEach
    void stop() {
        api.close();
        TestServices.cleanUp(config);
    }

    @Test
    void knownOrderReturnsItsStatus() throws Exception {
        HttpResponse<String> r = client.get("/v1/orders/o-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("orderId").asText()).isEqualTo("o-1");
        assertThat(body.get("status").asText()).isEqualTo("SHIPPED");
        assertThat(body.get("lastEvent").asText()).isEqualTo("OrderShipped");
        assertThat(body.get("lastSeq").asLong()).isEqualTo(3);
        assertThat(body.get("updatedAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
    }

    @Test
    void unknownOrderIs404ProblemJson() throws Exception {
        assertProblem(client.get("/v1/orders/o-404"), 404, "not-found", "no order o-404");
    }

    @Test
    void malformedOrderIdIs400ProblemJson() throws Exception {
        assertProblem(client.get("/v1/orders/bad%20id!"), 400, "bad-request", "orderId must be");
        assertProblem(
                client.get("/v1/orders/" + "x".repeat(129)), 400, "bad-request", "orderId must be");
    }

    @Test
    void unknownRouteIs404ProblemJson() throws Exception {
        assertProblem(
                client.get("/v1/nothing-here"),
                404,
                "not-found",
                "No resource at /v1/nothing-here");
    }

    @Test
    void databaseDownIs503WithoutInternals() throws Exception {
        ShopPulseConfig down =
                config.with(Settings.POSTGRES_URL, "jdbc:postgresql://127.0.0.1:1/test")
                        .with(Settings.KAFKA_BOOTSTRAP, "127.0.0.1:1");
        try (ApiServer broken = ApiServer.start(down)) {
            ApiClient c = new ApiClient(broken.port(), KEY);
            assertProblem(c.get("/v1/orders/o-1"), 503, "unavailable", "order store unavailable");
            HttpResponse<String> live = new ApiClient(broken.port()).get("/health");
            assertThat(live.statusCode()).isEqualTo(503);
            assertThat(live.body()).isEqualTo("{\"status\":\"DOWN\"}");
            HttpResponse<String> health = c.get("/health/details");
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode h = Json.MAPPER.readTree(health.body());
            assertThat(h.get("status").asText()).isEqualTo("DOWN");
            assertThat(h.at("/checks/postgres/status").asText()).isEqualTo("DOWN");
            assertThat(h.at("/checks/kafka/status").asText()).isEqualTo("DOWN");
            assertThat(h.at("/checks/redis/status").asText()).isEqualTo("UP");
        }
    }

    static void assertProblem(HttpResponse<String> r, int status, String type, String detail)
            throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode p = Json.MAPPER.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).endsWith("/problems/" + type);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).contains(detail);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
