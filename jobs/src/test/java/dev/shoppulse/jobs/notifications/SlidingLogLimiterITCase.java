package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisFailure;
import dev.shoppulse.common.redis.RedisFailureListener;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.testing.TestTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/** The shared Redis call budget against the real provider simulator, many callers at once. */
@Timeout(60)
class SlidingLogLimiterITCase {
    private final String prefix = TestServices.uniqueId("lim");
    private final Redis redis = Redis.open(settings(TestServices.redisPort(), prefix));

    @AfterEach
    void cleanUp() {
        TestServices.deleteRedisKeys(prefix);
        redis.close();
    }

    private static RedisSettings settings(int port, String keyPrefix) {
        return new RedisSettings(TestServices.redisHost(), port, Duration.ofSeconds(2), keyPrefix);
    }

    /** A limiter on a log that is known to be intact (its marker written), as after a while. */
    private SlidingLogLimiter limiter(int limit, Duration window, Duration lease) {
        redis.call(
                "ZADD",
                r ->
                        r.zadd(
                                prefix + ":notify:calls",
                                Double.POSITIVE_INFINITY,
                                SlidingLogLimiter.EPOCH));
        return fresh(limit, window, lease);
    }

    private SlidingLogLimiter fresh(int limit, Duration window, Duration lease) {
        return new SlidingLogLimiter(
                redis,
                prefix + ":notify:calls",
                limit,
                window,
                SlidingLogLimiter.marginFor(window),
                lease);
    }

    /**
     * Filling a window needs the six callers to place {@code limit} calls within it, each costing
     * the answer's latency plus the machine's own overhead; the window and the latency are scaled
     * together ({@link TestTime}), so a higher scale leaves the overhead a smaller share of the
     * window while the latency keeps its proportion to it.
     */
    @Test
    void sixCallersWithSlowAnswersNeverOverfillAProviderWindowAndUseItFully() throws Exception {
        int limit = 25;
        Duration window = TestTime.scaled(Duration.ofMillis(400));
        try (ProviderSimulator provider = ProviderSimulator.start(limit, window)) {
            // Slow, uneven answers are what break a limiter that only logs grant times.
            provider.latency(TestTime.scaled(Duration.ofMillis(30)));
            SlidingLogLimiter budget =
                    limiter(limit, window, TestTime.scaled(Duration.ofSeconds(5)));
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
                                        CallLimiter.Permit p;
                                        while (!(p = budget.tryAcquire(id)).granted()) {
                                            Thread.sleep(Math.min(p.waitMs(), 20));
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
        assertThat(budget.tryAcquire("a").granted()).isTrue();
        // "a" is still in flight (or its caller crashed): it counts until lease + window.
        assertThat(budget.tryAcquire("b").waitMs()).isBetween(3000L, 3210L);
        // Once answered, it counts for one window (+ margin) from the answer.
        budget.completed("a");
        CallLimiter.Permit b = budget.tryAcquire("b");
        assertThat(b.outcome()).isEqualTo(CallLimiter.Outcome.THROTTLED);
        assertThat(b.waitMs()).isBetween(1L, 210L);
    }

    @Test
    void aLostOrNewLogGrantsNothingForAWindowPlusLeaseThenResumes() {
        Duration window = Duration.ofMillis(300);
        Duration lease = Duration.ofMillis(200);
        SlidingLogLimiter budget = fresh(5, window, lease);
        CallLimiter.Permit first = budget.tryAcquire("a");
        assertThat(first.outcome()).isEqualTo(CallLimiter.Outcome.LOST);
        assertThat(first.waitMs()).isBetween(500L, 510L);
        // The block is shared: a second caller (another subtask) is refused as paused.
        assertThat(budget.tryAcquire("b").outcome()).isEqualTo(CallLimiter.Outcome.PAUSED);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> budget.tryAcquire("c").granted());
        assertThat(budget.tryAcquire("d").granted()).isTrue();

        // What a restart without persistence, a flush or an eviction does: the log is gone.
        redis.del(prefix + ":notify:calls");
        assertThat(budget.tryAcquire("e").outcome()).isEqualTo(CallLimiter.Outcome.LOST);
        // Answers of calls granted before the loss do not recreate the log.
        budget.completed("c");
        assertThat(budget.tryAcquire("f").outcome()).isEqualTo(CallLimiter.Outcome.PAUSED);
    }

    @Test
    void aPauseStopsEveryCallerUntilItEndsAndAShorterOneChangesNothing() {
        SlidingLogLimiter budget = limiter(5, Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(budget.pause(Duration.ofMillis(800))).isBetween(790L, 800L);
        assertThat(budget.pause(Duration.ofMillis(100))).isBetween(600L, 800L);
        CallLimiter.Permit p = budget.tryAcquire("a");
        assertThat(p.outcome()).isEqualTo(CallLimiter.Outcome.PAUSED);
        assertThat(p.waitMs()).isBetween(500L, 800L);
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> budget.tryAcquire("b").granted());
        // The pause member is gone and does not count as a call: the full limit is available.
        for (int i = 0; i < 4; i++) {
            assertThat(budget.tryAcquire("c" + i).granted()).isTrue();
        }
        assertThat(budget.tryAcquire("x").outcome()).isEqualTo(CallLimiter.Outcome.THROTTLED);
    }

    @Test
    void aRestartedRedisServerIsDetectedAndAFlushedScriptReloaded() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        List<String> reloaded = new CopyOnWriteArrayList<>();
        RedisFailureListener listener =
                new RedisFailureListener() {
                    @Override
                    public void failed(String operation, RuntimeException cause) {
                        failures.incrementAndGet();
                    }

                    @Override
                    public void scriptReloaded(String script) {
                        reloaded.add(script);
                    }
                };
        try (PrivateRedis server = PrivateRedis.start();
                Redis own = Redis.open(settings(server.port(), "lim"), listener)) {
            Duration window = Duration.ofMillis(200);
            Duration lease = Duration.ofMillis(100);
            SlidingLogLimiter budget =
                    new SlidingLogLimiter(
                            own, "lim:notify:calls", 3, window, Duration.ofMillis(2), lease);
            assertThat(budget.tryAcquire("a").outcome()).isEqualTo(CallLimiter.Outcome.LOST);
            await().atMost(Duration.ofSeconds(5)).until(() -> budget.tryAcquire("b").granted());

            own.call("SCRIPT FLUSH", UnifiedJedis::scriptFlush);
            reloaded.clear();
            assertThat(budget.tryAcquire("c").granted()).as("NOSCRIPT reloads").isTrue();
            assertThat(reloaded).containsExactly(SlidingLogLimiter.ACQUIRE.name());
            assertThat(failures).as("a reloaded script is not a failure").hasValue(0);

            server.restart();
            AtomicInteger refused = new AtomicInteger();
            await().atMost(Duration.ofSeconds(5))
                    .until(
                            () -> {
                                try {
                                    return budget.tryAcquire("d").outcome()
                                            == CallLimiter.Outcome.LOST;
                                } catch (RedisFailure e) {
                                    refused.incrementAndGet();
                                    return false;
                                }
                            });
            assertThat(budget.tryAcquire("e").outcome()).isEqualTo(CallLimiter.Outcome.PAUSED);
            // While the server was down, each failed call was raised and counted, never dropped.
            assertThat(failures.get()).isEqualTo(refused.get());
        }
    }
}
