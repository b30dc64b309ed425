package dev.shoppulse.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.common.serde.Json;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A problem caused by an exception answers with its own detail only, never the cause's. */
class ProblemCauseITCase {
    private static final String SECRET = "password=hunter2 host=db.internal";

    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void causeOfA503StaysOutOfTheBody() throws Exception {
        app =
                Api.create(
                                List.of(
                                        routes ->
                                                routes.get(
                                                        "/boom",
                                                        Access.open("test"),
                                                        ctx -> {
                                                            throw ApiException.unavailable(
                                                                    "store unavailable",
                                                                    new SQLException(SECRET));
                                                        })))
                        .start(0);

        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:" + app.port() + "/boom"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).contains(Problem.CONTENT_TYPE);
        JsonNode p = Json.MAPPER.readTree(r.body());
        assertThat(p.get("type").asText()).endsWith("/problems/unavailable");
        assertThat(p.get("detail").asText()).isEqualTo("store unavailable");
        assertThat(r.body())
                .doesNotContain("hunter2")
                .doesNotContain("db.internal")
                .doesNotContain("SQLException")
                .doesNotContain("\tat ");
    }
}
