package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.TestJobs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * The notification job while what it depends on misbehaves, with the provider simulator as the
 * oracle: Redis restarted empty at full backlog, a long 429 storm, hostile Retry-After values.
 * Time-scaled by 1/60 like {@link NotificationJobITCase}: a 1 s provider window stands for 60 s,
 * {@code notifications.max-retry-after} 2 s for 120 s, a 15 s storm for 15 minutes and a 10 s
 * checkpoint timeout for Flink's default 10 minutes.
 */
@Timeout(150)
class NotificationFaultsITCase {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationFaultsITCase.class);
    private static final Duration WINDOW = Duration.ofSeconds(1);

    @RegisterExtension static final MiniClusterExtension MINI = TestJobs.miniCluster(8);

    @TempDir Path checkpoints;
    private ShopPulseConfig config;
    private ProviderSimulator provider;
    private JobClient job;

    private void setUp(int limit) {
        provider = ProviderSimulator.start(limit, WINDOW);
        config =
                NotificationRig.config(provider, limit, 4, checkpoints)
                        .with(Settings.CHECKPOINT_INTERVAL, "500ms")
                        .with(NotificationsCapability.NOTIFY_MAX_RETRY_AFTER, "2s")
                        .with(NotificationsCapability.NOTIFY_SINK_PARALLELISM, 2);
    }

    @BeforeEach
    void noJobYet() {
        job = null;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                // Already failed or finished: the assertions say why.
            }
        }
        if (provider != null) {
            provider.close();
        }
        if (config != null) {
            TestServices.cleanUp(config);
        }
    }

    @Test
    void redisRestartedEmptyAtFullBacklogBreaksNoProviderWindowAndLosesNothing() throws Exception {
        // A lower limit keeps the sink at the ceiling on a loaded machine: that is when a limiter
        // that forgets its log lets a window overflow.
        int limit = 100;
        setUp(limit);
        try (PrivateRedis redis = PrivateRedis.start()) {
            config = redis.pointedAt(config);
            Set<String> expected = NotificationRig.produceUsers(config, "r", 1200);
            job = start(NotificationRig.restartNone(config));

            await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 250);
            int before = provider.calls().size();
            redis.restart();
            long restartedAt = System.nanoTime();
            LOG.info("redis restarted empty after {} provider calls", before);

            await().atMost(Duration.ofSeconds(90)).until(() -> provider.acceptedCount() >= 1200);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(provider.acceptedKeys()).isEqualTo(expected);
            assertThat(perUser()).allSatisfy((u, n) -> assertThat(n).isEqualTo(1));
            assertThat(provider.violations()).as("windows over the limit").isZero();
            assertThat(provider.liveViolations()).isZero();
            assertThat(provider.maxCallsInAnyWindow()).isLessThanOrEqualTo(limit);
            assertThat(provider.replays()).as("calls repeated under an accepted key").isZero();
            // The limiter noticed the loss: its marker is back in the new server's log.
            try (RedisClient r = RedisClient.create("127.0.0.1", redis.port())) {
                assertThat(
                                r.zscore(
                                        config.get(Settings.REDIS_KEY_PREFIX) + ":notify:calls",
                                        SlidingLogLimiter.EPOCH))
                        .isEqualTo(Double.POSITIVE_INFINITY);
            }
            long gap = longestGapMs(provider.calls().subList(before, provider.calls().size()));
            LOG.info(
                    "redis restart: {} calls, longest gap after the restart {} ms, {} s to"
                            + " deliver the rest",
                    provider.calls().size(),
                    gap,
                    (System.nanoTime() - restartedAt) / 1_000_000_000);
            // The oracle is the simulator's window count above. The pause itself shows as a gap:
            // calls granted before the loss may still land just after it, and call times are
            // whole milliseconds taken on a loaded machine, so the gap is asked to be 0.4 of a
            // window (400 ms), forty times the 10 ms between calls at this limit without a pause.
            assertThat(gap)
                    .as("the limiter paused after the loss")
                    .isGreaterThanOrEqualTo(WINDOW.toMillis() * 2 / 5);
        }
    }

    @Test
    void aFifteenMinute429StormNeitherFailsTheJobNorBreaksTheCeilingAndEverythingIsDeliveredAfter()
            throws Exception {
        setUp(200);
        Set<String> expected = NotificationRig.produceUsers(config, "s", 600);
        // Every call is answered 429 with Retry-After 900 s: 15 minutes, longer than the clamp
        // and than the checkpoint timeout.
        provider.failRandomly(1.0, 900, 0, 11);
        Configuration flink = NotificationRig.restartNone(config);
        flink.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, Duration.ofSeconds(10));
        job = start(flink);

        await().atMost(Duration.ofSeconds(90)).until(() -> provider.calls().size() >= 20);
        long completedBefore = checkpoints("completed");
        long failedBefore = checkpoints("failed");
        long stormStart = System.nanoTime();
        // The storm's length is the test's input (15 minutes, scaled), not a wait for a result.
        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
        long completedFirstTen = checkpoints("completed") - completedBefore;
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        long completedDuring = checkpoints("completed") - completedBefore;
        long failedDuring = checkpoints("failed") - failedBefore;
        int stormCalls = provider.calls().size();
        LOG.info(
                "429 storm of {} s: {} checkpoints completed ({} in the last 5 s), {} failed, {}"
                        + " provider calls",
                (System.nanoTime() - stormStart) / 1_000_000_000,
                completedDuring,
                completedDuring - completedFirstTen,
                failedDuring,
                stormCalls);
        LOG.info("checkpoint statistics during the storm: {}", rest("/checkpoints"));
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(provider.acceptedCount()).isZero();
        // No barrier waits for a pause: a checkpoint waits at most for the calls on the wire, a
        // throttled permit or a backoff (about a window + lease = 3 s, scaled), far below the
        // 10 s timeout. Allowing each checkpoint that 3 s plus the 0.5 s interval still leaves
        // 4 in a 15 s storm, and at least one in its last 5 s: they keep completing, not only
        // at its start. Held by a pause, as before, none completes at all.
        assertThat(completedDuring)
                .as("checkpoints completed during the storm")
                .isGreaterThanOrEqualTo(4);
        assertThat(completedDuring - completedFirstTen)
                .as("checkpoints completed in the storm's last 5 s")
                .isPositive();
        // At most one burst of calls per clamp period, not one per notification per 2 s.
        assertThat(stormCalls).isLessThan(15 * 200);

        provider.failRandomly(0, 1, 0, 11);
        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 600);
        LOG.info(
                "after the storm: {} provider calls, {} windows over the limit, at most {} calls"
                        + " in a window",
                provider.calls().size(),
                provider.violations(),
                provider.maxCallsInAnyWindow());
        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        assertThat(provider.violations()).as("windows over the limit").isZero();
        assertThat(provider.replays()).as("calls repeated under an accepted key").isZero();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void hostileRetryAfterValuesNeitherThrowNorStallBeyondTheClamp() throws Exception {
        setUp(200);
        config = config.with(NotificationsCapability.NOTIFY_MAX_RETRY_AFTER, "500ms");
        provider.throttleWith(
                0.05,
                List.of(
                        "9223372036854775807",
                        "9223372036854775808",
                        "-5",
                        "soon",
                        "1e999",
                        "Fri, 31 Dec 9999 23:59:59 GMT",
                        "x".repeat(2000)),
                5);
        Set<String> expected = NotificationRig.produceUsers(config, "h", 300);
        job = start(NotificationRig.restartNone(config));

        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 300);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        List<ProviderSimulator.Call> calls = provider.calls();
        assertThat(calls).filteredOn(c -> c.status() == 429).hasSizeGreaterThan(10);
        assertThat(provider.violations()).isZero();
        long gap = longestGapMs(calls);
        LOG.info("hostile Retry-After: {} calls, longest gap {} ms", calls.size(), gap);
        // Clamp 500 ms; the rest is a loaded machine's scheduling.
        assertThat(gap).as("longest pause between calls").isLessThan(5_000);
    }

    // --- helpers ---------------------------------------------------------------------------

    private Map<String, Long> perUser() {
        return provider.accepted().stream()
                .collect(
                        Collectors.groupingBy(
                                ProviderSimulator.Accepted::userId, Collectors.counting()));
    }

    private static long longestGapMs(List<ProviderSimulator.Call> calls) {
        long gap = 0;
        for (int i = 1; i < calls.size(); i++) {
            gap = Math.max(gap, calls.get(i).atMs() - calls.get(i - 1).atMs());
        }
        return gap;
    }

    /** A count from the job's checkpoint statistics (REST {@code /jobs/:id/checkpoints}). */
    private long checkpoints(String count) throws Exception {
        return Json.MAPPER.readTree(rest("/checkpoints")).path("counts").path(count).asLong();
    }

    /** The body of a REST call under {@code /jobs/:id}. */
    private String rest(String path) throws Exception {
        Configuration client = MINI.getClientConfiguration();
        URI rest =
                URI.create(
                        "http://"
                                + client.get(RestOptions.ADDRESS)
                                + ":"
                                + client.get(RestOptions.PORT));
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                rest.resolve("/jobs/" + job.getJobID() + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private JobClient start(Configuration flink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        NotificationJob.topology(
                NotificationJob.source(env, config), config, NotificationJob.sinks(config));
        return env.executeAsync(NotificationJob.NAME);
    }
}
