package dev.shoppulse.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /v1/top-searches} and {@code /dashboard.html} over real HTTP against the real Redis
 * the job publishes to, including the 304/400/404/503 paths and a headless Chromium rendering of
 * the dashboard.
 */
@Timeout(120)
class TopSearchesApiITCase {
    private static final Instant H10 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Instant H11 = Instant.parse("2026-11-27T11:00:00Z");
    private static final Instant H12 = Instant.parse("2026-11-27T12:00:00Z");

    private final HttpClient http = HttpClient.newHttpClient();
    private ShopPulseConfig config;
    private ApiServer api;
    private Redis redis;
    private TopSearchesRedis store;

    @BeforeEach
    void start() {
        config = TestServices.isolated().with(Settings.API_PORT, 0);
        api = ApiServer.start(config);
        redis = Redis.open(RedisSettings.from(config));
        store = new TopSearchesRedis(redis, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        api.close();
        redis.close();
        TestServices.cleanUp(config);
    }

    private static TopSearches ranking(Instant start, boolean provisional, String... names) {
        List<TopSearches.Entry> entries =
                java.util.stream.IntStream.range(0, names.length)
                        .mapToObj(
                                i ->
                                        new TopSearches.Entry(
                                                i + 1, "p" + i, names[i], "Shoes", 100L - 10 * i))
                        .toList();
        return new TopSearches(start, start.plusSeconds(3600), provisional, Instant.now(), entries);
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + pathAndQuery));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception");
    }

    @Test
    void latestFinalHourWithEtagAndCacheControl() throws Exception {
        store.publish(ranking(H10, false, "Red Shoe", "Blue Book"));
        store.publish(ranking(H11, false, "Green Hat"));
        store.publish(ranking(H12, true, "Still Open"));

        HttpResponse<String> r = get("/v1/top-searches");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("windowStart").asText()).isEqualTo("2026-11-27T11:00:00Z");
        assertThat(body.get("windowEnd").asText()).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(body.get("provisional").asBoolean()).isFalse();
        assertThat(body.get("generatedAt").asText()).isNotBlank();
        JsonNode first = body.get("entries").get(0);
        assertThat(first.get("rank").asInt()).isEqualTo(1);
        assertThat(first.get("productId").asText()).isEqualTo("p0");
        assertThat(first.get("name").asText()).isEqualTo("Green Hat");
        assertThat(first.get("count").asLong()).isEqualTo(100);
        assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=60");
        String etag = r.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("/v1/top-searches", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void aGivenHourAndTheProvisionalHour() throws Exception {
        store.publish(ranking(H10, false, "Red Shoe", "Blue Book"));
        store.publish(ranking(H11, false, "Green Hat"));
        store.publish(ranking(H12, true, "Still Open"));

        HttpResponse<String> r = get("/v1/top-searches?hour=2026-11-27T11:00:00%2B01:00");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("entries")).hasSize(2);

        HttpResponse<String> p = get("/v1/top-searches?provisional=true");
        assertThat(p.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(p.body());
        assertThat(body.get("provisional").asBoolean()).isTrue();
        assertThat(body.get("entries").get(0).get("name").asText()).isEqualTo("Still Open");
        assertThat(p.headers().firstValue("Cache-Control")).contains("public, max-age=15");
    }

    @Test
    void anHourWithoutARankingIs404() throws Exception {
        assertProblem(get("/v1/top-searches"), 404);
        store.publish(ranking(H10, false, "Red Shoe"));
        assertProblem(get("/v1/top-searches?hour=2026-11-27T09:00:00Z"), 404);
        assertProblem(get("/v1/top-searches?provisional=true"), 404);
    }

    @Test
    void malformedParametersAre400() throws Exception {
        assertProblem(get("/v1/top-searches?hour=yesterday"), 400);
        assertProblem(get("/v1/top-searches?hour=2026-11-27T10:30:00Z"), 400);
        assertProblem(get("/v1/top-searches?hour=2026-11-27T10:00:00"), 400);
        assertProblem(get("/v1/top-searches?provisional=maybe"), 400);
        assertProblem(get("/v1/top-searches?provisional=true&hour=2026-11-27T10:00:00Z"), 400);
    }

    @Test
    void redisUnreachableIs503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ApiServer down = ApiServer.start(config.with(Settings.REDIS_PORT, closedPort))) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + down.port()
                                                            + "/v1/top-searches"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertProblem(r, 503);
        }
    }

    @Test
    void theStaticPagesArePublicAndCharged() throws Exception {
        for (String page : new String[] {"/", "/dashboard.html", "/reports.html"}) {
            HttpResponse<String> r = get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as(page)
                    .startsWith("text/html");
            assertThat(r.headers().firstValue("RateLimit")).as(page).isPresent();
        }
        assertProblem(get("/no-such-page.html"), 404);
    }

    @Test
    @Timeout(90)
    void dashboardDrawsTheRankingInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assumeThat(Files.isExecutable(chromium))
                .as("Debian's chromium is installed (.ci/run installs it)")
                .isTrue();
        store.publish(ranking(H10, false, "Red Shoe", "Blue Book", "Green Hat"));

        Path profile = Files.createTempDirectory("chromium-profile");
        Path out = Files.createTempFile("dashboard", ".html");
        try {
            Process p =
                    new ProcessBuilder(
                                    chromium.toString(),
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--no-first-run",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--user-data-dir=" + profile,
                                    // Lets the page's fetch and rendering finish before the dump.
                                    "--virtual-time-budget=10000",
                                    "--dump-dom",
                                    "http://127.0.0.1:" + api.port() + "/dashboard.html")
                            .redirectOutput(out.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(dom).contains("Red Shoe", "Blue Book", "Green Hat");
            assertThat(dom).contains("Hour 2026-11-27 10:00");
            // Three bars, the first full width and the others scaled to their counts.
            assertThat(dom.split("class=\"bar\"", -1)).hasSize(4);
            assertThat(dom).contains("width: 100%").contains("width: 90%");
        } finally {
            deleteQuietly(out);
            deleteTree(profile);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp file: the OS cleans up
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(TopSearchesApiITCase::deleteQuietly);
        }
    }
}
