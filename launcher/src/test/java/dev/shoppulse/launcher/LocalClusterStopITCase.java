package dev.shoppulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster's stop is bounded whatever a task does, and a TaskManager lost to a fatal error
 * takes down only the jobs that ran on it: it is replaced and its jobs recover.
 */
class LocalClusterStopITCase {
    @TempDir Path dir;
    private Path release;
    private LocalCluster cluster;

    @AfterEach
    void tearDown() throws Exception {
        // Let the stuck operator's thread end, and wait until it has: it must not outlive the
        // test. (Its release file is in the test's temporary directory, which goes right after
        // this method; a thread that had not yet seen the file would then spin for ever, and
        // Flink's cancellation watchdog ends a JVM whose task never exits.)
        if (release != null) {
            Files.createFile(release);
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    Thread.getAllStackTraces().keySet().stream()
                                            .noneMatch(
                                                    t ->
                                                            t.isAlive()
                                                                    && t.getName()
                                                                            .contains(
                                                                                    "stuck-operator")));
        }
        if (cluster != null) {
            cluster.stop(Duration.ofSeconds(10));
        }
    }

    private ShopPulseConfig config() {
        return ShopPulseConfig.defaults()
                .with(Settings.CHECKPOINT_DIR, dir.resolve("cp").toUri().toString())
                .with(Settings.CHECKPOINT_INTERVAL, "1s")
                .with(Settings.RESTART_ATTEMPTS, 100)
                .with(Settings.FLINK_PARALLELISM, 1);
    }

    @Test
    @Timeout(120)
    void stopReturnsWithinItsDeadlineAndNamesATaskThatIgnoresCancellation() throws Exception {
        ShopPulseConfig config = config();
        cluster = LocalCluster.start(config, 2, 2);
        release = dir.resolve("release");
        Path started = dir.resolve("started");
        JobClient neighbour =
                cluster.submitJob(
                        config,
                        "neighbour-job",
                        env ->
                                env.fromSequence(0, Long.MAX_VALUE)
                                        .map(new Throttle())
                                        .name("throttle")
                                        .sinkTo(new DiscardingSink<>()));
        JobClient stuckJob =
                cluster.submitJob(
                        config,
                        "stuck-job",
                        env ->
                                env.fromSequence(0, Long.MAX_VALUE)
                                        .map(new IgnoresCancellation(started, release))
                                        .name("stuck-operator")
                                        .sinkTo(new DiscardingSink<>()));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> neighbour.getJobStatus().get() == JobStatus.RUNNING);

        long t0 = System.nanoTime();
        List<String> stuck = cluster.stop(Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        // 5 s for the cancellation, at most 5 s for the cluster's close, and polling slack.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(stuck)
                .as("the stuck task is named, job and vertex")
                .singleElement()
                .asString()
                .contains("stuck-job / ")
                .contains("stuck-operator")
                .contains("CANCELING");
        assertThat(stuckJob.getJobID()).isNotEqualTo(neighbour.getJobID());
    }

    @Test
    @Timeout(120)
    void aLostTaskManagerIsReplacedAndOnlyItsOwnJobsRestart() throws Exception {
        ShopPulseConfig config = config();
        // One slot per TaskManager: each job runs on its own.
        cluster = LocalCluster.start(config, 2, 1);
        JobClient a = submitThrottled(config, "job-a");
        JobClient b = submitThrottled(config, "job-b");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> running(a.getJobID()) && running(b.getJobID()));

        // What MiniCluster does on a TaskManager's fatal error: close that TaskManager.
        cluster.miniCluster().terminateTaskManager(0).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.replacedTaskManagers() == 1);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> running(a.getJobID()) && running(b.getJobID()));
        long restartsA = restarts(a.getJobID());
        long restartsB = restarts(b.getJobID());
        assertThat(restartsA + restartsB)
                .as(
                        "exactly the job on the lost TaskManager restarted (restarts a=%d b=%d)",
                        restartsA, restartsB)
                .isEqualTo(1);
    }

    private JobClient submitThrottled(ShopPulseConfig config, String name) throws Exception {
        return cluster.submitJob(
                config,
                name,
                env ->
                        env.fromSequence(0, Long.MAX_VALUE)
                                .map(new Throttle())
                                .name("throttle")
                                .sinkTo(new DiscardingSink<>()));
    }

    private boolean running(JobID id) throws Exception {
        var g = cluster.miniCluster().getExecutionGraph(id).get();
        if (g.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (var v : g.getAllExecutionVertices()) {
            if (v.getExecutionState()
                    != org.apache.flink.runtime.execution.ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    private long restarts(JobID id) throws Exception {
        var g = cluster.miniCluster().getExecutionGraph(id).get();
        long attempts = 0;
        for (var v : g.getAllExecutionVertices()) {
            attempts = Math.max(attempts, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return attempts;
    }

    /** Passes records on slowly: a job that runs until cancelled without burning a core. */
    static final class Throttle implements MapFunction<Long, Long> {
        @Override
        public Long map(Long v) throws Exception {
            Thread.sleep(10);
            return v;
        }
    }

    /**
     * Blocks on its first record until {@code release} exists, swallowing every interrupt: the
     * shape of a task that cannot be cancelled (a long loop that never checks).
     */
    static final class IgnoresCancellation implements MapFunction<Long, Long> {
        private final String started;
        private final String release;

        IgnoresCancellation(Path started, Path release) {
            this.started = started.toString();
            this.release = release.toString();
        }

        @Override
        public Long map(Long v) throws Exception {
            Files.writeString(Path.of(started), "1");
            while (!Files.exists(Path.of(release))) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    // deliberately ignored
                }
            }
            return v;
        }
    }
}
