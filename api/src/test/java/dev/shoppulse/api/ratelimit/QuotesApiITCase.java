package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.api.auth.ApiKeys;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import dev.shoppulse.sql.RateLimitSql;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The expensive endpoint and its checks as a client meets them, one API instance. */
class QuotesApiITCase {
    /** How long the API may serve a block-list answer from its cache: 100 ms, scaled. */
    private static final Duration BLOCK_CACHE = TestTime.scaled(Duration.ofMillis(100));

    /** Life of the metering job's block entry in this test: 3 s, scaled ({@link TestTime}). */
    private static final Duration BLOCK_TTL = TestTime.scaled(Duration.ofSeconds(3));

    @Test
    @Timeout(60)
    void authenticationValidationHeadersConcurrencyAndBlockList() throws Exception {
        ShopPulseConfig config =
                ApiFixture.config("t:1000:100:8,solo:1000:100:1", "1m")
                        .with(
                                RateLimitCapability.RATELIMIT_BLOCK_CACHE,
                                BLOCK_CACHE.toMillis() + "ms");
        String schema = config.get(Settings.POSTGRES_SCHEMA);
        try (Connection c = TestServices.postgres(schema);
                PreparedStatement ps = c.prepareStatement(RateLimitSql.UPSERT_CLIENT)) {
            ps.setString(1, "dbclient");
            ps.setString(2, "t");
            ps.setString(3, ApiKeys.hash("db-key-0123456789"));
            ps.setString(4, "quotes");
            ps.executeUpdate();
        }
        try (ApiServer api = ApiServer.start(config);
                RedisClient redis = TestServices.redis()) {
            int port = api.port();

            HttpResponse<String> ok = Http.quote(port, ApiFixture.KEY);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"clientId\":\"acme\"", "\"priceCents\"");
            assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"t\";q=1000;w=60");
            assertThat(ok.headers().firstValue("RateLimit").orElseThrow())
                    .matches("\"t\";r=99;t=\\d+");

            HttpResponse<String> fromDb = Http.quote(port, "db-key-0123456789");
            assertThat(fromDb.statusCode()).isEqualTo(200);
            assertThat(fromDb.body()).contains("\"clientId\":\"dbclient\"");

            HttpResponse<String> anonymous = Http.quote(port, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");
            assertThat(anonymous.headers().firstValue("RateLimit-Policy").orElseThrow())
                    .startsWith("\"anonymous\"");

            HttpResponse<String> wrongKey = Http.quote(port, "not-a-key-at-all");
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(wrongKey.body()).contains("not valid");

            HttpResponse<String> bad =
                    Http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/v1/quotes"))
                                    .header("X-Api-Key", ApiFixture.KEY)
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"sku\":\"x\",\"quantity\":0}"))
                                    .build());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("RateLimit")).isPresent();

            // Nothing is routed there: a plain problem, no limiter work and no key lookup.
            HttpResponse<String> missing = Http.get(port, "/v1/nothing-here");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/problem+json");

            // An in-flight slot held by another (crashed) instance: a client of tier "solo" (one
            // slot) is refused until the slot's lease is released or expires.
            RedisKeys keys = new RedisKeys(config.get(Settings.REDIS_KEY_PREFIX));
            ShopPulseConfig soloConfig =
                    config.with(
                            RateLimitCapability.RATELIMIT_CLIENTS,
                            "solo1:solo:solo-key-0123456789:quotes");
            try (ApiServer solo = ApiServer.start(soloConfig)) {
                redis.zadd(keys.inflight("c:solo1"), nowMicros(redis), "crashed-instance");
                HttpResponse<String> busy = Http.quote(solo.port(), "solo-key-0123456789");
                assertThat(busy.statusCode()).isEqualTo(429);
                assertThat(busy.body()).contains("in flight");
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
                redis.zrem(keys.inflight("c:solo1"), "crashed-instance");
                assertThat(Http.quote(solo.port(), "solo-key-0123456789").statusCode())
                        .isEqualTo(200);
                assertThat(redis.zcard(keys.inflight("c:solo1")))
                        .as("the slot is given back after the request")
                        .isZero();
            }

            // The metering job's block list: blocked clients get 403 until the entry expires. The
            // 403 must come while the entry lives (ordering, not a fixed wait): the answer that
            // shows it is the one checked, and it must come before the entry's end.
            long blockedAt = System.nanoTime();
            redis.psetex(keys.blocked("acme"), BLOCK_TTL.toMillis(), "sustained-429");
            HttpResponse<String> blocked =
                    org.awaitility.Awaitility.await()
                            .atMost(BLOCK_TTL)
                            .until(
                                    () -> Http.quote(port, ApiFixture.KEY),
                                    r -> r.statusCode() == 403);
            assertThat(blocked.body()).contains("client-blocked");
            assertThat(blocked.headers().firstValue("RateLimit")).isPresent();
            // Served again once the entry is gone and the cache forgot it, with as long again
            // for a loaded machine.
            org.awaitility.Awaitility.await()
                    .atMost(BLOCK_TTL.plus(BLOCK_CACHE).multipliedBy(2))
                    .until(() -> Http.quote(port, ApiFixture.KEY).statusCode() == 200);
            assertThat(System.nanoTime() - blockedAt)
                    .as("the block lasted its time to live")
                    .isGreaterThanOrEqualTo(BLOCK_TTL.minus(BLOCK_CACHE).toNanos());
            assertThat(ApiFixture.metric(port, "blocked")).isPositive();
        } finally {
            TestServices.cleanUp(config);
        }
    }

    /** Redis's clock in µs, as the limiter scores in-flight slots. */
    private static double nowMicros(RedisClient redis) {
        return ((Long) redis.eval("local t = redis.call('TIME') return t[1] * 1000000 + t[2]"))
                .doubleValue();
    }
}
