package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limiter through HTTP, as clients see it: two API instances sharing one allowance, and
 * application clocks skewed by ±30 s changing nothing.
 */
class DistributedRateLimitITCase {

    /**
     * Two instances, 32 threads each, one key limited to 100 per window over 3 windows.
     *
     * <p>Time is scaled: the window is 3 s instead of 1 min (ratelimit.window), times the test time
     * scale ({@link TestTime}), so 3 windows take 9 s instead of 3 min. GCRA depends on time only
     * through the emission interval window / limit (here 30 ms instead of 600 ms), so the scaled
     * run exercises exactly the same arithmetic at 20x the speed. Both bounds are counts: never
     * more than the burst plus one per interval elapsed, and at least 95 % of the 3 windows'
     * allowance, the rest being what a stalled machine may leave unused; a stall costs fewer
     * intervals when the scale makes them longer.
     */
    @Test
    @Timeout(90)
    void twoInstancesNeverAdmitMoreThanTheLimit() throws Exception {
        Duration window = TestTime.scaled(Duration.ofSeconds(3));
        int windows = 3;
        ShopPulseConfig config = ApiFixture.config("t:100:10:8", window.toMillis() + "ms");
        Policy policy = new Policy("t", 100, window, 10, 8);
        try (ApiServer a = ApiServer.start(config);
                ApiServer b = ApiServer.start(config)) {
            AtomicLong admitted = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            Map<String, Long> problems = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            long start = System.nanoTime();
            long end = start + window.multipliedBy(windows).toNanos();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int port = t % 2 == 0 ? a.port() : b.port();
                futures.add(
                        pool.submit(
                                () -> {
                                    while (System.nanoTime() < end) {
                                        HttpResponse<String> r = Http.quote(port, ApiFixture.KEY);
                                        String problem = check(r);
                                        if (problem != null) {
                                            problems.merge(problem, 1L, Long::sum);
                                        }
                                        (r.statusCode() == 200 ? admitted : rejected)
                                                .incrementAndGet();
                                    }
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long elapsedMicros = (System.nanoTime() - start) / 1000;
            long bound = policy.burst() + elapsedMicros / policy.intervalMicros();
            assertThat(
                            ApiFixture.metric(a.port(), "fallbacks")
                                    + ApiFixture.metric(b.port(), "fallbacks"))
                    .as("decisions all made by the shared limiter")
                    .isZero();
            assertThat(problems).as("responses breaking the contract").isEmpty();
            assertThat(rejected.get()).as("the test must actually overload the key").isPositive();
            assertThat(admitted.get()).isLessThanOrEqualTo(bound);
            assertThat(admitted.get())
                    .as("admitted of %d windows' allowance", windows)
                    .isGreaterThanOrEqualTo(Math.round(0.95 * windows * policy.limit()));
        } finally {
            TestServices.cleanUp(config);
        }
    }

    /** Null when the response is as promised, else what is wrong with it. */
    private static String check(HttpResponse<String> r) {
        if (r.headers().firstValue(RateLimitFilter.POLICY_HEADER).isEmpty()
                || r.headers().firstValue(RateLimitFilter.RATELIMIT_HEADER).isEmpty()) {
            return r.statusCode() + " without RateLimit headers";
        }
        if (r.statusCode() == 200) {
            return null;
        }
        if (r.statusCode() != 429) {
            return "status " + r.statusCode();
        }
        long retry = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L);
        if (retry < 1) {
            return "429 with Retry-After " + retry;
        }
        if (!r.headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/problem+json")) {
            return "429 without problem+json";
        }
        return null;
    }

    /**
     * The instances' clocks are 60 s apart; the allowance they share is the same as without skew,
     * because only Redis's clock takes part in decisions. The access events prove the skewed clocks
     * were really in use.
     */
    @Test
    @Timeout(60)
    void skewedApplicationClocksChangeNoAdmission() {
        ShopPulseConfig config = ApiFixture.config("t:10:5:0", "1h");
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30));
        Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30));
        try (ApiServer fast = ApiServer.start(config, ahead);
                ApiServer slow = ApiServer.start(config, behind);
                ApiServer straight =
                        ApiServer.start(
                                config.with(
                                        RateLimitCapability.RATELIMIT_CLIENTS,
                                        "other:t:" + ApiFixture.KEY + ":quotes"))) {
            List<Integer> skewed = new ArrayList<>();
            List<Integer> reference = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                skewed.add(
                        Http.quote(i % 2 == 0 ? fast.port() : slow.port(), ApiFixture.KEY)
                                .statusCode());
                reference.add(Http.quote(straight.port(), ApiFixture.KEY).statusCode());
            }
            // 10 per hour: nothing is earned during the test, so exactly the burst is admitted.
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                expected.add(i < 5 ? 200 : 429);
            }
            assertThat(
                            ApiFixture.metric(fast.port(), "fallbacks")
                                    + ApiFixture.metric(slow.port(), "fallbacks"))
                    .isZero();
            assertThat(skewed).isEqualTo(expected);
            assertThat(reference).isEqualTo(expected);

            // 24 quotes and 2 metrics reads make 26 access events.
            String topic = config.topic(RateLimitCapability.API_REQUESTS);
            List<ConsumerRecord<byte[], byte[]>> events =
                    KafkaBroker.shared()
                            .readCommitted(topic, l -> l.size() >= 26, Duration.ofSeconds(20));
            List<ApiRequestEvent> acme =
                    events.stream()
                            .map(r -> decode(r.value()))
                            .filter(e -> e.clientId().equals("acme"))
                            .toList();
            assertThat(acme).hasSize(12);
            long spread =
                    acme.stream().mapToLong(e -> e.at().toEpochMilli()).max().getAsLong()
                            - acme.stream().mapToLong(e -> e.at().toEpochMilli()).min().getAsLong();
            assertThat(spread).as("event times of the skewed instances").isGreaterThan(50_000);
        } finally {
            TestServices.cleanUp(config);
        }
    }

    private static ApiRequestEvent decode(byte[] v) {
        try {
            return RateLimitCapability.API_REQUESTS.codec().decode(v);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
