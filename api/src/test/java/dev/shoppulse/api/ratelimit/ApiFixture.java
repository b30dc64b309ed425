package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import java.util.Map;

/** The isolated configuration the rate-limit ITCases start their API instances with. */
final class ApiFixture {
    static final String KEY = "key-acme-0123456789";

    /** An operator's key (scope ops) for the metrics endpoint. */
    static final String OPS_KEY = "key-ops-0123456789";

    private ApiFixture() {}

    /**
     * Fresh schema (migrated) and Redis prefix, its own api-requests topic, client {@code acme} on
     * tier {@code t}, cheap quotes.
     */
    static ShopPulseConfig config(String tiers, String window) {
        ShopPulseConfig config = TestServices.isolated();
        Migrations.apply(config);
        String topic = KafkaBroker.uniqueTopic("api-requests");
        KafkaBroker.shared().createTopics(2, topic);
        return config.with(Settings.topicSetting(RateLimitCapability.API_REQUESTS.name()), topic)
                .with(Settings.API_PORT, 0)
                .with(RateLimitCapability.RATELIMIT_TIERS, tiers)
                .with(RateLimitCapability.RATELIMIT_WINDOW, window)
                .with(
                        RateLimitCapability.RATELIMIT_CLIENTS,
                        "acme:t:" + KEY + ":quotes,operator:t:" + OPS_KEY + ":ops")
                .with(RateLimitCapability.QUOTES_COST, 1000)
                // These tests are about the shared limiter: a 2-core machine under 64 threads
                // must not push decisions into the fail-open fallback (RedisOutageITCase tests
                // that, with the production-like timeout).
                .with(RateLimitCapability.RATELIMIT_REDIS_TIMEOUT, "2s");
    }

    /** The counters of {@code GET /metrics/ratelimit}. */
    @SuppressWarnings("unchecked")
    static Map<String, Number> metrics(int port) {
        try {
            return Json.MAPPER.readValue(
                    Http.get(port, "/metrics/ratelimit", OPS_KEY).body(), Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static long metric(int port, String name) {
        Number n = metrics(port).get(name);
        return n == null ? 0 : n.longValue();
    }
}
