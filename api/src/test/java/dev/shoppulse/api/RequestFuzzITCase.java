package dev.shoppulse.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.auth.Scopes;
import dev.shoppulse.api.http.Api;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generated hostile requests over every registered route (its body, path and query parameters, key
 * and content type): never a 5xx, every 4xx is problem+json, and a 4xx never has an effect (the
 * PostgreSQL tables the API writes and the Kafka topics it publishes to are unchanged). Redis holds
 * only limiter counters and read-through report cache entries for the API, which a refused request
 * may legitimately touch.
 */
class RequestFuzzITCase {
    private static final Logger LOG = LoggerFactory.getLogger(RequestFuzzITCase.class);
    static final int TRIES = 1500;

    private static Path store;
    private static ApiWorld world;
    private static Admin admin;

    /** One connection for the effect checks: opening one per request costs more than the call. */
    private static Connection db;

    private static List<Api.Route> routes;
    private static String reportId;
    private static long commentId;
    private static final AtomicInteger sent = new AtomicInteger();
    private static final Map<Integer, AtomicInteger> byStatus = new java.util.TreeMap<>();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() throws Exception {
        store = Files.createTempDirectory("fuzz-reports");
        world = new ApiWorld(store);
        admin = Admin.create(Map.of("bootstrap.servers", KafkaBroker.shared().bootstrap()));
        db = world.db();
        routes = world.api.routes();
        HttpResponse<String> r =
                send(
                        "POST",
                        "/v1/reports",
                        ApiWorld.OWNER,
                        "application/json",
                        "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\"2026-01-01\",\"to\":\"2026-01-01\"}}");
        reportId = Json.MAPPER.readTree(r.body()).get("id").asText();
        // Cancelled: its event stream ends after the final status instead of staying open.
        send("DELETE", "/v1/reports/" + reportId, ApiWorld.OWNER, null, null);
        HttpResponse<String> c =
                send(
                        "POST",
                        "/v1/posts/p1/comments",
                        ApiWorld.OWNER,
                        "application/json",
                        "{\"body\":\"x\"}");
        commentId = Json.MAPPER.readTree(c.body()).get("id").asLong();
        awaitKafkaMatchesDb();
    }

    @AfterContainer
    static void stop() {
        LOG.info("fuzz: {} generated requests; statuses {}", sent.get(), byStatus);
        if (admin != null) {
            admin.close();
        }
        try {
            if (db != null) {
                db.close();
            }
        } catch (java.sql.SQLException e) {
            LOG.debug("closing: {}", e.toString());
        }
        if (world != null) {
            world.close();
        }
    }

    /** One generated request. */
    record Req(String method, String path, String key, String contentType, String body) {}

    @Property(tries = TRIES, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void hostileRequestsGetProblemsAndChangeNothing(@ForAll("requests") Req req) throws Exception {
        Effects before = effects();
        HttpResponse<String> r;
        try {
            r = send(req.method(), req.path(), req.key(), req.contentType(), req.body());
        } catch (java.io.IOException closed) {
            // A server that refuses a request before reading all of it answers and closes the
            // connection: a body it will not read (401, 413, 415), or a request line longer than
            // its 8 KB header buffer (414). A client still sending the rest sees the reset, not
            // the answer (Java 17's client cannot wait for 100-continue on a refusal). Such a
            // request may end this way, and it must still have changed nothing.
            assertThat(effects()).as("a dropped request changes nothing: " + req).isEqualTo(before);
            boolean largeBody = req.body() != null && req.body().length() > 16 * 1024;
            boolean longLine = req.path().length() > 8 * 1024;
            if (largeBody || longLine) {
                LOG.warn("fuzz: connection closed without an answer for {}", req);
                return;
            }
            // A small request that fails like this met a kept-alive connection the server closed
            // after its previous answer (seen after such refusals): it changed nothing (checked
            // above), and a client sends it again on a new connection. A second failure is a
            // server dropping small requests and fails the property.
            LOG.warn("fuzz: connection closed under {}; sending it again", req);
            r = send(req.method(), req.path(), req.key(), req.contentType(), req.body());
        }
        if (sent.incrementAndGet() % 250 == 0) {
            LOG.info("fuzz: {} requests so far", sent.get());
        }
        synchronized (byStatus) {
            byStatus.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        }
        assertThat(r.statusCode()).as(req + " → " + r.body()).isLessThan(500);
        if (r.statusCode() >= 400) {
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .as("%s → %d %s %s", req, r.statusCode(), r.headers().map(), r.body())
                    .startsWith("application/problem+json");
            assertThat(effects()).as("a refused request changes nothing: " + req).isEqualTo(before);
        } else {
            awaitKafkaMatchesDb();
        }
    }

    @Provide
    Arbitrary<Req> requests() {
        Arbitrary<Api.Route> route = Arbitraries.of(routes);
        // Mostly keys that pass authentication, so the bodies and parameters get validated.
        Arbitrary<String> key =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)),
                        net.jqwik.api.Tuple.of(6, Arbitraries.just(ApiWorld.MODERATOR)),
                        net.jqwik.api.Tuple.of(
                                2,
                                Arbitraries.of(
                                        ApiWorld.OWNER,
                                        ApiWorld.OTHER,
                                        ApiWorld.NO_SCOPES,
                                        ApiWorld.lacking(Scopes.REPORTS),
                                        ApiWorld.lacking(Scopes.COMMENTS_WRITE))),
                        net.jqwik.api.Tuple.of(
                                1,
                                Arbitraries.strings()
                                        .withCharRange('!', '~')
                                        .ofMinLength(1)
                                        .ofMaxLength(300)));
        Arbitrary<String> contentType =
                Arbitraries.of(
                        "application/json",
                        "application/json; charset=utf-8",
                        "text/plain",
                        "application/x-www-form-urlencoded",
                        "application/problem+json",
                        "");
        Arbitrary<String> methodOverride =
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(9, Arbitraries.just("")),
                        net.jqwik.api.Tuple.of(
                                1, Arbitraries.of("PUT", "PATCH", "POST", "DELETE", "GET")));
        return Combinators.combine(
                        route, key, contentType, methodOverride, pathValue(), query(), body())
                .as(
                        (rt, k, ct, m, pv, q, b) -> {
                            String path =
                                    rt.path()
                                            .replace("{orderId}", pv.apply("o-1"))
                                            .replace("{postId}", pv.apply("p1"))
                                            .replace(
                                                    "{commentId}",
                                                    pv.apply(Long.toString(commentId)))
                                            .replace("{id}", pv.apply(reportId));
                            String method = m.isEmpty() ? rt.method() : m;
                            String body = method.equals("GET") ? null : b.apply(rt.path());
                            return new Req(method, path + q, k, ct.isEmpty() ? null : ct, body);
                        });
    }

    /** A function from the valid value of a path parameter to the one sent. */
    private Arbitrary<java.util.function.UnaryOperator<String>> pathValue() {
        return Arbitraries.oneOf(
                Arbitraries.just(v -> v),
                hostileString().map(h -> v -> enc(h)),
                Arbitraries.of(
                                "-1",
                                "0",
                                "9223372036854775808",
                                "1e3",
                                "%2F",
                                "..",
                                "%2e%2e",
                                "%00",
                                "%20")
                        .map(h -> v -> h));
    }

    private Arbitrary<String> query() {
        Arbitrary<String> one =
                Combinators.combine(
                                Arbitraries.of(
                                        "limit", "depth", "cursor", "hour", "provisional", "x"),
                                Arbitraries.oneOf(
                                        hostileString(),
                                        Arbitraries.of(
                                                "1",
                                                "100",
                                                "101",
                                                "-1",
                                                "true",
                                                "false",
                                                "2026-11-27T10:00:00Z",
                                                "+999999999-12-31T23:00:00Z",
                                                "-999999999-01-01T00:00:00Z",
                                                "1970-01-01T00:00:00Z")))
                        .as((k, v) -> k + "=" + enc(v));
        return one.list().ofMaxSize(3).map(l -> l.isEmpty() ? "" : "?" + String.join("&", l));
    }

    /** Strings a field should refuse or survive: controls, NUL, lone surrogates, huge ones. */
    static Arbitrary<String> hostileString() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings()
                        .withCharRange('\u0000', '\u001f')
                        .ofMinLength(1)
                        .ofMaxLength(5),
                Arbitraries.of(
                        "\u0000",
                        "a\u0000b",
                        "\ud800",
                        "x\udc00y",
                        "=cmd|' /C calc'!A0",
                        "'; DROP TABLE comments; --",
                        "../../etc/passwd",
                        "\u202e\u0645",
                        "",
                        " ",
                        "\r\n"),
                Arbitraries.integers().between(129, 70_000).map("x"::repeat));
    }

    /** A function from a route template to a body (valid, mutated or garbage). */
    private Arbitrary<java.util.function.Function<String, String>> body() {
        Arbitrary<String> hostileJson =
                Arbitraries.oneOf(
                        hostileString().map(RequestFuzzITCase::jsonString),
                        Arbitraries.of(
                                "null",
                                "true",
                                "0",
                                "-1",
                                "1.5",
                                "1e308",
                                "-9223372036854775809",
                                "9223372036854775807",
                                "[]",
                                "{}",
                                "\"+9999999-01-01\"",
                                "\"-4714-01-01\"",
                                "\"2026-02-30\"",
                                "\"0000-00-00\"",
                                "\"1999-12-31\"",
                                "\"2101-01-01\"",
                                "\"2026-01-01\"",
                                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"),
                        Arbitraries.longs().map(l -> Long.toString(l)));
        Arbitrary<String> field =
                Arbitraries.of(
                        "sku",
                        "quantity",
                        "basePriceCents",
                        "email",
                        "pincode",
                        "occurredAt",
                        "parentId",
                        "body",
                        "author",
                        "type",
                        "from",
                        "to",
                        "extra");
        Arbitrary<java.util.function.Function<String, String>> mutated =
                Combinators.combine(field, hostileJson)
                        .as(
                                (f, v) ->
                                        (java.util.function.Function<String, String>)
                                                t -> validBody(t, f, v));
        Arbitrary<java.util.function.Function<String, String>> garbage =
                Arbitraries.oneOf(
                                hostileString(),
                                Arbitraries.of(
                                        "", "{", "[1,", "{\"a\":1,\"a\":2}", "{} {}", "\u0000"),
                                Arbitraries.just("[" + "1,".repeat(400_000) + "1]"))
                        .map(g -> t -> g);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(t -> validBody(t, null, null))),
                net.jqwik.api.Tuple.of(6, mutated),
                net.jqwik.api.Tuple.of(2, garbage));
    }

    /** The route's valid body, with {@code field} (if any) set to the raw JSON {@code value}. */
    static String validBody(String template, String field, String value) {
        Map<String, String> f = new java.util.LinkedHashMap<>();
        switch (template) {
            case "/v1/quotes" -> {
                f.put("sku", "\"sku-1\"");
                f.put("quantity", "2");
                f.put("basePriceCents", "100");
            }
            case "/v1/users/pincodes" -> {
                f.put("email", "\"asha@example.in\"");
                f.put("pincode", "\"560001\"");
            }
            case "/v1/posts/{postId}/comments" -> f.put("body", "\"hello\"");
            case "/v1/reports" -> {
                f.put("type", "\"sales-by-day-product\"");
                f.put("from", "\"2026-01-01\"");
                f.put("to", "\"2026-01-01\"");
            }
            default -> {}
        }
        if (field != null
                && (f.containsKey(field) || field.equals("extra") || field.equals("author"))) {
            f.put(field, value);
        }
        String obj;
        if (template.equals("/v1/reports")) {
            obj =
                    "{\"type\":"
                            + f.get("type")
                            + ",\"parameters\":{\"from\":"
                            + f.get("from")
                            + ",\"to\":"
                            + f.get("to")
                            + "}"
                            + (f.containsKey("extra") ? ",\"extra\":" + f.get("extra") : "")
                            + "}";
        } else {
            List<String> parts = new ArrayList<>();
            f.forEach((k, v) -> parts.add("\"" + k + "\":" + v));
            obj = "{" + String.join(",", parts) + "}";
        }
        return template.equals("/v1/users/pincodes") ? "[" + obj + "]" : obj;
    }

    /** A JSON string literal with every non-ASCII or control character escaped. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static HttpResponse<String> send(
            String method, String path, String key, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + world.api.port() + path))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What the API can change: its tables and the topics it publishes to. */
    record Effects(String tables, long replies, long requests) {}

    static Effects effects() throws Exception {
        String tables;
        try (Statement st = db.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT (SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), ''))"
                                        + " FROM comments x) || (SELECT md5(coalesce(string_agg("
                                        + "y::text, ',' ORDER BY y::text), '')) FROM reports y) ||"
                                        + " (SELECT md5(coalesce(string_agg(z::text, ',' ORDER BY"
                                        + " z::text), '')) FROM users z)")) {
            rs.next();
            tables = rs.getString(1);
        }
        return new Effects(tables, end(world.replies), end(world.requests));
    }

    static long end(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get()
                .offset();
    }

    /** Waits until every reply and report row has its Kafka message (publishing is async). */
    static void awaitKafkaMatchesDb() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> {
                            try (Statement st = db.createStatement();
                                    ResultSet rs =
                                            st.executeQuery(
                                                    "SELECT (SELECT count(*) FROM comments WHERE"
                                                            + " parent_id IS NOT NULL), (SELECT"
                                                            + " count(*) FROM reports)")) {
                                rs.next();
                                return end(world.replies) == rs.getLong(1)
                                        && end(world.requests) == rs.getLong(2);
                            }
                        });
    }
}
