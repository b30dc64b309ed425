package dev.shoppulse.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.testing.PrivateRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * The coalescing script client against a private redis-server: many callers share round trips yet
 * each gets its own reply or its own error, forgotten scripts are reloaded inside a batch, and a
 * dead server fails every waiting caller instead of leaving one parked.
 */
@Timeout(120)
class ScriptPipelineITCase {
    /** KEYS[1] counter; ARGV[1] increment, ARGV[2] a tag; returns {new value, tag}. */
    static final LuaScript INCR_TAGGED =
            new LuaScript(
                    "pipeline-test-incr",
                    "return {redis.call('INCRBY', KEYS[1], ARGV[1]), ARGV[2]}");

    private static final int THREADS = 32;

    private static PrivateRedis server;

    @BeforeAll
    static void startServer() {
        server = PrivateRedis.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ScriptPipeline open(
            String prefix, int connections, RedisFailureListener listener) {
        return ScriptPipeline.open(
                server.settings(prefix), Duration.ofSeconds(2), connections, 64, listener);
    }

    /** One caller's work; {@code index} tells the callers apart. */
    @FunctionalInterface
    interface Caller<T> {
        T call(int index) throws Exception;
    }

    /** Runs {@code task} on {@code THREADS} threads started together; returns their results. */
    private static <T> List<T> concurrently(Caller<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return task.call(index);
                                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnReplyAndEveryCallRunsOnce() throws Exception {
        RedisPortITCase.Counting counting = new RedisPortITCase.Counting();
        try (ScriptPipeline pipeline = open("own", 2, counting)) {
            int perThread = 300;
            List<String> wrong =
                    concurrently(
                            index -> {
                                String me = "c" + index;
                                for (int i = 1; i <= perThread; i++) {
                                    String tag = me + "#" + i;
                                    List<?> r =
                                            (List<?>)
                                                    pipeline.eval(
                                                            INCR_TAGGED,
                                                            1,
                                                            "own:" + me,
                                                            Integer.toString(i),
                                                            tag);
                                    long expected = (long) i * (i + 1) / 2;
                                    if (!r.get(0).equals(expected)
                                            || !tag.equals(new String((byte[]) r.get(1)))) {
                                        return tag + " got " + r.get(0);
                                    }
                                }
                                return null;
                            });
            assertThat(wrong).containsOnlyNulls();
            assertThat(pipeline.calls()).isEqualTo((long) THREADS * perThread);
            assertThat(pipeline.batches())
                    .as("concurrent calls shared round trips")
                    .isLessThan(pipeline.calls());
            assertThat(counting.failed).isEmpty();
        }
    }

    @Test
    void aLoneCallerMakesOneRoundTripPerCall() {
        try (ScriptPipeline pipeline = open("lone", 2, RedisFailureListener.NONE)) {
            // Loaded first, as the limiter does at start: a NOSCRIPT costs a second round trip.
            pipeline.load(INCR_TAGGED);
            for (int i = 1; i <= 50; i++) {
                List<?> r = (List<?>) pipeline.eval(INCR_TAGGED, 1, "lone:n", "1", "x");
                assertThat(r.get(0)).isEqualTo((long) i);
            }
            assertThat(pipeline.batches()).isEqualTo(50);
        }
    }

    @Test
    void anErrorReplyFailsOnlyItsOwnCaller() throws Exception {
        RedisPortITCase.Counting counting = new RedisPortITCase.Counting();
        try (ScriptPipeline pipeline = open("err", 1, counting);
                RedisClient raw = server.client()) {
            raw.hset("err:hash", "f", "v");
            int perThread = 100;
            List<long[]> outcomes =
                    concurrently(
                            index -> {
                                boolean even = index % 2 == 0;
                                String key = even ? "err:hash" : "err:" + index;
                                long ok = 0;
                                long failed = 0;
                                for (int i = 0; i < perThread; i++) {
                                    try {
                                        pipeline.eval(INCR_TAGGED, 1, key, "1", "t");
                                        ok++;
                                    } catch (RedisFailure e) {
                                        assertThat(e).hasMessageContaining("WRONGTYPE");
                                        failed++;
                                    }
                                }
                                return new long[] {even ? 1 : 0, ok, failed};
                            });
            long expectedFailures = 0;
            for (long[] o : outcomes) {
                if (o[0] == 1) {
                    assertThat(o[1]).as("calls on the hash").isZero();
                    assertThat(o[2]).isEqualTo(perThread);
                    expectedFailures += perThread;
                } else {
                    assertThat(o[1]).as("calls on a counter").isEqualTo(perThread);
                    assertThat(o[2]).isZero();
                }
            }
            assertThat(counting.failed)
                    .hasSize((int) expectedFailures)
                    .containsOnly("EVALSHA pipeline-test-incr");
        }
    }

    @Test
    void scriptsForgottenMidLoadAreReloadedInsideTheBatchAndNoCallRunsTwice() throws Exception {
        RedisPortITCase.Counting counting = new RedisPortITCase.Counting();
        try (ScriptPipeline pipeline = open("flush", 2, counting)) {
            int perThread = 200;
            long total = (long) THREADS * perThread;
            Thread flusher =
                    new Thread(
                            () -> {
                                // Five flushes spread over the load, each once a share of the
                                // calls has been answered.
                                for (int i = 1; i <= 5; i++) {
                                    long due = total * i / 6;
                                    await().atMost(Duration.ofSeconds(60))
                                            .pollInterval(Duration.ofMillis(1))
                                            .until(() -> pipeline.calls() >= due);
                                    server.scriptFlush();
                                }
                            });
            flusher.start();
            List<Long> finals =
                    concurrently(
                            index -> {
                                String key = "flush:" + index;
                                long last = 0;
                                for (int i = 0; i < perThread; i++) {
                                    List<?> r =
                                            (List<?>) pipeline.eval(INCR_TAGGED, 1, key, "1", "t");
                                    last = (Long) r.get(0);
                                }
                                return last;
                            });
            flusher.join();
            // Each thread's counter counts its calls exactly: a refused call sent again ran once.
            assertThat(finals).containsOnly((long) perThread);
            assertThat(counting.failed).isEmpty();
            server.scriptFlush();
            // All callers at once after a flush: the batch meets NOSCRIPT and reloads within it.
            List<Long> after =
                    concurrently(
                            index ->
                                    (Long)
                                            ((List<?>)
                                                            pipeline.eval(
                                                                    INCR_TAGGED,
                                                                    1,
                                                                    "flush:" + index,
                                                                    "1",
                                                                    "t"))
                                                    .get(0));
            assertThat(after).containsOnly((long) perThread + 1);
            assertThat(counting.reloads).hasValueGreaterThanOrEqualTo(1);
            assertThat(counting.failed).isEmpty();
        }
    }

    @Test
    void aDeadServerFailsEveryWaitingCallerAndARestartedOneIsUsedAgain() throws Exception {
        RedisPortITCase.Counting counting = new RedisPortITCase.Counting();
        try (PrivateRedis own = PrivateRedis.start();
                ScriptPipeline pipeline =
                        ScriptPipeline.open(
                                own.settings("dead"), Duration.ofMillis(500), 2, 64, counting)) {
            pipeline.load(INCR_TAGGED);
            assertThat(((List<?>) pipeline.eval(INCR_TAGGED, 1, "dead:n", "1", "t")).get(0))
                    .isEqualTo(1L);
            own.stopServer();
            List<Integer> failures =
                    concurrently(
                            index -> {
                                int failed = 0;
                                for (int i = 0; i < 20; i++) {
                                    try {
                                        pipeline.eval(INCR_TAGGED, 1, "dead:n", "1", "t");
                                    } catch (RedisFailure e) {
                                        failed++;
                                    }
                                }
                                return failed;
                            });
            assertThat(failures).containsOnly(20);
            assertThat(counting.failed).isNotEmpty();
            own.startServer();
            // A new, empty server: connections are made anew and the script is loaded again.
            await().atMost(Duration.ofSeconds(20))
                    .ignoreException(RedisFailure.class)
                    .until(
                            () ->
                                    Long.valueOf(1)
                                            .equals(
                                                    ((List<?>)
                                                                    pipeline.eval(
                                                                            INCR_TAGGED,
                                                                            1,
                                                                            "dead:n",
                                                                            "1",
                                                                            "t"))
                                                            .get(0)));
            assertThat(counting.reloads).hasValueGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void closingUnderLoadFailsEveryCallerInsteadOfLeavingOneWaiting() throws Exception {
        ScriptPipeline pipeline = open("closing", 1, RedisFailureListener.NONE);
        pipeline.load(INCR_TAGGED);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int index = t;
                callers.add(
                        pool.submit(
                                () -> {
                                    long calls = 0;
                                    try {
                                        while (true) {
                                            pipeline.eval(
                                                    INCR_TAGGED, 1, "closing:" + index, "1", "t");
                                            calls++;
                                        }
                                    } catch (RedisFailure e) {
                                        return calls;
                                    }
                                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.calls() >= 2000);
            pipeline.close();
            for (Future<Long> f : callers) {
                // Every caller ends with a failure soon after the close, none stays parked.
                assertThat(f.get(10, TimeUnit.SECONDS)).isNotNegative();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedPipelineRefusesCalls() {
        ScriptPipeline pipeline = open("closed", 1, RedisFailureListener.NONE);
        pipeline.eval(INCR_TAGGED, 1, "closed:n", "1", "t");
        pipeline.close();
        assertThatThrownBy(() -> pipeline.eval(INCR_TAGGED, 1, "closed:n", "1", "t"))
                .isInstanceOf(RedisFailure.class)
                .hasMessageContaining("closed");
    }
}
