package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.testing.TestServices;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.embedded.RedisServer;

/**
 * Redis dies under load and comes back. Runs its own redis-server on a free port (never the shared
 * one) with one fail-open and one fail-closed API instance on it.
 */
class RedisOutageITCase {
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(100);

    /** One response as the load generator saw it. */
    record Sample(boolean open, long startNanos, long latencyNanos, HttpResponse<String> r) {}

    @Test
    @Timeout(120)
    void outageFollowsThePolicyWithBoundedLatencyAndRecoversWithinASecond() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer redis = new RedisServer(port);
        redis.start();
        ShopPulseConfig base =
                ApiFixture.config("t:200:20:8", "1s")
                        .with(Settings.REDIS_PORT, port)
                        .with(
                                RateLimitCapability.RATELIMIT_REDIS_TIMEOUT,
                                REDIS_TIMEOUT.toMillis() + "ms")
                        .with(RateLimitCapability.RATELIMIT_INSTANCES, 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicBoolean running = new AtomicBoolean(true);
        try (ApiServer open =
                        ApiServer.start(
                                base.with(RateLimitCapability.RATELIMIT_FAILURE_POLICY, "open"));
                ApiServer closed =
                        ApiServer.start(
                                base.with(
                                        RateLimitCapability.RATELIMIT_FAILURE_POLICY, "closed"))) {
            Queue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicLong sent = new AtomicLong();
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                boolean toOpen = t % 2 == 0;
                int apiPort = toOpen ? open.port() : closed.port();
                load.add(
                        pool.submit(
                                () -> {
                                    while (running.get()) {
                                        long s = System.nanoTime();
                                        HttpResponse<String> r =
                                                Http.quote(apiPort, ApiFixture.KEY);
                                        samples.add(
                                                new Sample(toOpen, s, System.nanoTime() - s, r));
                                        sent.incrementAndGet();
                                    }
                                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() >= 300);

            // Snapshot first: on a loaded machine a metrics call can take long enough for many
            // outage decisions to slip in before it.
            Map<String, Number> latencyBefore = ApiFixture.metrics(open.port());
            Map<String, Number> latencyBeforeClosed = ApiFixture.metrics(closed.port());
            redis.stop();
            long stoppedAt = System.nanoTime();
            long before = sent.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() >= before + 1000);
            long restartAt = System.nanoTime();
            long[] outageLatency =
                    histogram(
                            latencyBefore,
                            latencyBeforeClosed,
                            ApiFixture.metrics(open.port()),
                            ApiFixture.metrics(closed.port()));
            long redisDecisionsOpen = redisDecisions(open.port());
            long redisDecisionsClosed = redisDecisions(closed.port());

            redis = new RedisServer(port);
            redis.start();
            long restarted = System.nanoTime();
            // Recovery: both instances decide through Redis again within a second.
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(
                            () ->
                                    redisDecisions(open.port()) > redisDecisionsOpen
                                            && redisDecisions(closed.port())
                                                    > redisDecisionsClosed);
            long recoveredMs = (System.nanoTime() - restarted) / 1_000_000;
            running.set(false);
            for (Future<?> f : load) {
                f.get();
            }

            List<Sample> outage =
                    samples.stream()
                            .filter(s -> s.startNanos() > stoppedAt && s.startNanos() < restartAt)
                            .toList();
            List<Integer> openStatuses =
                    outage.stream().filter(Sample::open).map(s -> s.r().statusCode()).toList();
            List<Integer> closedStatuses =
                    outage.stream().filter(s -> !s.open()).map(s -> s.r().statusCode()).toList();
            assertThat(openStatuses)
                    .isNotEmpty()
                    .containsAnyOf(200)
                    .allMatch(c -> c == 200 || c == 429);
            assertThat(closedStatuses).isNotEmpty().allMatch(c -> c == 503);
            assertThat(outage)
                    .allSatisfy(
                            s -> {
                                assertThat(s.r().headers().firstValue("RateLimit")).isPresent();
                                assertThat(s.r().headers().firstValue("RateLimit-Policy"))
                                        .isPresent();
                                if (s.r().statusCode() != 200) {
                                    assertThat(s.r().headers().firstValue("Retry-After"))
                                            .isPresent();
                                }
                            });
            // Fail-open admits at most this instance's share: limit / 2 per second, burst / 2.
            long outageMicros = (restartAt - stoppedAt) / 1000;
            long openAdmitted = openStatuses.stream().filter(c -> c == 200).count();
            assertThat(openAdmitted).isLessThanOrEqualTo(10 + outageMicros / 10_000 + 8);

            long[] latencies = outage.stream().mapToLong(Sample::latencyNanos).sorted().toArray();
            long p99 = latencies[(int) Math.floor(0.99 * (latencies.length - 1))];
            // The decision's own latency (server side) is what the Redis timeout bounds; the
            // end-to-end figures below also carry whatever else the shared machine is doing.
            long decisions = 0;
            for (long n : outageLatency) {
                decisions += n;
            }
            long withinTimeout = 0;
            for (int i = 0; i < RateLimitMetrics.LATENCY_BUCKETS_MS.length; i++) {
                if (RateLimitMetrics.LATENCY_BUCKETS_MS[i] <= REDIS_TIMEOUT.toMillis()) {
                    withinTimeout += outageLatency[i];
                }
            }
            System.out.printf(
                    "outage decisions=%d within %s: %d%n", decisions, REDIS_TIMEOUT, withinTimeout);
            assertThat(decisions).isGreaterThan(500);
            assertThat((double) withinTimeout / decisions)
                    .as("share of decisions within the Redis timeout (p99 within it)")
                    .isGreaterThanOrEqualTo(0.99);
            long[] normal =
                    samples.stream()
                            .filter(s -> s.startNanos() < stoppedAt)
                            .mapToLong(Sample::latencyNanos)
                            .sorted()
                            .toArray();
            System.out.printf(
                    "outage n=%d p50=%dus p90=%dus p99=%dus max=%dus | normal n=%d p50=%dus p99=%dus%n",
                    latencies.length,
                    latencies[latencies.length / 2] / 1000,
                    latencies[(int) (0.9 * (latencies.length - 1))] / 1000,
                    p99 / 1000,
                    latencies[latencies.length - 1] / 1000,
                    normal.length,
                    normal[normal.length / 2] / 1000,
                    normal[(int) (0.99 * (normal.length - 1))] / 1000);
            assertThat(ApiFixture.metric(open.port(), "fallbacks")).isPositive();
            assertThat(ApiFixture.metric(closed.port(), "redis.errors")).isPositive();
            assertThat(recoveredMs).isLessThanOrEqualTo(1000);
        } finally {
            running.set(false);
            pool.shutdownNow();
            redis.stop();
            TestServices.cleanUp(base);
        }
    }

    /** Decisions per latency bucket between two metric snapshots, summed over two instances. */
    private static long[] histogram(
            Map<String, Number> beforeA,
            Map<String, Number> beforeB,
            Map<String, Number> afterA,
            Map<String, Number> afterB) {
        int n = RateLimitMetrics.LATENCY_BUCKETS_MS.length;
        long[] h = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            String key =
                    i < n
                            ? "decision.latency.le_" + RateLimitMetrics.LATENCY_BUCKETS_MS[i] + "ms"
                            : "decision.latency.over_1000ms";
            h[i] =
                    value(afterA, key)
                            - value(beforeA, key)
                            + value(afterB, key)
                            - value(beforeB, key);
        }
        return h;
    }

    private static long value(Map<String, Number> m, String key) {
        Number v = m.get(key);
        return v == null ? 0 : v.longValue();
    }

    private static long redisDecisions(int port) {
        return ApiFixture.metric(port, "decisions.redis.ok")
                + ApiFixture.metric(port, "decisions.redis.rate")
                + ApiFixture.metric(port, "decisions.redis.concurrency");
    }
}
