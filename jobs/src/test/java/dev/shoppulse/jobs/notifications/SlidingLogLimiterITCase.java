package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The shared Redis call budget against the real provider simulator, many callers at once. */
@Timeout(60)
class SlidingLogLimiterITCase {
    private final String prefix = TestServices.uniqueId("lim");
    private final RedisClient redis = TestServices.redis();

    @AfterEach
    void cleanUp() {
        TestServices.deleteRedisKeys(prefix);
        redis.close();
    }

    private SlidingLogLimiter limiter(int limit, Duration window, Duration lease) {
        return new SlidingLogLimiter(
                redis,
                prefix + ":notify:calls",
                limit,
                window,
                SlidingLogLimiter.marginFor(window),
                lease);
    }

    @Test
    void sixCallersWithSlowAnswersNeverOverfillAProviderWindowAndUseItFully() throws Exception {
        int limit = 25;
        Duration window = Duration.ofMillis(400);
        try (ProviderSimulator provider = ProviderSimulator.start(limit, window)) {
            // Slow, uneven answers are what break a limiter that only logs grant times.
            provider.latency(Duration.ofMillis(30));
            SlidingLogLimiter budget = limiter(limit, window, Duration.ofSeconds(5));
            HttpClient http = HttpClient.newHttpClient();
            AtomicInteger ids = new AtomicInteger();
            long until = System.nanoTime() + Duration.ofMillis(2400).toNanos();
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                done.add(
                        callers.submit(
                                () -> {
                                    while (System.nanoTime() < until) {
                                        String id = "call-" + ids.incrementAndGet();
                                        long wait;
                                        while ((wait = budget.tryAcquire(id)) > 0) {
                                            Thread.sleep(Math.min(wait, 20));
                                        }
                                        http.send(
                                                HttpRequest.newBuilder(URI.create(provider.url()))
                                                        .header("Idempotency-Key", id)
                                                        .POST(
                                                                HttpRequest.BodyPublishers.ofString(
                                                                        "{\"to\":\"a@b.c\"}"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding());
                                        budget.completed(id);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            callers.shutdown();
            assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

            assertThat(provider.violations()).as("windows over the limit").isZero();
            assertThat(provider.liveViolations()).isZero();
            assertThat(provider.maxCallsInAnyWindow()).isEqualTo(limit);
            // 2.4 s of 400 ms windows: about 6 full windows' worth of calls, minus answer times.
            assertThat(provider.calls().size()).isGreaterThanOrEqualTo(5 * limit);
        }
    }

    @Test
    void aCallThatIsNeverAnsweredKeepsItsPermitUntilItsLeaseAndWindowHavePassed() {
        SlidingLogLimiter budget = limiter(2, Duration.ofMillis(200), Duration.ofSeconds(3));
        assertThat(budget.tryAcquire("a")).isZero();
        assertThat(budget.tryAcquire("b")).isZero();
        // "a" is answered, "b" hangs (a crashed caller): the wait is bounded by b's lease + window.
        budget.completed("a");
        long wait = budget.tryAcquire("c");
        assertThat(wait).isBetween(1L, 210L);
        budget.completed("b");
        assertThat(budget.tryAcquire("c")).isBetween(1L, 210L);
    }
}
