package dev.shoppulse.launcher.cluster;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.launcher.LocalServices;
import dev.shoppulse.launcher.StopDeadline;
import dev.shoppulse.launcher.orders.OrdersLocal;
import dev.shoppulse.sql.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./shoppulse cluster}: the services of the local run, a multi-process Flink session cluster
 * (one JobManager and {@code cluster.taskmanagers} TaskManager JVMs), every job of the shaded jar
 * submitted over REST, the API, and order traffic; runs until Ctrl-C, then stops within {@link
 * StopDeadline#BOUND}: jobs cancelled and awaited with a deadline, stuck tasks named, processes
 * terminated (SIGKILL after a grace).
 */
public final class ClusterRun {
    private ClusterRun() {}

    public static void run(String[] args) throws Exception {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        Path dir = Path.of(config.get(Settings.CLUSTER_DIR)).toAbsolutePath();
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        // Ctrl-C: the JVM halts once its hooks return, so this one waits for the bounded stop.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.countDown();
                                    try {
                                        done.await(
                                                StopDeadline.BOUND.toSeconds() + 2,
                                                TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "cluster-stop"));
        StopDeadline stopping = null;
        try (LocalServices services = LocalServices.start(config)) {
            config =
                    services.config()
                            .with(
                                    Settings.CHECKPOINT_DIR,
                                    dir.resolve("checkpoints").toUri().toString());
            Migrations.apply(config);
            say("schema  %s migrated", config.get(Settings.POSTGRES_SCHEMA));
            int tms = config.getInt(Settings.CLUSTER_TASKMANAGERS);
            FlinkProcessCluster.Options options =
                    FlinkProcessCluster.Options.of(dir, ClusterArtifacts.flinkClasspath())
                            .withTaskManagers(tms, config.getInt(Settings.CLUSTER_SLOTS))
                            .withRestPort(config.getInt(Settings.CLUSTER_REST_PORT))
                            .withConfig(
                                    Map.of(
                                            "metrics.reporter.prom.factory.class",
                                            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                                            "metrics.reporter.prom.port",
                                            "9249-9260"));
            try (FlinkProcessCluster cluster =
                            FlinkProcessCluster.start(options, Duration.ofSeconds(120));
                    ApiServer api = ApiServer.start(config);
                    OrdersLocal orders = new OrdersLocal()) {
                say(
                        "flink   JobManager pid %d, TaskManagers %s, logs in %s",
                        cluster.jobManagerPid(), cluster.taskManagerIds(), cluster.logDir());
                FlinkRest rest = cluster.rest();
                Path jar = ClusterArtifacts.jobsJar();
                String jarId = rest.uploadJar(jar);
                int parallelism = config.getInt(Settings.FLINK_PARALLELISM);
                List<String> jobIds = new ArrayList<>();
                for (JobDefinition job : ClusterJobs.ALL) {
                    String id =
                            rest.run(
                                    jarId,
                                    job.entryClass(),
                                    ClusterJobs.programArgs(config, job),
                                    parallelism,
                                    null);
                    jobIds.add(id);
                    say("job     %-18s %s  (flink run -c %s)", job.name(), id, job.entryClass());
                }
                config = config.with(Settings.API_PORT, api.port());
                orders.startTraffic(config);
                say("traffic orders at %s/s", config.get(OrdersCapability.LOCAL_ORDERS_PER_S));
                say("api     http://localhost:%d", api.port());
                say(
                        "flink   web UI and REST at %s  (Ctrl-C stops everything)",
                        cluster.restAddress());
                stop.await();
                stopping =
                        StopDeadline.arm(
                                "./shoppulse cluster's stop", StopDeadline.BOUND, List::of, true);
                say("stopping: cancelling %d jobs (at most 15 s) ...", jobIds.size());
                List<String> stuck = rest.cancelAll(jobIds, Duration.ofSeconds(15));
                if (!stuck.isEmpty()) {
                    say(
                            "STOP: tasks still running 15 s after their jobs were cancelled (they"
                                    + " ignore cancellation); killing the processes: %s",
                            stuck);
                }
            }
        } finally {
            if (stopping != null) {
                stopping.close();
            }
            done.countDown();
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                        + " "
                        + String.format(format, args));
    }
}
