package dev.shoppulse.api.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ReportCache;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.reports.ReportStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports API against real PostgreSQL, Redis and Kafka; the job's side is played by {@link
 * ReportStore} calls (the job itself has its own ITCase).
 */
@Timeout(90)
class ReportsApiITCase {
    static final String ALICE = "key-alice-0123456789";
    static final String BOB = "key-bob-0123456789";
    static final String CAROL = "key-carol-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir Path store;
    private ShopPulseConfig config;
    private ApiServer api;
    private String requests;
    private Redis redis;
    private ReportCache cache;

    @BeforeEach
    void setUp() {
        requests = KafkaBroker.uniqueTopic("report-requests");
        KafkaBroker.shared().createTopics(1, requests);
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(
                                Settings.topicSetting(ReportsCapability.REPORT_REQUESTS.name()),
                                requests)
                        .with(RateLimitCapability.RATELIMIT_TIERS, "t:100000:10000:100")
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "alice:t:"
                                        + ALICE
                                        + ":reports,bob:t:"
                                        + BOB
                                        + ":reports,carol:t:"
                                        + CAROL)
                        .with(ReportsCapability.REPORTS_MAX_ACTIVE, 2)
                        .with(ReportsCapability.REPORTS_SSE_POLL, "50ms")
                        .with(ReportsCapability.REPORTS_MAX_STREAMS, 2)
                        .with(ReportsCapability.REPORTS_STORE_DIR, store.toString());
        Migrations.apply(config);
        api = ApiServer.start(config);
        redis = Redis.open(RedisSettings.from(config));
        cache = new ReportCache(redis);
    }

    @AfterEach
    void tearDown() {
        if (api != null) {
            api.close();
        }
        redis.close();
        TestServices.cleanUp(config);
    }

    private HttpResponse<String> call(String method, String path, String key, String body)
            throws Exception {
        return call(method, path, key, body, null);
    }

    private HttpResponse<String> call(
            String method, String path, String key, String body, String idempotencyKey)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String body(String from, String to) {
        return "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\""
                + from
                + "\",\"to\":\""
                + to
                + "\"}}";
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    private Connection db() throws Exception {
        return TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
    }

    @Test
    void acceptsWith202AndDeduplicatesByKeyAndInFlightRequest() throws Exception {
        HttpResponse<String> first =
                call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-05"), "k-1");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String id = json(first).get("id").asText();
        assertThat(first.headers().firstValue("Location")).hasValue("/v1/reports/" + id);
        assertThat(json(first).get("status").asText()).isEqualTo("QUEUED");
        assertThat(json(first).get("shards").asInt()).isEqualTo(5);

        // A reload re-sends with the same key: the same report, no second request on Kafka.
        HttpResponse<String> again =
                call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-05"), "k-1");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).get("id").asText()).isEqualTo(id);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        // The page forgot its key: an identical in-flight request still returns the same report.
        HttpResponse<String> noKey =
                call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-05"));
        assertThat(json(noKey).get("id").asText()).isEqualTo(id);
        // The same key for another request is an error, not a silent different answer.
        assertThat(
                        call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-06"), "k-1")
                                .statusCode())
                .isEqualTo(422);
        // Bob's identical request is his own report.
        String bobs =
                json(call("POST", "/v1/reports", BOB, body("2026-01-01", "2026-01-05")))
                        .get("id")
                        .asText();
        assertThat(bobs).isNotEqualTo(id);

        List<ReportRequest> queued = new ArrayList<>();
        KafkaBroker.shared()
                .readCommitted(requests, all -> all.size() >= 2, Duration.ofSeconds(20))
                .forEach(
                        r -> {
                            try {
                                queued.add(
                                        ReportsCapability.REPORT_REQUESTS
                                                .codec()
                                                .decode(r.value()));
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
        assertThat(queued).extracting(ReportRequest::reportId).containsExactlyInAnyOrder(id, bobs);
        assertThat(queued.get(0).days()).isEqualTo(5);

        // Once the first report finished, the identical request is new work again.
        try (Connection c = db()) {
            ReportStore.start(c, id);
            ReportStore.succeed(c, id, "f.csv", 1).ifPresent(cache::put);
        }
        String second =
                json(call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-05")))
                        .get("id")
                        .asText();
        assertThat(second).isNotEqualTo(id);
    }

    @Test
    void quotaBadInputAndAuthentication() throws Exception {
        assertThat(call("POST", "/v1/reports", null, body("2026-01-01", "2026-01-02")).statusCode())
                .isEqualTo(401);
        assertThat(call("POST", "/v1/reports", ALICE, "{\"type\":\"x\"}").statusCode())
                .isEqualTo(400);
        // A client without the reports scope.
        HttpResponse<String> noScope =
                call("POST", "/v1/reports", CAROL, body("2026-01-01", "2026-01-02"));
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(noScope.body()).contains("insufficient-scope");
        // Dates outside the documented window (2000-01-01 .. 2100-12-31), in any spelling.
        for (String[] range :
                new String[][] {
                    {"+9999999-01-01", "+9999999-01-02"},
                    {"1999-12-31", "2000-01-01"},
                    {"2100-12-31", "2101-01-01"},
                    {"-4714-01-01", "-4714-01-02"}
                }) {
            HttpResponse<String> r = call("POST", "/v1/reports", ALICE, body(range[0], range[1]));
            assertThat(r.statusCode()).as(range[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        }
        // Declared as something other than JSON.
        HttpRequest form =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/reports"))
                        .header("X-Api-Key", ALICE)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("a=b"))
                        .build();
        HttpResponse<String> unsupported = http.send(form, HttpResponse.BodyHandlers.ofString());
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(unsupported.headers().firstValue("Content-Type").orElse(""))
                .contains("problem+json");
        assertThat(
                        call("POST", "/v1/reports", ALICE, body("2026-01-05", "2026-01-01"))
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        call("POST", "/v1/reports", ALICE, body("2020-01-01", "2026-01-01"))
                                .statusCode())
                .isEqualTo(400);
        assertThat(
                        call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-01"))
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-02"))
                                .statusCode())
                .isEqualTo(202);
        HttpResponse<String> over =
                call("POST", "/v1/reports", ALICE, body("2026-01-01", "2026-01-03"));
        assertThat(over.statusCode()).as(over.body()).isEqualTo(429);
        assertThat(over.headers().firstValue("Retry-After")).isPresent();
        assertThat(over.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        // Another user is not affected by Alice's quota.
        assertThat(call("POST", "/v1/reports", BOB, body("2026-01-01", "2026-01-03")).statusCode())
                .isEqualTo(202);
    }

    @Test
    void onlyTheOwnerSeesCancelsOrDownloads() throws Exception {
        String id =
                json(call("POST", "/v1/reports", ALICE, body("2026-02-01", "2026-02-02")))
                        .get("id")
                        .asText();
        for (String path :
                List.of(
                        "/v1/reports/" + id,
                        "/v1/reports/" + id + "/download",
                        "/v1/reports/" + id + "/events")) {
            assertThat(call("GET", path, BOB, null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(call("DELETE", "/v1/reports/" + id, BOB, null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/v1/reports", BOB, null)).get("reports")).isEmpty();

        HttpResponse<String> mine = call("GET", "/v1/reports/" + id, ALICE, null);
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.headers().firstValue("Retry-After")).isPresent();
        assertThat(
                        json(call("GET", "/v1/reports", ALICE, null))
                                .get("reports")
                                .get(0)
                                .get("id")
                                .asText())
                .isEqualTo(id);
        assertThat(call("GET", "/v1/reports/" + id + "/download", ALICE, null).statusCode())
                .as("not ready yet")
                .isEqualTo(409);

        HttpResponse<String> cancelled = call("DELETE", "/v1/reports/" + id, ALICE, null);
        assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(call("DELETE", "/v1/reports/" + id, ALICE, null).statusCode()).isEqualTo(409);
        try (Connection c = db()) {
            assertThat(ReportStore.start(c, id)).as("the job finds it cancelled").isEmpty();
        }
        assertThat(json(call("GET", "/v1/reports/" + id, ALICE, null)).get("status").asText())
                .isEqualTo("CANCELLED");
    }

    @Test
    void downloadServesTheStoredFile() throws Exception {
        String id =
                json(call("POST", "/v1/reports", ALICE, body("2026-02-01", "2026-02-01")))
                        .get("id")
                        .asText();
        Path file = store.resolve(id).resolve("report-" + id + ".csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "day,product\n2026-02-01,p-01\n");
        try (Connection c = db()) {
            ReportStore.start(c, id);
            ReportStore.succeed(c, id, file.getFileName().toString(), 1).ifPresent(cache::put);
        }
        JsonNode status = json(call("GET", "/v1/reports/" + id, ALICE, null));
        assertThat(status.get("progress").asInt()).isEqualTo(100);
        String link = status.get("links").get("download").asText();
        HttpResponse<String> d = call("GET", link, ALICE, null);
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(d.body()).isEqualTo("day,product\n2026-02-01,p-01\n");
        assertThat(d.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
    }

    @Test
    void sseDeliversProgressAndResumesAfterReconnect() throws Exception {
        String id =
                json(call("POST", "/v1/reports", ALICE, body("2026-03-01", "2026-03-04")))
                        .get("id")
                        .asText();
        String path = "/v1/reports/" + id + "/events";
        String lastId;
        try (Connection c = db();
                SseStream s = SseStream.open(api.port(), path, ALICE, null)) {
            assertThat(s.status).isEqualTo(200);
            SseStream.Event queued = s.next(Duration.ofSeconds(10));
            assertThat(queued.name()).isEqualTo("status");
            assertThat(Json.MAPPER.readTree(queued.data()).get("status").asText())
                    .isEqualTo("QUEUED");
            ReportStore.start(c, id).ifPresent(cache::put);
            ReportStore.shardDone(c, id, LocalDate.parse("2026-03-01"), 3).ifPresent(cache::put);
            SseStream.Event e = s.next(Duration.ofSeconds(10));
            JsonNode last = Json.MAPPER.readTree(e.data());
            while (last.get("shardsDone").asInt() < 1) {
                e = s.next(Duration.ofSeconds(10));
                last = Json.MAPPER.readTree(e.data());
            }
            assertThat(last.get("progress").asInt()).isEqualTo(25);
            assertThat(Integer.parseInt(e.id())).isEqualTo(last.get("version").asInt());
            lastId = e.id();
        }
        // While the page was away, two more shards finished.
        try (Connection c = db()) {
            ReportStore.shardDone(c, id, LocalDate.parse("2026-03-02"), 3).ifPresent(cache::put);
            ReportStore.shardDone(c, id, LocalDate.parse("2026-03-03"), 3).ifPresent(cache::put);
        }
        try (Connection c = db();
                SseStream s = SseStream.open(api.port(), path, ALICE, lastId)) {
            SseStream.Event resumed = s.next(Duration.ofSeconds(10));
            assertThat(Integer.parseInt(resumed.id()))
                    .as("nothing already seen is replayed")
                    .isGreaterThan(Integer.parseInt(lastId));
            assertThat(Json.MAPPER.readTree(resumed.data()).get("shardsDone").asInt()).isEqualTo(3);
            ReportStore.shardDone(c, id, LocalDate.parse("2026-03-04"), 3).ifPresent(cache::put);
            ReportStore.succeed(c, id, "f.csv", 12).ifPresent(cache::put);
            JsonNode fin = null;
            for (SseStream.Event e = s.next(Duration.ofSeconds(10));
                    e != null && e != SseStream.END;
                    e = s.next(Duration.ofSeconds(10))) {
                fin = Json.MAPPER.readTree(e.data());
            }
            assertThat(fin).isNotNull();
            assertThat(fin.get("status").asText()).isEqualTo(ReportRow.SUCCEEDED);
            assertThat(fin.get("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void aClientHoldsAtMostMaxStreamsOpen() throws Exception {
        String id =
                json(call("POST", "/v1/reports", ALICE, body("2026-04-01", "2026-04-02")))
                        .get("id")
                        .asText();
        String path = "/v1/reports/" + id + "/events";
        SseStream first = SseStream.open(api.port(), path, ALICE, null);
        try (SseStream second = SseStream.open(api.port(), path, ALICE, null)) {
            assertThat(first.status).isEqualTo(200);
            assertThat(second.status).isEqualTo(200);
            HttpResponse<String> third = call("GET", path, ALICE, null);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).contains("too-many-streams");
            assertThat(third.headers().firstValue("Content-Type").orElse(""))
                    .contains("problem+json");
            // The cap is per client: Bob's own report streams are not affected.
            String bobs =
                    json(call("POST", "/v1/reports", BOB, body("2026-04-01", "2026-04-02")))
                            .get("id")
                            .asText();
            try (SseStream b =
                    SseStream.open(api.port(), "/v1/reports/" + bobs + "/events", BOB, null)) {
                assertThat(b.status).isEqualTo(200);
            }
            // Closing one gives its slot back (the server notices at its next write).
            first.close();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(
                            () -> {
                                SseStream again = SseStream.open(api.port(), path, ALICE, null);
                                again.close();
                                return again.status == 200;
                            });
        }
    }
}
