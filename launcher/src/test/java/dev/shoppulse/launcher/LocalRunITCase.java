package dev.shoppulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The front door: {@code ./shoppulse local --duration ...} runs everything and summarises. */
class LocalRunITCase {

    /**
     * What each capability's SUMMARY figures must show after a short run, by capability name. Every
     * capability {@link LocalRun#capabilities()} registers needs an entry, and every figure of the
     * SUMMARY must be read by one, so a new capability or figure cannot go unchecked.
     */
    private static final Map<String, Consumer<Figures>> CHECKS = checks();

    private static Map<String, Consumer<Figures>> checks() {
        Map<String, Consumer<Figures>> m = new LinkedHashMap<>();
        m.put(
                "orders",
                f -> {
                    f.positive("orders.in");
                    f.positive("orders.sequenced");
                    f.atMost("orders.sequenced", "orders.in");
                    f.atLeastZero("orders.duplicates");
                    f.atLeastZero("orders.gaps");
                    f.zero("orders.hostile_sent");
                    // The broken records and only they are dead-lettered (the run waits for the
                    // job to read all it was sent before it sums up).
                    f.positive("orders.malformed_sent");
                    f.equal("orders.dlq", "orders.malformed_sent");
                });
        m.put(
                "ratelimit",
                f -> {
                    f.positive("api.requests");
                    f.positive("api.ok");
                    f.atLeastZero("api.limited");
                    f.atLeastZero("api.forbidden");
                    f.atLeastZero("api.blocked_clients");
                    // Requests cut off by the stop may end without an answer; nothing else.
                    f.atLeastZero("api.other");
                    f.sumAtMost(
                            "api.requests", "api.ok", "api.limited", "api.forbidden", "api.other");
                    f.zero("metering.hostile_sent");
                });
        m.put(
                "pincodes",
                f -> {
                    f.positive("pincodes.in");
                    f.positive("pincodes.updated");
                    f.positive("pincodes.batches");
                    f.atLeastZero("pincodes.stale");
                    f.atLeastZero("pincodes.unknown");
                    f.zero("pincodes.hostile_sent");
                    f.positive("pincodes.invalid_sent");
                    f.equal("pincodes.dlq", "pincodes.invalid_sent");
                });
        m.put(
                "comments",
                f -> {
                    f.positive("comments.created");
                    f.atMost("comments.replies", "comments.created");
                    f.positive("comments.pages_read");
                    f.atLeastZero("comments.deleted");
                    f.positive("comments.stored");
                    // A loaded machine times out the odd call; more is a fault.
                    f.shareAtMost("comments.errors", "comments.created", 0.05);
                });
        m.put(
                "logs",
                f -> {
                    f.positive("logs.in");
                    f.positive("logs.inserted");
                    f.zero("logs.hostile_sent");
                    // The late rows (past retention) and only they are dead-lettered.
                    f.positive("logs.late_sent");
                    f.equal("logs.dlq", "logs.late_sent");
                    // Maintenance every 5 s (below): it runs, and drops the back-filled days
                    // past the retention.
                    f.positive("logs.maintenance_runs");
                    f.positive("logs.partitions_created");
                    f.positive("logs.partitions_dropped");
                });
        m.put(
                "notifications",
                f -> {
                    f.positive("notifications.updates_in");
                    f.positive("notifications.sent");
                    f.atMost("notifications.sent", "notifications.provider_calls");
                    f.zero("notifications.limit_violations");
                    f.atLeastZero("notifications.coalesced");
                    f.atLeastZero("notifications.dlq");
                    f.zero("notifications.hostile_sent");
                });
        m.put(
                "search",
                f -> {
                    f.positive("searches.in");
                    // The storefront sends a few malformed and out-of-order searches and the
                    // SUMMARY has no sent count for them: no pair to compare.
                    f.atLeastZero("searches.dlq");
                    f.atLeastZero("searches.too_late");
                    f.zero("searches.hostile_sent");
                    f.positive("top10.published");
                });
        m.put(
                "reports",
                f -> {
                    // The demo report starts last and needs longer than a short run on a loaded
                    // machine (the run cannot be held open until it succeeds): it must be
                    // requested and never fail; a timed-out step is counted, not failed.
                    f.positive("reports.requested");
                    f.atLeastZero("reports.succeeded");
                    f.zero("reports.failed");
                    f.atMost("reports.errors", "reports.requested");
                    f.zero("reports.hostile_sent");
                });
        return m;
    }

    @Test
    void everyRegisteredCapabilityHasSummaryChecks() {
        List<String> registered = LocalRun.capabilities().stream().map(Capability::name).toList();
        assertThat(CHECKS.keySet()).containsExactlyInAnyOrderElementsOf(registered);
    }

    /**
     * The run cannot be ended on a condition (only by its duration or Ctrl-C), so the duration
     * leaves every pipeline time to flow after a slow start, and the slowest figures are sped up:
     * the provisional top-10 and the profile bursts come every 2 s instead of 10 s, the log
     * maintenance every 5 s instead of 1 h, the provider's window (and with it the quiet window) is
     * 3 s instead of 6 s. The duration is a scaled 30 s: on a loaded machine the capabilities
     * started last (notifications, search, reports) get their jobs running well into the run.
     */
    @Test
    @Timeout(420)
    void shortLocalRunFlowsThroughEveryCapabilityAndReportsASummary() throws Exception {
        String schema = TestServices.uniqueId("local");
        String prefix = TestServices.uniqueId("lr");
        try {
            Map<String, Object> summary =
                    LocalRun.run(
                            new String[] {
                                "--duration", TestTime.setting(Duration.ofSeconds(30)),
                                "--local.provider-window", "3s",
                                "--api.port", "0",
                                "--postgres.schema", schema,
                                "--redis.key-prefix", prefix,
                                "--local.embedded", "never",
                                "--checkpoint.interval", "1s",
                                "--local.orders-per-s", "100",
                                "--search.provisional-interval", "2s",
                                "--local.profile-burst-interval", "2s",
                                "--logs.maintenance-interval", "5s"
                            },
                            // Never halt the test JVM (LocalClusterStopITCase proves the bound).
                            false);
            Figures figures = new Figures(summary);
            SoftAssertions soft = new SoftAssertions();
            figures.soft = soft;
            for (Capability c : LocalRun.capabilities()) {
                figures.capability = c.name();
                CHECKS.get(c.name()).accept(figures);
            }
            Set<String> unread = new TreeSet<>(summary.keySet());
            unread.removeAll(figures.read);
            unread.remove("elapsed_s");
            soft.assertThat(unread).as("SUMMARY figures no check reads").isEmpty();
            soft.assertAll();
        } finally {
            TestServices.dropSchema(schema);
            TestServices.deleteRedisKeys(prefix);
        }
    }

    /** The SUMMARY figures, read by the checks; remembers which were read. */
    private static final class Figures {
        private final Map<String, Object> summary;
        private final Set<String> read = new TreeSet<>();
        private SoftAssertions soft;
        private String capability;

        Figures(Map<String, Object> summary) {
            this.summary = summary;
        }

        private long get(String key) {
            read.add(key);
            Object v = summary.get(key);
            soft.assertThat(v)
                    .as("%s: %s in the SUMMARY", capability, key)
                    .isInstanceOf(Number.class);
            return v instanceof Number n ? n.longValue() : Long.MIN_VALUE;
        }

        void positive(String key) {
            soft.assertThat(get(key)).as("%s: %s", capability, key).isPositive();
        }

        void zero(String key) {
            soft.assertThat(get(key)).as("%s: %s", capability, key).isZero();
        }

        void atLeastZero(String key) {
            soft.assertThat(get(key)).as("%s: %s", capability, key).isNotNegative();
        }

        void equal(String key, String other) {
            soft.assertThat(get(key))
                    .as("%s: %s == %s", capability, key, other)
                    .isEqualTo(get(other));
        }

        void atMost(String key, String bound) {
            soft.assertThat(get(key))
                    .as("%s: %s <= %s", capability, key, bound)
                    .isLessThanOrEqualTo(get(bound));
        }

        void shareAtMost(String key, String of, double share) {
            soft.assertThat((double) get(key))
                    .as("%s: %s <= %s of %s", capability, key, share, of)
                    .isLessThanOrEqualTo(share * get(of));
        }

        void sumAtMost(String bound, String... keys) {
            long sum = 0;
            for (String k : keys) {
                sum += get(k);
            }
            soft.assertThat(sum)
                    .as("%s: %s <= %s", capability, String.join(" + ", keys), bound)
                    .isLessThanOrEqualTo(get(bound));
        }
    }

    @Test
    @Timeout(120)
    void embeddedRedisAndPostgresAreRealServers() throws Exception {
        ShopPulseConfig base = ShopPulseConfig.defaults().with(Settings.LOCAL_EMBEDDED, "always");
        try (LocalServices services = LocalServices.start(base)) {
            ShopPulseConfig c = services.config();
            assertThat(c.getInt(Settings.REDIS_PORT)).isNotEqualTo(6379);
            assertThat(LocalServices.redisAnswers(c)).isTrue();
            assertThat(LocalServices.postgresAnswers(c)).isTrue();
            assertThat(c.get(Settings.POSTGRES_URL)).doesNotContain(":5432/");
            try (RedisClient r =
                    RedisClient.create(c.get(Settings.REDIS_HOST), c.getInt(Settings.REDIS_PORT))) {
                r.set("k", "v");
                assertThat(r.get("k")).isEqualTo("v");
            }
        }
    }
}
