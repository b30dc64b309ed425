package dev.shoppulse.launcher;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.jobs.flink.JobSetup;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flink MiniCluster in this JVM that runs every job of the local run. Jobs are submitted to its
 * REST endpoint the way {@code flink run} submits to a real cluster. A TaskManager that dies of a
 * fatal error is replaced, and stopping is bounded whatever a task does ({@link #stop}).
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    /** How long {@link #close()} waits for cancelled jobs before it stops the cluster hard. */
    public static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(15);

    private final MiniCluster cluster;
    private final URI rest;
    private final int taskManagers;
    private final Map<JobClient, String> jobs = new LinkedHashMap<>();
    private final ScheduledExecutorService supervisor =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "local-cluster-supervisor");
                        t.setDaemon(true);
                        return t;
                    });
    private int replaced;
    private boolean stopped;
    // Until every started TaskManager has registered (at start, after a replacement), a missing
    // one may just be slow: no replacement for REGISTRATION_GRACE.
    private volatile boolean registering = true;
    private volatile long lastStartNanos = System.nanoTime();

    private static final Duration REGISTRATION_GRACE = Duration.ofSeconds(30);

    private LocalCluster(MiniCluster cluster, URI rest, int taskManagers) {
        this.cluster = cluster;
        this.rest = rest;
        this.taskManagers = taskManagers;
    }

    public static LocalCluster start(ShopPulseConfig config, int slots) throws Exception {
        return start(config, 1, slots);
    }

    /**
     * Starts {@code taskManagers} TaskManagers of {@code slots} slots each. Jobs spread evenly over
     * them, so a TaskManager lost to a fatal error takes down only the jobs that had a task on it
     * (and a replacement starts at once).
     */
    public static LocalCluster start(ShopPulseConfig config, int taskManagers, int slots)
            throws Exception {
        Configuration conf = clusterConfiguration(config, taskManagers);
        MiniCluster mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(taskManagers)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        mini.start();
        LocalCluster local = new LocalCluster(mini, mini.getRestAddress().get(), taskManagers);
        local.supervisor.scheduleWithFixedDelay(
                local::replaceLostTaskManagers, 2, 2, TimeUnit.SECONDS);
        return local;
    }

    /** The cluster's Flink configuration: ShopPulse's job settings plus the cluster's own. */
    static Configuration clusterConfiguration(ShopPulseConfig config, int taskManagers) {
        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.setString("metrics.reporter.local.factory.class", LocalMetrics.class.getName());
        conf.setString("metrics.reporter.local.interval", "1 s");
        conf.set(RestOptions.BIND_PORT, "0");
        // RocksDB lives in managed memory, split evenly across slots: starving it makes every job
        // flush and compact constantly. 1 GiB in all, shared by the TaskManagers.
        conf.setString("taskmanager.memory.managed.size", Math.max(128, 1024 / taskManagers) + "m");
        conf.setString("taskmanager.memory.network.min", "64m");
        conf.setString("taskmanager.memory.network.max", "64m");
        // Flink 2.x spreads slots with this (cluster.evenly-spread-out-slots is gone).
        conf.setString("taskmanager.load-balance.mode", "SLOTS");
        // Flink's cancellation watchdog turns a task that ignores cancellation for 3 min into a
        // fatal error of its TaskManager. In a separate process that exit reclaims the thread;
        // here, in one JVM, it cannot: the thread spins on, and the fatal error only closes the
        // TaskManager under every neighbouring job. So the watchdog is off in the local cluster:
        // a stuck task keeps its job cancelling, its neighbours keep running, and the bounded
        // stop names it and ends the JVM.
        conf.set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ZERO);
        return conf;
    }

    /**
     * MiniCluster closes a TaskManager on a fatal error (an exception inside a task's failure
     * handling, the cancellation watchdog) and never replaces it: every job would then restart
     * until it fails for lack of slots. Starting a replacement is what a process supervisor does
     * for a real TaskManager.
     */
    private void replaceLostTaskManagers() {
        try {
            if (!cluster.isRunning()) {
                return;
            }
            int registered =
                    cluster.getResourceOverview().get(5, TimeUnit.SECONDS).getNumberTaskManagers();
            if (registered >= taskManagers) {
                registering = false;
                return;
            }
            if (registering && System.nanoTime() - lastStartNanos < REGISTRATION_GRACE.toNanos()) {
                return; // started TaskManagers may still be registering on a loaded machine
            }
            LOG.warn(
                    "{} of {} TaskManagers registered (one was lost to a fatal error):"
                            + " starting {} replacement(s)",
                    registered,
                    taskManagers,
                    taskManagers - registered);
            synchronized (this) {
                for (int i = registered; i < taskManagers; i++) {
                    cluster.startTaskManager();
                    replaced++;
                }
            }
            registering = true;
            lastStartNanos = System.nanoTime();
        } catch (Exception e) {
            LOG.warn("TaskManager supervision check failed: {}", e.toString());
        }
    }

    /** TaskManagers started to replace lost ones so far. */
    public synchronized int replacedTaskManagers() {
        return replaced;
    }

    /** The cluster itself, for tests that inject faults. */
    MiniCluster miniCluster() {
        return cluster;
    }

    public URI restAddress() {
        return rest;
    }

    /** Builds a job with {@code wiring} and submits it; returns at once. */
    public JobID submit(
            ShopPulseConfig config, String name, Consumer<StreamExecutionEnvironment> wiring)
            throws Exception {
        return submitJob(config, name, wiring).getJobID();
    }

    /** Like {@link #submit}, returning the client to await or cancel the job. */
    public JobClient submitJob(
            ShopPulseConfig config, String name, Consumer<StreamExecutionEnvironment> wiring)
            throws Exception {
        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        env.setParallelism(config.getInt(dev.shoppulse.common.config.Settings.FLINK_PARALLELISM));
        wiring.accept(env);
        JobClient client = env.executeAsync(name);
        synchronized (jobs) {
            jobs.put(client, name);
        }
        return client;
    }

    public List<JobClient> jobs() {
        synchronized (jobs) {
            return List.copyOf(jobs.keySet());
        }
    }

    /** Stops within {@link #CANCEL_TIMEOUT} plus a few seconds; see {@link #stop}. */
    @Override
    public void close() {
        stop(CANCEL_TIMEOUT);
    }

    /**
     * Cancels every job, waits up to {@code timeout} for them to end, then closes the cluster
     * (waiting at most 5 s more). Returns at the latest then, whatever a task does: a task that
     * ignores cancellation and interrupts is named in the log ({@code job / vertex (subtask)}) and
     * in the result, and left behind for the JVM's exit to end.
     */
    public synchronized List<String> stop(Duration timeout) {
        if (stopped) {
            return List.of();
        }
        stopped = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        supervisor.shutdownNow();
        Map<JobClient, String> all;
        synchronized (jobs) {
            all = new LinkedHashMap<>(jobs);
        }
        for (JobClient j : all.keySet()) {
            j.cancel(); // asynchronous; a finished job just answers with an error
        }
        List<String> stuck = new ArrayList<>();
        for (Map.Entry<JobClient, String> e : all.entrySet()) {
            JobID id = e.getKey().getJobID();
            boolean ended = terminal(id);
            while (!ended && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                ended = terminal(id);
            }
            if (!ended) {
                stuck.addAll(stuckTasks(id, e.getValue()));
            }
        }
        if (!stuck.isEmpty()) {
            String message =
                    String.format(
                            "STOP: tasks still running %d s after their jobs were cancelled (they"
                                    + " ignore cancellation and interrupts); stopping hard: %s",
                            timeout.toSeconds(), stuck);
            LOG.error(message);
            System.out.println(message);
        }
        try {
            cluster.closeAsync().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.error("the local Flink cluster did not shut down within 5 s; leaving it to exit");
        } catch (Exception e) {
            LOG.warn("closing the local Flink cluster failed", e);
        }
        return stuck;
    }

    private boolean terminal(JobID id) {
        try {
            // CANCELED only once every task reported an end: a stuck task keeps it CANCELLING.
            JobStatus s = cluster.getJobStatus(id).get(2, TimeUnit.SECONDS);
            return s.isGloballyTerminalState();
        } catch (TimeoutException e) {
            return false;
        } catch (Exception e) {
            return true; // unknown to the cluster: never started, or already gone
        }
    }

    /** {@code job / task (i/n) STATE} for each task of the job that has not ended. */
    private List<String> stuckTasks(JobID id, String jobName) {
        List<String> out = new ArrayList<>();
        try {
            AccessExecutionGraph g = cluster.getExecutionGraph(id).get(2, TimeUnit.SECONDS);
            for (AccessExecutionVertex v : g.getAllExecutionVertices()) {
                if (!v.getExecutionState().isTerminal()) {
                    out.add(
                            (jobName.isEmpty() ? g.getJobName() : jobName)
                                    + " / "
                                    + v.getTaskNameWithSubtaskIndex()
                                    + " "
                                    + v.getExecutionState());
                }
            }
        } catch (Exception e) {
            // The job is gone from the cluster: nothing of it is running.
        }
        return out;
    }
}
