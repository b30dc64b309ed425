package dev.shoppulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.common.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization matrix, generated from the router: every route the server really registered is
 * called as each kind of caller, and the expected status of every cell is in {@link #EXPECTED}. A
 * route registered without a row (or a row without a route) fails the test, so a new endpoint
 * cannot ship without a reviewed rule.
 */
class AuthorizationMatrixITCase {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationMatrixITCase.class);

    /** The callers, in column order. */
    enum Caller {
        /** No key. */
        ANONYMOUS,
        /** A client holding every scope except the one the route needs (none on open routes). */
        LACKING,
        /** A client with the scope that does not own the resource. */
        OTHER,
        /** The client with the scope that owns the resource (report, comment). */
        OWNER,
        /** A client with every scope, comments:moderate included. */
        MODERATOR
    }

    /**
     * route → status for ANONYMOUS, LACKING, OTHER, OWNER, MODERATOR. The single source of truth;
     * README's API section states the same rules.
     */
    static final Map<String, int[]> EXPECTED = new LinkedHashMap<>();

    static {
        row("GET /health", 200, 200, 200, 200, 200);
        row("GET /health/details", 401, 403, 200, 200, 200);
        row("GET /metrics/ratelimit", 401, 403, 200, 200, 200);
        row("GET /v1/orders/{orderId}", 401, 403, 200, 200, 200);
        row("POST /v1/quotes", 401, 403, 200, 200, 200);
        row("POST /v1/users/pincodes", 401, 403, 200, 200, 200);
        row("POST /v1/posts/{postId}/comments", 401, 403, 201, 201, 201);
        row("GET /v1/posts/{postId}/comments", 200, 200, 200, 200, 200);
        row("DELETE /v1/posts/{postId}/comments/{commentId}", 401, 403, 403, 204, 204);
        // Open; no ranking is published in this test, so every caller gets the same 404.
        row("GET /v1/top-searches", 404, 404, 404, 404, 404);
        row("POST /v1/reports", 401, 403, 202, 202, 202);
        row("GET /v1/reports", 401, 403, 200, 200, 200);
        // Someone else's report is indistinguishable from a missing one, moderators included.
        row("GET /v1/reports/{id}", 401, 403, 404, 200, 404);
        row("DELETE /v1/reports/{id}", 401, 403, 404, 200, 404);
        row("GET /v1/reports/{id}/download", 401, 403, 404, 409, 404);
        row("GET /v1/reports/{id}/events", 401, 403, 404, 200, 404);
    }

    private static void row(String route, int... statuses) {
        EXPECTED.put(route, statuses);
    }

    @TempDir Path store;
    private ApiWorld world;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger day = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        world = new ApiWorld(store);
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    @Timeout(120)
    void everyRouteAnswersEveryCallerAsTheTableSays() throws Exception {
        List<Api.Route> routes = world.api.routes();
        Set<String> registered = new TreeSet<>();
        for (Api.Route r : routes) {
            assertThat(r.access())
                    .as(r.method() + " " + r.path() + " has an access rule")
                    .isNotNull();
            registered.add(r.method() + " " + r.path());
        }
        assertThat(registered)
                .as("every registered route has a row, and every row a route")
                .isEqualTo(new TreeSet<>(EXPECTED.keySet()));

        Map<String, int[]> actual = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (Api.Route r : routes) {
            String route = r.method() + " " + r.path();
            int[] got = new int[Caller.values().length];
            for (Caller caller : Caller.values()) {
                HttpResponse<String> res = call(r, caller);
                got[caller.ordinal()] = res.statusCode();
                if (res.statusCode() >= 400) {
                    assertThat(res.headers().firstValue("Content-Type").orElse(""))
                            .as(route + " as " + caller)
                            .startsWith("application/problem+json");
                    assertThat(res.body()).doesNotContain("Exception", "at dev.", "at io.");
                }
                assertThat(res.headers().firstValue("Server")).as("no server banner").isEmpty();
            }
            actual.put(route, got);
            if (!java.util.Arrays.equals(got, EXPECTED.get(route))) {
                mismatches.add(
                        route
                                + " expected "
                                + java.util.Arrays.toString(EXPECTED.get(route))
                                + " got "
                                + java.util.Arrays.toString(got));
            }
        }
        LOG.info(
                "authorization matrix (anonymous, lacking, other, owner, moderator):\n{}",
                table(actual));
        assertThat(mismatches).isEmpty();
    }

    private static String table(Map<String, int[]> m) {
        return m.entrySet().stream()
                .map(
                        e ->
                                "| "
                                        + e.getKey()
                                        + " | "
                                        + java.util.Arrays.stream(e.getValue())
                                                .mapToObj(Integer::toString)
                                                .collect(Collectors.joining(" | "))
                                        + " |")
                .collect(Collectors.joining("\n"));
    }

    private String key(Access access, Caller caller) {
        return switch (caller) {
            case ANONYMOUS -> null;
            case LACKING -> access.isOpen() ? ApiWorld.NO_SCOPES : ApiWorld.lacking(access.scope());
            case OTHER -> ApiWorld.OTHER;
            case OWNER -> ApiWorld.OWNER;
            case MODERATOR -> ApiWorld.MODERATOR;
        };
    }

    /** Calls the route as the caller, on a resource the owner created just for this call. */
    private HttpResponse<String> call(Api.Route r, Caller caller) throws Exception {
        String path = r.path();
        String body = null;
        if (path.contains("{orderId}")) {
            path = path.replace("{orderId}", "o-1");
        }
        if (path.contains("{postId}")) {
            path = path.replace("{postId}", "p1");
        }
        if (path.contains("{commentId}")) {
            path = path.replace("{commentId}", Long.toString(ownersComment()));
        }
        if (path.contains("{id}")) {
            // A cancelled report: its event stream sends the final status and ends.
            String id = ownersReport();
            if (path.endsWith("/events")) {
                send("DELETE", "/v1/reports/" + id, ApiWorld.OWNER, null);
            }
            path = path.replace("{id}", id);
        }
        if (r.method().equals("POST")) {
            body =
                    switch (r.path()) {
                        case "/v1/quotes" ->
                                "{\"sku\":\"sku-1\",\"quantity\":2,\"basePriceCents\":100}";
                        case "/v1/users/pincodes" ->
                                "[{\"email\":\"asha@example.in\",\"pincode\":\"560001\"}]";
                        case "/v1/posts/{postId}/comments" -> "{\"body\":\"hello\"}";
                        case "/v1/reports" -> reportBody();
                        default -> "{}";
                    };
        }
        return send(r.method(), path, key(r.access(), caller), body);
    }

    private long ownersComment() throws Exception {
        HttpResponse<String> r =
                send("POST", "/v1/posts/p1/comments", ApiWorld.OWNER, "{\"body\":\"mine\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asLong();
    }

    private String ownersReport() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/reports", ApiWorld.OWNER, reportBody());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    /** A report body over a range no earlier request used, so none is de-duplicated. */
    private String reportBody() {
        java.time.LocalDate from =
                java.time.LocalDate.of(2026, 1, 1).plusDays(day.getAndIncrement());
        return "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\""
                + from
                + "\",\"to\":\""
                + from
                + "\"}}";
    }

    private HttpResponse<String> send(String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + world.api.port() + path))
                        .timeout(Duration.ofSeconds(20))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Set<String> scopes() {
        return Scopes.ALL;
    }
}
