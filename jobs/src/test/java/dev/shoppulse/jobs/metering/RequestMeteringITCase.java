package dev.shoppulse.jobs.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** The metering job on a MiniCluster against real Redis: counts and the block list. */
class RequestMeteringITCase {
    /**
     * Life of a block entry: 3 s, scaled ({@link TestTime}). The entry is watched for while the job
     * runs, so its life need only outlast a poll, not the job's shutdown.
     */
    private static final Duration BLOCK_TTL = TestTime.scaled(Duration.ofSeconds(3));

    @RegisterExtension static final MiniClusterExtension CLUSTER = TestJobs.miniCluster(2);

    @Test
    @Timeout(120)
    void countsEqualAnIndependentCountAndAbusersAreBlockedThenExpire() throws Exception {
        ShopPulseConfig config =
                TestServices.isolated()
                        .with(RateLimitCapability.METERING_ABUSE_THRESHOLD, 30)
                        .with(RateLimitCapability.METERING_BLOCK_TTL, BLOCK_TTL.toMillis() + "ms");
        // Every event inside one 10-second slice of one minute of one hour: then every window
        // (1m, 1h, 1d) that holds any of them holds all of them, and the latest window of each
        // size, which the job keeps in Redis, must equal the plain count below.
        Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(5));
        Random random = new Random(7);
        List<ApiRequestEvent> events = new ArrayList<>();
        Map<String, long[]> expected = new HashMap<>();
        Object[][] clients = {{"alice", 57, 3}, {"bob", 13, 0}, {"mallory", 80, 45}};
        for (Object[] c : clients) {
            String id = (String) c[0];
            int total = (int) c[1];
            int limited = (int) c[2];
            for (int i = 0; i < total; i++) {
                events.add(
                        new ApiRequestEvent(
                                id + "-" + i,
                                id,
                                "free",
                                "POST",
                                "/v1/quotes",
                                i < limited ? 429 : 200,
                                i < limited ? "limited" : "allowed",
                                100,
                                base.plusMillis(random.nextInt(9_000))));
            }
            expected.put(id, new long[] {total, limited});
        }
        Collections.shuffle(events, random);
        List<RawRecord> raw = new ArrayList<>();
        long offset = 0;
        for (ApiRequestEvent e : events) {
            raw.add(
                    record(
                            offset++,
                            e.clientId(),
                            RateLimitCapability.API_REQUESTS.codec().encode(e)));
        }
        raw.add(record(offset, "x", "{\"clientId\":".getBytes(StandardCharsets.UTF_8)));

        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        RequestMeteringJob.topology(
                env.fromData(raw, TypeInformation.of(RawRecord.class)),
                config,
                new RequestMeteringJob.Sinks(
                        new DiscardingSink<>(),
                        new MeterRedisSink(RedisSettings.from(config), 30, BLOCK_TTL)));
        try (RedisClient redis = TestServices.redis()) {
            RedisKeys keys = new RedisKeys(config.get(Settings.REDIS_KEY_PREFIX));
            JobClient job = env.executeAsync("metering-itcase");
            // The abuser's block is seen while it lives, however long the job takes to finish
            // after writing it; its remaining life is at most the configured one.
            long blockTtlMs =
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> redis.pttl(keys.blocked("mallory")), ttl -> ttl > 0);
            assertThat(blockTtlMs).isLessThanOrEqualTo(BLOCK_TTL.toMillis());
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                for (String window : List.of("1m", "1h", "1d")) {
                    Map<String, String> h = redis.hgetAll(keys.meter(window, e.getKey()));
                    assertThat(h)
                            .as("%s %s", e.getKey(), window)
                            .containsEntry("requests", Long.toString(e.getValue()[0]))
                            .containsEntry("limited", Long.toString(e.getValue()[1]));
                }
            }
            assertThat(redis.exists(keys.blocked("alice"))).isFalse();
            assertThat(redis.exists(keys.blocked("bob"))).isFalse();
            // It expires: within its life, with as long again for a loaded machine.
            await().atMost(BLOCK_TTL.multipliedBy(2))
                    .until(() -> !redis.exists(keys.blocked("mallory")));
        } finally {
            TestServices.cleanUp(config);
        }
    }

    private static RawRecord record(long offset, String key, byte[] value) {
        return new RawRecord(
                "api-requests", 0, offset, 0L, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
