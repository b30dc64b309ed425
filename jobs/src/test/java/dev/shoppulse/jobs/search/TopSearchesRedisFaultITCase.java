package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.Restarts;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The top-searches job's Redis rankings while its Redis forgets: SCRIPT FLUSH, then a restart of
 * the redis-server, each followed by the next hour. Every hour that closes after a fault must equal
 * the ranking this test computes from the searches it sent (the oracle), and the provisional
 * ranking comes back on its next firing.
 */
class TopSearchesRedisFaultITCase {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(TopSearchesRedisFaultITCase.class);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Instant H0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final long HOUR = 3_600_000;
    private static final int PRODUCTS = 30;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final Random random = new Random(3);
    private final Map<Long, Map<String, Long>> expected = new HashMap<>();
    private PrivateRedis server;
    private ShopPulseConfig config;
    private String searches;
    private JobClient job;
    private int eventSeq;
    private MiniCluster cluster;

    @BeforeEach
    void setUp() {
        server = PrivateRedis.start();
        config =
                kafka.withFreshTopics(
                                TestServices.isolated(),
                                2,
                                SearchCapability.SEARCHES,
                                SearchCapability.SEARCHES_DLQ)
                        .with(Settings.REDIS_HOST, "127.0.0.1")
                        .with(Settings.REDIS_PORT, server.port())
                        .with(SearchCapability.SEARCH_IDLE_TIMEOUT, "2s")
                        .with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "1s")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        searches = config.topic(SearchCapability.SEARCHES);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        server.close();
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(240)
    void everyHourClosedAfterAScriptFlushOrARestartEqualsTheOracle(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        this.cluster = cluster;
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 5);
        TopSearchesJob.topology(
                env.fromSource(
                                JobSetup.rawSource(config, searches, TopSearchesJob.NAME),
                                WatermarkStrategy.noWatermarks(),
                                "searches-source")
                        .uid("searches-source"),
                config,
                TopSearchesJob.sinks(config));
        job = env.executeAsync("top-searches-redis-faults");

        try (KafkaProducer<byte[], byte[]> p = kafka.producer();
                Redis client = Redis.open(RedisSettings.from(config))) {
            TopSearchesRedis redis = new TopSearchesRedis(client, Duration.ofHours(1));
            // Hours 0 and 1, and the start of hour 2, which closes hour 1.
            sendHour(p, 0, 0, 60, 400);
            sendHour(p, 1, 0, 60, 400);
            sendHour(p, 2, 0, 5, 60);
            p.flush();
            awaitHours(redis, 0, 1);

            // Scripts forgotten, data kept: the next publish reloads them, no failure.
            server.scriptFlush();
            sendHour(p, 2, 5, 60, 400);
            sendHour(p, 3, 0, 5, 60);
            p.flush();
            awaitHours(redis, 0, 2);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("a forgotten script is reloaded, not a failure")
                    .isZero();

            // Everything forgotten: the next publish (at the latest the next provisional ranking,
            // every second) fails loudly and the job restarts from its last checkpoint; hour 3
            // then closes and must equal the oracle, and the provisional ranking comes back.
            server.restart();
            sendHour(p, 3, 5, 60, 400);
            sendSearch(p, 0, 4 * HOUR + 10 * 60_000, "p0");
            sendSearch(p, 1, 4 * HOUR + 10 * 60_000, "p0");
            p.flush();
            awaitHours(redis, 3, 3);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("the failed publish restarted the job instead of being dropped")
                    .isPositive();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> redis.provisional().isPresent());
            // Hours closed before the restart are lost with Redis's data or, where a replay
            // published them again, equal to the oracle.
            for (int h = 0; h < 3; h++) {
                Optional<TopSearchesRedis.Stored> stored = redis.hour(H0.plusMillis(h * HOUR));
                if (stored.isPresent()) {
                    assertThat(entries(stored)).as("hour %d", h).isEqualTo(oracle(h));
                }
            }
        }
    }

    private void awaitHours(TopSearchesRedis redis, int from, int to) {
        try {
            awaitHoursOrFail(redis, from, to);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // What an operator would look at first: is the job running, how often did it
            // restart, and what does Redis hold.
            try (redis.clients.jedis.RedisClient c = server.client()) {
                LOG.error(
                        "hours {}..{} not published: job {} restarts {} keys {} provisional {}",
                        from,
                        to,
                        job.getJobStatus().get(),
                        Restarts.of(cluster, job.getJobID()),
                        c.keys("*"),
                        redis.provisional().map(s -> s.ranking().windowStart()));
            } catch (Exception diag) {
                LOG.error("diagnostics failed: {}", diag.toString());
            }
            throw e;
        }
    }

    private void awaitHoursOrFail(TopSearchesRedis redis, int from, int to) {
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(
                        () -> {
                            assertThat(redis.latestHour()).contains(H0.plusMillis(to * HOUR));
                            for (int h = from; h <= to; h++) {
                                assertThat(entries(redis.hour(H0.plusMillis(h * HOUR))))
                                        .as("hour %d", h)
                                        .isEqualTo(oracle(h));
                            }
                        });
    }

    private static List<String> entries(Optional<TopSearchesRedis.Stored> stored) {
        return stored.map(
                        s ->
                                s.ranking().entries().stream()
                                        .map(e -> e.rank() + ":" + e.productId() + "=" + e.count())
                                        .toList())
                .orElse(List.of());
    }

    /** The top 10 of hour h computed from the searches sent, ties by productId. */
    private List<String> oracle(int h) {
        List<Map.Entry<String, Long>> all =
                new ArrayList<>(expected.getOrDefault((long) h, Map.of()).entrySet());
        all.sort(TopN.ORDER);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(10, all.size()); i++) {
            out.add((i + 1) + ":" + all.get(i).getKey() + "=" + all.get(i).getValue());
        }
        return out;
    }

    /** Searches spread over minutes [fromMin, toMin) of hour h, skewed, slightly out of order. */
    private void sendHour(
            KafkaProducer<byte[], byte[]> p, int h, int fromMin, int toMin, int count) {
        long from = h * HOUR + fromMin * 60_000L;
        long span = (toMin - fromMin) * 60_000L;
        for (int i = 0; i < count; i++) {
            long offset = from + span * i / count;
            long jitter = random.nextInt(20_000);
            long ts = Math.max(from, Math.min(from + span - 1, offset - jitter));
            int product = (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * PRODUCTS);
            sendSearch(p, i % 2, ts, "p" + product);
        }
    }

    private void sendSearch(KafkaProducer<byte[], byte[]> p, int partition, long at, String id) {
        SearchEvent e =
                new SearchEvent(
                        "e" + (eventSeq++),
                        null,
                        "s-" + partition,
                        "query " + id,
                        id,
                        H0.plusMillis(at));
        expected.computeIfAbsent(at / HOUR, k -> new HashMap<>()).merge(id, 1L, Long::sum);
        p.send(
                new ProducerRecord<>(
                        searches,
                        partition,
                        e.key().getBytes(StandardCharsets.UTF_8),
                        Json.write(e)));
    }
}
