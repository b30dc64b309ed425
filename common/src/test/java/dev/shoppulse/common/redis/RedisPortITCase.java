package dev.shoppulse.common.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.testing.PrivateRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The Redis port against a private redis-server: scripts forgotten, error replies, restarts. */
@Timeout(60)
class RedisPortITCase {
    /** KEYS[1] counter; ARGV[1] increment; returns the new value. */
    static final LuaScript INCR_BY =
            new LuaScript("port-test-incr", "return redis.call('INCRBY', KEYS[1], ARGV[1])");

    private static PrivateRedis server;

    /** Counts what the port reports. */
    static final class Counting implements RedisFailureListener {
        final List<String> failed = new ArrayList<>();
        final AtomicInteger reloads = new AtomicInteger();

        @Override
        public synchronized void failed(String operation, RuntimeException cause) {
            failed.add(operation);
        }

        @Override
        public void scriptReloaded(String script) {
            reloads.incrementAndGet();
        }
    }

    @BeforeAll
    static void startServer() {
        server = PrivateRedis.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void evalReloadsAScriptTheServerForgot() {
        Counting counting = new Counting();
        try (Redis redis = Redis.open(server.settings("single"), counting)) {
            server.scriptFlush();
            assertThat(redis.eval(INCR_BY, List.of("single:n"), List.of("2"))).isEqualTo(2L);
            server.scriptFlush();
            assertThat(redis.eval(INCR_BY, List.of("single:n"), List.of("3"))).isEqualTo(5L);
            server.scriptFlush();
            assertThat(redis.eval(INCR_BY, List.of("single:n"), List.of("1"))).isEqualTo(6L);
            assertThat(counting.reloads).hasValue(3);
            assertThat(counting.failed).isEmpty();
        }
    }

    @Test
    void pipelinedScriptsAreReloadedAndOnlyTheRefusedCommandsRunAgain() {
        Counting counting = new Counting();
        try (Redis redis = Redis.open(server.settings("piped"), counting)) {
            for (int round = 1; round <= 3; round++) {
                server.scriptFlush();
                Redis.Batch batch = redis.batch();
                for (int i = 0; i < 50; i++) {
                    batch.eval(INCR_BY, List.of("piped:" + i), List.of(Integer.toString(i)));
                }
                batch.set("piped:plain", "v" + round, Duration.ofMinutes(1));
                List<Object> replies = batch.run();
                assertThat(replies).hasSize(51);
                for (int i = 0; i < 50; i++) {
                    // Each command ran exactly once per round: a re-run would double the sum.
                    assertThat(replies.get(i)).isEqualTo((long) i * round);
                }
                assertThat(redis.get("piped:plain")).isEqualTo("v" + round);
            }
            assertThat(counting.reloads).as("one load per flushed script per round").hasValue(3);
            assertThat(counting.failed).isEmpty();
        }
    }

    @Test
    void anErrorReplyInsideAPipelineIsThrownAndCountedAfterTheRestRan() {
        Counting counting = new Counting();
        try (Redis redis = Redis.open(server.settings("wrong"), counting);
                RedisClient raw = server.client()) {
            raw.hset("wrong:hash", "f", "v");
            Redis.Batch batch =
                    redis.batch()
                            .eval(INCR_BY, List.of("wrong:a"), List.of("1"))
                            .eval(INCR_BY, List.of("wrong:hash"), List.of("1"))
                            .eval(INCR_BY, List.of("wrong:b"), List.of("1"));
            assertThatThrownBy(batch::run)
                    .isInstanceOf(RedisFailure.class)
                    .hasMessageContaining("1 of 3")
                    .hasMessageContaining("WRONGTYPE");
            assertThat(counting.failed).containsExactly("EVALSHA port-test-incr");
            assertThat(raw.get("wrong:a")).isEqualTo("1");
            assertThat(raw.get("wrong:b")).isEqualTo("1");

            assertThatThrownBy(() -> redis.eval(INCR_BY, List.of("wrong:hash"), List.of("1")))
                    .isInstanceOf(RedisFailure.class)
                    .hasMessageContaining("WRONGTYPE");
            assertThat(counting.failed).hasSize(2);
        }
    }

    @Test
    void aRestartedServerIsReconnectedAndGivenItsScriptsAgain() {
        Counting counting = new Counting();
        try (PrivateRedis own = PrivateRedis.start();
                Redis redis = Redis.open(own.settings("restart"), counting)) {
            assertThat(redis.eval(INCR_BY, List.of("restart:n"), List.of("5"))).isEqualTo(5L);
            own.stopServer();
            assertThatThrownBy(() -> redis.eval(INCR_BY, List.of("restart:n"), List.of("1")))
                    .isInstanceOf(RedisFailure.class);
            assertThatThrownBy(
                            () -> redis.batch().set("restart:x", "1", Duration.ofSeconds(9)).run())
                    .isInstanceOf(RedisFailure.class);
            assertThat(counting.failed).hasSizeGreaterThanOrEqualTo(2);
            own.startServer();
            // Pooled connections to the old process fail once each; the port must not hide that,
            // and must be working again right after.
            await().atMost(Duration.ofSeconds(20))
                    .ignoreException(RedisFailure.class)
                    .until(
                            () ->
                                    Long.valueOf(1)
                                            .equals(
                                                    redis.eval(
                                                            INCR_BY,
                                                            List.of("restart:n"),
                                                            List.of("1"))));
            List<Object> replies =
                    redis.batch().eval(INCR_BY, List.of("restart:n"), List.of("1")).run();
            assertThat(replies).containsExactly(2L);
            assertThat(counting.reloads).hasValueGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void twoScriptsUnderOneNameAreRefused() {
        try (Redis redis = Redis.open(server.settings("names"))) {
            redis.eval(INCR_BY, List.of("names:n"), List.of("1"));
            LuaScript other = new LuaScript(INCR_BY.name(), "return 1");
            assertThatThrownBy(() -> redis.eval(other, List.of(), List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("rename");
        }
    }

    @Test
    void theShaIsRedisOwn() {
        try (Redis redis = Redis.open(server.settings("sha"))) {
            String sha = redis.call("SCRIPT LOAD", r -> r.scriptLoad(INCR_BY.source()));
            assertThat(sha).isEqualTo(INCR_BY.sha());
        }
    }
}
