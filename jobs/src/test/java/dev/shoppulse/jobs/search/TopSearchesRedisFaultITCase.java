package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.Restarts;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
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

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    private static final Instant H0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final long HOUR = 3_600_000;
    private static final int PRODUCTS = 30;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private SearchTraffic traffic;
    private PrivateRedis server;
    private ShopPulseConfig config;
    private String searches;
    private JobClient job;
    private MiniCluster cluster;

    @BeforeEach
    void setUp() {
        server = PrivateRedis.start();
        config =
                kafka.withFreshTopics(
                                server.pointedAt(TestServices.isolated()), 2, SearchCapability.JOB)
                        .with(SearchCapability.SEARCH_IDLE_TIMEOUT, "2s")
                        .with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "1s")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        searches = config.topic(SearchCapability.SEARCHES);
        traffic = new SearchTraffic(searches, H0, PRODUCTS, 3);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config, server);
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
            traffic.hour(p, 0, 0, 60, 400, false);
            traffic.hour(p, 1, 0, 60, 400, false);
            traffic.hour(p, 2, 0, 5, 60, false);
            p.flush();
            awaitHours(redis, 0, 1);

            // Scripts forgotten, data kept: the next publish reloads them, no failure.
            server.scriptFlush();
            traffic.hour(p, 2, 5, 60, 400, false);
            traffic.hour(p, 3, 0, 5, 60, false);
            p.flush();
            awaitHours(redis, 0, 2);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("a forgotten script is reloaded, not a failure")
                    .isZero();

            // Everything forgotten: the next publish (at the latest the next provisional ranking,
            // every second) fails loudly and the job restarts from its last checkpoint; hour 3
            // then closes and must equal the oracle, and the provisional ranking comes back.
            server.restart();
            traffic.hour(p, 3, 5, 60, 400, false);
            traffic.search(p, 0, 4 * HOUR + 10 * 60_000, "p0", true);
            traffic.search(p, 1, 4 * HOUR + 10 * 60_000, "p0", true);
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
                Optional<TopSearchesRedis.Stored> stored = redis.hour(traffic.hourStart(h));
                if (stored.isPresent()) {
                    assertThat(SearchTraffic.entries(stored))
                            .as("hour %d", h)
                            .isEqualTo(traffic.top10(h));
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
                            assertThat(redis.latestHour()).contains(traffic.hourStart(to));
                            for (int h = from; h <= to; h++) {
                                assertThat(SearchTraffic.entries(redis.hour(traffic.hourStart(h))))
                                        .as("hour %d", h)
                                        .isEqualTo(traffic.top10(h));
                            }
                        });
    }
}
