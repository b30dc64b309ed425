package dev.shoppulse.jobs.metering;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.AdversarialContract;
import dev.shoppulse.jobs.flink.JobSetup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * The metering job under the adversarial contract; a canary is one request of its own client, whose
 * 1-minute count reaches Redis once later requests move event time past its window.
 */
class MeteringAdversarialITCase extends AdversarialContract {
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = cluster(METRICS);

    private final Instant now = Instant.now();

    MeteringAdversarialITCase() {
        super(METRICS, RateLimitCapability.DEFINITION);
    }

    @Override
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        // Event time may run ahead by at most the closing requests' two minutes and a margin: a
        // request further ahead would close the canaries' windows before they arrive.
        return c.with(RateLimitCapability.METERING_MAX_FUTURE, "5m");
    }

    @Override
    protected void wire(StreamExecutionEnvironment env) {
        RequestMeteringJob.topology(
                JobSetup.rawStream(
                        env,
                        config,
                        RateLimitCapability.API_REQUESTS,
                        "adversarial",
                        "metering-source"),
                config,
                RequestMeteringJob.sinks(config));
    }

    private static ApiRequestEvent request(String client, int i, Instant at) {
        return new ApiRequestEvent(
                client + "-r" + i, client, "free", "GET", "/v1/quotes", 200, "allowed", 100, at);
    }

    @Override
    protected byte[] template() {
        return RateLimitCapability.API_REQUESTS.codec().encode(request("hostile", 0, now));
    }

    @Override
    protected ProducerRecord<byte[], byte[]> canary(String topic, int i) {
        String client = "canary-" + i;
        return new ProducerRecord<>(
                topic,
                client.getBytes(StandardCharsets.UTF_8),
                RateLimitCapability.API_REQUESTS.codec().encode(request(client, i, now)));
    }

    @Override
    protected List<ProducerRecord<byte[], byte[]>> closing(String topic, int canaries) {
        // A request two minutes later on each partition closes the canaries' 1-minute windows.
        Instant later = now.plus(Duration.ofMinutes(2));
        return List.of(
                new ProducerRecord<>(
                        topic,
                        0,
                        null,
                        RateLimitCapability.API_REQUESTS.codec().encode(request("tick", 0, later))),
                new ProducerRecord<>(
                        topic,
                        1,
                        null,
                        RateLimitCapability.API_REQUESTS
                                .codec()
                                .encode(request("tick", 1, later))));
    }

    @Override
    protected boolean canariesArrived(int canaries) {
        RedisKeys keys = new RedisKeys(config.get(Settings.REDIS_KEY_PREFIX));
        try (RedisClient redis = TestServices.redis()) {
            for (int i = 0; i < canaries; i++) {
                if (!redis.exists(keys.meter("1m", "canary-" + i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
