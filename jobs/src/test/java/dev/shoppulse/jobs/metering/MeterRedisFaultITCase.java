package dev.shoppulse.jobs.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.Restarts;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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
 * The metering job's Redis counts while its Redis forgets: SCRIPT FLUSH, then a restart of the
 * redis-server, each followed by a new slice of traffic. Each phase's requests lie in one 10 s
 * slide of one minute, so every 1m and 1h window holding any of a client's requests holds all of
 * them and the counts in Redis must equal a plain count (the oracle).
 */
class MeterRedisFaultITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    private static final Instant BASE = Instant.parse("2026-11-27T10:00:00Z");

    private final KafkaBroker kafka = KafkaBroker.shared();
    private final Random random = new Random(5);
    private PrivateRedis server;
    private ShopPulseConfig config;
    private JobClient job;

    @BeforeEach
    void setUp() {
        server = PrivateRedis.start();
        config =
                kafka.withFreshTopics(
                                server.pointedAt(TestServices.isolated()),
                                2,
                                RateLimitCapability.JOB)
                        .with(RateLimitCapability.METERING_ABUSE_THRESHOLD, 1000)
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config, server);
    }

    @Test
    @Timeout(240)
    void everyCountWrittenAfterAScriptFlushOrARestartReachesRedis(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 5);
        RequestMeteringJob.topology(
                JobSetup.rawStream(
                        env, config, RateLimitCapability.API_REQUESTS, "it", "metering-source"),
                config,
                new RequestMeteringJob.Sinks(
                        new DiscardingSink<>(),
                        new MeterRedisSink(
                                RedisSettings.from(config), 1000, Duration.ofSeconds(5))));
        job = env.executeAsync("metering-redis-faults");

        try (KafkaProducer<byte[], byte[]> p = kafka.producer();
                Redis redis = Redis.open(RedisSettings.from(config))) {
            Map<String, long[]> first = sendPhase(p, 1);
            awaitCounts(redis, first);

            // Scripts forgotten, data kept: the pipelined EVALSHA must reload them, no failure.
            server.scriptFlush();
            Map<String, long[]> second = sendPhase(p, 2);
            awaitCounts(redis, second);
            // Phase 1's 1m counts may have expired by now (their TTL is one minute of wall time).
            awaitCounts(redis, first, List.of("1h"));
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("a forgotten script is reloaded, not a failure")
                    .isZero();

            // Everything forgotten: the next write fails loudly (the job restarts from its last
            // checkpoint), and every window that fires afterwards reaches Redis exactly.
            server.restart();
            Map<String, long[]> third = sendPhase(p, 3);
            awaitCounts(redis, third);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("the failed write restarted the job instead of being dropped")
                    .isPositive();
            RedisKeys keys = redis.keys();
            for (String client : first.keySet()) {
                Map<String, String> h = redis.hgetAll(keys.meter("1h", client));
                if (!h.isEmpty()) {
                    assertThat(h).containsEntry("requests", Long.toString(first.get(client)[0]));
                }
            }
        }
    }

    /**
     * Phase k's requests: three clients of its own, all inside [T, T+10 s) with T = BASE + k * 10
     * min, then one request per partition three minutes later so the watermark passes every 1m
     * window and the first 1h window holding them.
     */
    private Map<String, long[]> sendPhase(KafkaProducer<byte[], byte[]> p, int k) {
        Instant t = BASE.plus(Duration.ofMinutes(10L * k));
        Map<String, long[]> expected = new HashMap<>();
        for (String c : List.of("a", "b", "c")) {
            String client = "p" + k + "-" + c;
            int total = 10 + random.nextInt(40);
            int limited = random.nextInt(5);
            for (int i = 0; i < total; i++) {
                send(
                        p,
                        i % 2,
                        new ApiRequestEvent(
                                client + "-" + i,
                                client,
                                "free",
                                "POST",
                                "/v1/quotes",
                                i < limited ? 429 : 200,
                                i < limited ? "limited" : "allowed",
                                100,
                                t.plusMillis(random.nextInt(9_000))));
            }
            expected.put(client, new long[] {total, limited});
        }
        for (int partition = 0; partition < 2; partition++) {
            send(
                    p,
                    partition,
                    new ApiRequestEvent(
                            "tick-" + k + "-" + partition,
                            "ticker",
                            "free",
                            "GET",
                            "/health",
                            200,
                            "allowed",
                            1,
                            t.plus(Duration.ofMinutes(3))));
        }
        p.flush();
        return expected;
    }

    private void send(KafkaProducer<byte[], byte[]> p, int partition, ApiRequestEvent e) {
        p.send(
                new ProducerRecord<>(
                        config.topic(RateLimitCapability.API_REQUESTS),
                        partition,
                        e.clientId().getBytes(StandardCharsets.UTF_8),
                        RateLimitCapability.API_REQUESTS.codec().encode(e)));
    }

    private static void awaitCounts(Redis redis, Map<String, long[]> expected) {
        awaitCounts(redis, expected, List.of("1m", "1h"));
    }

    private static void awaitCounts(
            Redis redis, Map<String, long[]> expected, List<String> windows) {
        RedisKeys keys = redis.keys();
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                                for (String window : windows) {
                                    assertThat(redis.hgetAll(keys.meter(window, e.getKey())))
                                            .as("%s %s", e.getKey(), window)
                                            .containsEntry(
                                                    "requests", Long.toString(e.getValue()[0]))
                                            .containsEntry(
                                                    "limited", Long.toString(e.getValue()[1]));
                                }
                            }
                        });
    }
}
