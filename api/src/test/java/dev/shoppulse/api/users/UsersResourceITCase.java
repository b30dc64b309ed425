package dev.shoppulse.api.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /v1/users/pincodes} against the real PostgreSQL. */
@Timeout(60)
class UsersResourceITCase {
    private final HttpClient http = HttpClient.newHttpClient();
    private ShopPulseConfig config;
    private ApiServer api;

    @BeforeEach
    void setUp() throws Exception {
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(PincodesCapability.PINCODES_API_MAX_ITEMS, 3)
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "crm:pro:key-crm-0123456789:users:write,"
                                        + "shop:pro:key-shop-0123456789:orders:read");
        Migrations.apply(config);
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            ps.setArray(1, c.createArrayOf("text", new String[] {"Asha@Example.in"}));
            ps.executeUpdate();
        }
        api = ApiServer.start(config);
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        TestServices.cleanUp(config);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + api.port() + "/v1/users/pincodes"))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", "key-crm-0123456789")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersPerItemAndAppliesTheValidOnesOnce() throws Exception {
        String body =
                "[{\"email\":\"asha@example.in\",\"pincode\":\"560001\","
                        + "\"occurredAt\":\"2026-11-27T10:00:00Z\"},"
                        + "{\"email\":\"ghost@example.in\",\"pincode\":\"110001\"},"
                        + "{\"email\":\"asha@example.in\",\"pincode\":\"01234\"}]";
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(r.body());
        assertThat(json.get("received").asInt()).isEqualTo(3);
        assertThat(json.get("updated").asInt()).isEqualTo(1);
        assertThat(json.get("unknown").asInt()).isEqualTo(1);
        assertThat(json.get("invalid").asInt()).isEqualTo(1);
        assertThat(json.get("items").get(0).get("result").asText()).isEqualTo("updated");
        assertThat(json.get("items").get(1).get("result").asText()).isEqualTo("unknown");
        assertThat(json.get("items").get(2).get("result").asText()).isEqualTo("invalid");
        assertThat(json.get("items").get(2).get("reason").asText()).contains("pincode");

        // The same request again changes nothing: the stored update is not older.
        JsonNode again = Json.MAPPER.readTree(post(body).body());
        assertThat(again.get("updated").asInt()).isZero();
        assertThat(again.get("stale").asInt()).isEqualTo(1);
    }

    @Test
    void tooManyItemsIs413AndMalformedIs400() throws Exception {
        String item = "{\"email\":\"a@b.in\",\"pincode\":\"560001\"}";
        HttpResponse<String> big = post("[" + String.join(",", item, item, item, item) + "]");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(big.body()).contains("at most 3");

        HttpResponse<String> huge = post("[\"" + "x".repeat(4 * 512) + "\"]");
        assertThat(huge.statusCode()).isEqualTo(413);

        for (String bad : new String[] {"{\"email\":1}", "[]", "[{\"email\":", "null"}) {
            HttpResponse<String> r = post(bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }
}
