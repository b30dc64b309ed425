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
            // Six windows' worth of calls; a count, not a duration, so a loaded machine only slows
            // it.
            int total = 6 * limit;
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                done.add(
                        callers.submit(
                                () -> {
                                    int n;
                                    while ((n = ids.incrementAndGet()) <= total) {
                                        String id = "call-" + n;
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
            assertThat(provider.calls()).hasSize(6 * limit);
        }
    }

    @Test
    void aCallInFlightKeepsItsPermitForItsLeaseAndAnAnsweredOneForAWindowAfterItsAnswer() {
        SlidingLogLimiter budget = limiter(1, Duration.ofMillis(200), Duration.ofSeconds(3));
        assertThat(budget.tryAcquire("a")).isZero();
        // "a" is still in flight (or its caller crashed): it counts until lease + window.
        assertThat(budget.tryAcquire("b")).isBetween(3000L, 3210L);
        // Once answered, it counts for one window (+ margin) from the answer.
        budget.completed("a");
        assertThat(budget.tryAcquire("b")).isBetween(1L, 210L);
    }
}
