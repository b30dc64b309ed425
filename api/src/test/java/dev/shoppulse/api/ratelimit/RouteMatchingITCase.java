package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The limiter and every policy act on the route Javalin matched: path variants of {@code POST
 * /v1/quotes} either reach it under its policy or are refused as problems; unknown keys are paid
 * for by the caller's IP before they cost a lookup; what Jetty refuses before our handlers is
 * problem+json too, without a server banner.
 */
class RouteMatchingITCase {
    private static final Logger LOG = LoggerFactory.getLogger(RouteMatchingITCase.class);

    @Test
    @Timeout(180)
    void pathVariantsOfTheExpensiveRouteCannotEscapeItsInFlightLimit() throws Exception {
        ShopPulseConfig config = ApiFixture.config("t:100000:10000:1", "1m");
        try (ApiServer api = ApiServer.start(config);
                RedisClient redis = TestServices.redis()) {
            int port = api.port();
            assertThat(Http.quote(port, ApiFixture.KEY).statusCode()).isEqualTo(200);
            // acme's one in-flight slot is held (by a crashed instance, say).
            RedisKeys keys = new RedisKeys(config.get(Settings.REDIS_KEY_PREFIX));
            redis.zadd(keys.inflight("c:acme"), 1e18, "held");
            String body = Http.QUOTE_BODY;
            // Variants that reach the quote handler: the same in-flight limit applies.
            for (String path : List.of("/v1/quotes", "/v1/quotes/", "//v1/quotes", "/v1//quotes")) {
                Raw r = raw(port, "POST", path, ApiFixture.KEY, body);
                assertThat(r.status).as(path + ": " + r.text).isEqualTo(429);
                assertThat(r.text).as(path).contains("in flight");
            }
            // Other variants are refused as problems (or, if the server normalises them onto the
            // route, meet the same in-flight limit); none gets a quote.
            for (String path :
                    List.of(
                            "/V1/QUOTES",
                            "/v1/Quotes",
                            "/v1/quote%73",
                            "/v1%2Fquotes",
                            "/v1/quotes%2F",
                            "/v1/quotes/.")) {
                Raw r = raw(port, "POST", path, ApiFixture.KEY, body);
                assertThat(r.status).as(path + ": " + r.text).isIn(400, 404, 429);
                assertThat(r.contentType()).as(path).startsWith("application/problem+json");
            }
            redis.zrem(keys.inflight("c:acme"), "held");
            assertThat(raw(port, "POST", "/v1/quotes/", ApiFixture.KEY, body).status)
                    .isEqualTo(200);
        } finally {
            TestServices.cleanUp(config);
        }
    }

    @Test
    @Timeout(180)
    void randomKeysFromOneIpCostAtMostTheAnonymousBurstInLookups() throws Exception {
        int burst = 5;
        int n = 200;
        ShopPulseConfig config =
                ApiFixture.config("t:100000:10000:8", "1h")
                        .with(RateLimitCapability.RATELIMIT_ANONYMOUS_LIMIT, 1)
                        .with(RateLimitCapability.RATELIMIT_ANONYMOUS_BURST, burst);
        try (ApiServer api = ApiServer.start(config)) {
            int port = api.port();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                statuses.add(Http.quote(port, "random-" + UUID.randomUUID()).statusCode());
            }
            long lookups = api.rateLimiting().auth().keys().lookups();
            assertThat(lookups)
                    .as("%d random keys from one IP cost %d lookups", n, lookups)
                    .isLessThanOrEqualTo(burst);
            assertThat(statuses.subList(0, burst)).containsOnly(401);
            assertThat(statuses.subList(burst, n)).containsOnly(429);
            // A known client from the same IP is not affected: its key costs no lookup.
            assertThat(Http.quote(port, ApiFixture.KEY).statusCode()).isEqualTo(200);
            assertThat(api.rateLimiting().auth().keys().lookups()).isEqualTo(lookups);
            LOG.info("{} random keys from one IP: {} database lookups", n, lookups);
        } finally {
            TestServices.cleanUp(config);
        }
    }

    @Test
    @Timeout(180)
    void whatTheServerRefusesItselfIsProblemJsonWithoutBanner() throws Exception {
        ShopPulseConfig config = ApiFixture.config("t:100000:10000:8", "1m");
        try (ApiServer api = ApiServer.start(config)) {
            int port = api.port();
            for (String path : List.of("/v1/quotes%zz", "/v1/%", "/v1/orders/%C0%AF", "/%00")) {
                Raw r = raw(port, "GET", path, null, null);
                assertThat(r.status).as(path + ": " + r.text).isEqualTo(400);
                assertThat(r.contentType()).as(path).startsWith("application/problem+json");
                assertThat(r.text).doesNotContain("<html", "Exception");
                assertThat(r.header("Server")).as(path).isNull();
            }
            Raw big = raw(port, "POST", "/v1/quotes", ApiFixture.KEY, "x".repeat(2 * 1024 * 1024));
            assertThat(big.status).isEqualTo(413);
            assertThat(big.contentType()).startsWith("application/problem+json");
            Raw put = raw(port, "PUT", "/v1/quotes", ApiFixture.KEY, Http.QUOTE_BODY);
            assertThat(put.status).isEqualTo(405);
            assertThat(put.contentType()).startsWith("application/problem+json");
            Raw form = raw(port, "POST", "/v1/quotes", ApiFixture.KEY, "a=b", "text/plain");
            assertThat(form.status).isEqualTo(415);
            assertThat(form.contentType()).startsWith("application/problem+json");
            Raw ok = raw(port, "GET", "/health", null, null);
            assertThat(ok.header("Server")).isNull();
            assertThat(ok.text).doesNotContain("checks");
        } finally {
            TestServices.cleanUp(config);
        }
    }

    /** A response read off a raw socket, so malformed request lines reach the server as sent. */
    record Raw(int status, String head, String text) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                    return line.substring(c + 1).trim();
                }
            }
            return null;
        }

        String contentType() {
            String ct = header("Content-Type");
            return ct == null ? "" : ct;
        }
    }

    static Raw raw(int port, String method, String path, String key, String body) throws Exception {
        return raw(port, method, path, key, body, "application/json");
    }

    static Raw raw(int port, String method, String path, String key, String body, String type)
            throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder req =
                    new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                            .append("Connection: close\r\n");
            if (key != null) {
                req.append("X-Api-Key: ").append(key).append("\r\n");
            }
            if (body != null) {
                req.append("Content-Type: ").append(type).append("\r\n");
                req.append("Content-Length: ").append(b.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(b);
                out.flush();
            } catch (java.io.IOException e) {
                // The server may answer (413) and close before reading the whole body.
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (java.io.IOException e) {
                // connection reset after the answer
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int sp = text.indexOf(' ');
            int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
            int end = text.indexOf("\r\n\r\n");
            return new Raw(status, text.substring(0, end), text.substring(end + 4));
        }
    }
}
