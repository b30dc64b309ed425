package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ScriptPipeline;
import dev.shoppulse.common.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, distributed limiters on the same Redis: ours (GCRA in one Lua script, each decision
 * on a pooled connection or pipelined with concurrent ones) and Bucket4j-Jedis as the reference.
 * Each case runs against both; a case that only ours passes is a bug in ours or a deliberate
 * difference that README must explain.
 */
@Timeout(60)
class LimiterContractITCase {
    private static String prefix;
    private static Redis redis;
    private static final List<ScriptPipeline> PIPELINES = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() {
        prefix = TestServices.uniqueId("rlc");
        redis = open();
    }

    @AfterAll
    static void cleanUp() {
        TestServices.deleteRedisKeys(prefix);
        PIPELINES.forEach(ScriptPipeline::close);
        redis.close();
    }

    private static RedisSettings settings() {
        return new RedisSettings(
                TestServices.redisHost(), TestServices.redisPort(), Duration.ofSeconds(2), prefix);
    }

    private static Redis open() {
        return Redis.open(settings());
    }

    static Stream<Arguments> limiters() {
        Function<Redis, Limiter> ours = r -> new RedisGcraLimiter(r, Duration.ofSeconds(30));
        // Each call is another instance: its own pipelined connections.
        Function<Redis, Limiter> pipelined =
                r -> {
                    ScriptPipeline p =
                            RateLimiting.decisionPipeline(settings(), Duration.ofSeconds(2), 2);
                    PIPELINES.add(p);
                    return new RedisGcraLimiter(p, r, Duration.ofSeconds(30));
                };
        Function<Redis, Limiter> bucket4j = r -> new Bucket4jLimiter(r.client(), prefix);
        return Stream.of(
                Arguments.of("shoppulse-gcra", ours),
                Arguments.of("shoppulse-gcra-pipelined", pipelined),
                Arguments.of("bucket4j", bucket4j));
    }

    private static String key(String name, String limiter) {
        return name + "-" + limiter + "-" + System.nanoTime();
    }

    @Test
    void pipelinedAndPerCallDecisionsShareOneSubjectsAllowanceAndSlots() {
        ScriptPipeline pipeline =
                RateLimiting.decisionPipeline(settings(), Duration.ofSeconds(2), 1);
        PIPELINES.add(pipeline);
        Limiter piped = new RedisGcraLimiter(pipeline, redis, Duration.ofSeconds(30));
        Limiter perCall = new RedisGcraLimiter(redis, Duration.ofSeconds(30));
        Policy p = new Policy("t", 10, Duration.ofHours(1), 4, 2);
        String k = key("both-paths", "gcra");
        Decision a = piped.acquire(k, p, 2);
        assertThat(a.allowed()).isTrue();
        assertThat(a.leaseId()).isNotNull();
        assertThat(perCall.acquire(k, p, 2).allowed()).isTrue();
        Decision full = piped.acquire(k, p, 2);
        assertThat(full.allowed()).isFalse();
        assertThat(full.reason()).isEqualTo(Decision.Reason.CONCURRENCY);
        perCall.release(k, a.leaseId());
        assertThat(piped.acquire(k, p, 2).allowed()).isTrue();
        Decision last = perCall.acquire(k, p, 0);
        assertThat(last.allowed()).isTrue();
        assertThat(last.remaining()).isZero();
        Decision over = piped.acquire(k, p, 0);
        assertThat(over.allowed()).isFalse();
        assertThat(over.reason()).isEqualTo(Decision.Reason.RATE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void freshSubjectGetsExactlyItsBurstThenIsRefused(
            String name, Function<Redis, Limiter> factory) {
        Limiter limiter = factory.apply(redis);
        Policy p = new Policy("t", 10, Duration.ofHours(1), 7, 0);
        String k = key("burst", name);
        for (int i = 0; i < 7; i++) {
            Decision d = limiter.acquire(k, p, 0);
            assertThat(d.allowed()).as("request %d", i).isTrue();
            assertThat(d.remaining()).isEqualTo(6 - i);
        }
        Decision no = limiter.acquire(k, p, 0);
        assertThat(no.allowed()).isFalse();
        assertThat(no.remaining()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void retryAfterIsAtMostOneIntervalAndHonest(String name, Function<Redis, Limiter> factory) {
        Limiter limiter = factory.apply(redis);
        Policy p = new Policy("t", 5, Duration.ofSeconds(1), 1, 0); // one per 200 ms
        String k = key("retry", name);
        // Warm up on another subject: the two calls below must be less than 200 ms apart, which
        // first-use class loading on a loaded machine can exceed.
        assertThat(limiter.acquire(key("warm", name), p, 0).allowed()).isTrue();
        assertThat(limiter.acquire(k, p, 0).allowed()).isTrue();
        Decision no = limiter.acquire(k, p, 0);
        assertThat(no.allowed()).isFalse();
        assertThat(no.retryAfterMicros()).isPositive().isLessThanOrEqualTo(200_000);
        long waitUntil = System.nanoTime() + no.retryAfterMicros() * 1000;
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> System.nanoTime() >= waitUntil);
        await().atMost(Duration.ofMillis(100))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> limiter.acquire(k, p, 0).allowed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void subjectsAreIndependent(String name, Function<Redis, Limiter> factory) {
        Limiter limiter = factory.apply(redis);
        Policy p = new Policy("t", 10, Duration.ofHours(1), 2, 0);
        String a = key("a", name);
        String b = key("b", name);
        assertThat(limiter.acquire(a, p, 0).allowed()).isTrue();
        assertThat(limiter.acquire(a, p, 0).allowed()).isTrue();
        assertThat(limiter.acquire(a, p, 0).allowed()).isFalse();
        assertThat(limiter.acquire(b, p, 0).allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("limiters")
    void twoInstancesShareOneAllowanceUnderContention(String name, Function<Redis, Limiter> factory)
            throws Exception {
        // Scaled so that the callers' own scheduling cannot cost admissions: a subject may run
        // burst x interval = 2 s ahead, so what a stall of every caller leaves unused is banked
        // unless the stall lasts about 2 s; the callers ask all the time, so the limiter is never
        // idle for that long.
        Policy p = new Policy("t", 10, Duration.ofSeconds(1), 20, 0);
        String k = key("shared", name);
        try (Redis other = open()) {
            List<Limiter> instances = List.of(factory.apply(redis), factory.apply(other));
            AtomicLong admitted = new AtomicLong();
            AtomicLong firstAdmittedReturn = new AtomicLong(Long.MAX_VALUE);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(3).toNanos();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Limiter l = instances.get(t % 2);
                futures.add(
                        pool.submit(
                                () -> {
                                    // Ask until a request sent after the end is refused: the
                                    // allowance is then used up to at least the end, whenever
                                    // this caller was scheduled.
                                    while (true) {
                                        long sent = System.nanoTime();
                                        if (l.acquire(k, p, 0).allowed()) {
                                            admitted.incrementAndGet();
                                            firstAdmittedReturn.accumulateAndGet(
                                                    System.nanoTime(), Math::min);
                                        } else if (sent >= end) {
                                            return;
                                        }
                                    }
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long interval = p.intervalMicros();
            // At most a burst and one request per interval over the whole run.
            long upper = p.burst() + (System.nanoTime() - start) / 1000 / interval;
            // A refusal at t after a busy run means more than burst - 1 + (t - first) / interval
            // were admitted by t; first (the first admission, in the limiter's clock) is no later
            // than the return of the first admitted call, and t no earlier than the end.
            long lower = p.burst() - 1 + (end - firstAdmittedReturn.get()) / 1000 / interval;
            assertThat(admitted.get()).isBetween(lower, upper);
        }
    }
}
