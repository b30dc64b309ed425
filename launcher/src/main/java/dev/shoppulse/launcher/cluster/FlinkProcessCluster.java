package dev.shoppulse.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster as separate JVM processes on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and any number of TaskManagers ({@code
 * TaskManagerRunner}), started the way Flink's {@code jobmanager.sh}/{@code taskmanager.sh} start
 * them (same memory-derived JVM flags and dynamic properties), from a classpath resolved from Maven
 * Central instead of a distribution's {@code lib/}.
 */
public final class FlinkProcessCluster implements AutoCloseable {
    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    /** The module openings Flink's distribution passes on Java 17 (as in {@code ./shoppulse}). */
    static final List<String> ADD_OPENS =
            Arrays.stream(
                            new String[] {
                                "java.lang",
                                "java.net",
                                "java.io",
                                "java.nio",
                                "sun.nio.ch",
                                "java.lang.reflect",
                                "java.text",
                                "java.time",
                                "java.util",
                                "java.util.concurrent",
                                "java.util.concurrent.atomic",
                                "java.util.concurrent.locks"
                            })
                    .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
                    .toList();

    /** How to start the cluster. {@code restPort} 0 picks a free port. */
    public record Options(
            Path workDir,
            String classpath,
            int taskManagers,
            int slotsPerTaskManager,
            int restPort,
            Map<String, String> extraConfig) {
        public static Options of(Path workDir, String classpath) {
            return new Options(workDir, classpath, 2, 2, 0, Map.of());
        }

        public Options withTaskManagers(int n, int slots) {
            return new Options(workDir, classpath, n, slots, restPort, extraConfig);
        }

        public Options withRestPort(int port) {
            return new Options(
                    workDir, classpath, taskManagers, slotsPerTaskManager, port, extraConfig);
        }

        public Options withConfig(Map<String, String> extra) {
            return new Options(
                    workDir, classpath, taskManagers, slotsPerTaskManager, restPort, extra);
        }
    }

    private final Options options;
    private final Path confDir;
    private final Path logDir;
    private final Map<String, String> config;
    private final URI rest;
    private Process jobManager;
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    private int nextTaskManager = 1;
    private int restarted;
    private volatile boolean closing;
    private final java.util.concurrent.ScheduledExecutorService supervisor =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "flink-cluster-supervisor");
                        t.setDaemon(true);
                        return t;
                    });
    // The processes must not outlive this JVM (Ctrl-C, a test JVM killed on timeout).
    private final Thread reaper = new Thread(this::stopProcesses, "flink-cluster-reaper");

    private FlinkProcessCluster(Options options, Map<String, String> config, int restPort) {
        this.options = options;
        this.confDir = options.workDir().resolve("conf");
        this.logDir = options.workDir().resolve("log");
        this.config = config;
        this.rest = URI.create("http://127.0.0.1:" + restPort);
    }

    /**
     * Writes {@code conf/config.yaml}, starts the JobManager and the TaskManagers, and returns once
     * the REST API answers and every TaskManager has registered.
     */
    public static FlinkProcessCluster start(Options options, Duration timeout) throws Exception {
        Path work = options.workDir().toAbsolutePath();
        int restPort = options.restPort() == 0 ? freePort() : options.restPort();
        Map<String, String> conf = configuration(work, options, restPort, freePort());
        FlinkProcessCluster cluster = new FlinkProcessCluster(options, conf, restPort);
        Runtime.getRuntime().addShutdownHook(cluster.reaper);
        try {
            cluster.writeConf();
            cluster.startJobManager();
            FlinkRest rest = cluster.rest();
            rest.awaitReady(timeout);
            for (int i = 0; i < options.taskManagers(); i++) {
                cluster.startTaskManager();
            }
            // Supervised from the start: a TaskManager that fails to come up is started again.
            cluster.supervisor.scheduleWithFixedDelay(
                    cluster::restartDeadTaskManagers, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            rest.awaitTaskManagers(options.taskManagers(), timeout);
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** The Flink configuration of every process: sized for a small shared machine. */
    static Map<String, String> configuration(
            Path work, Options options, int restPort, int rpcPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        c.put("jobmanager.bind-host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("taskmanager.host", "localhost");
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", String.valueOf(restPort));
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.memory.process.size", "1280m");
        // RocksDB lives in managed memory; the rest of the budget is heap and network buffers.
        c.put("taskmanager.memory.managed.size", "256m");
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(options.slotsPerTaskManager()));
        c.put("parallelism.default", "1");
        c.put("state.backend.type", "rocksdb");
        c.put("execution.checkpointing.incremental", "true");
        c.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        c.put(
                "execution.checkpointing.savepoint-dir",
                work.resolve("savepoints").toUri().toString());
        // A killed TaskManager is noticed within seconds anyway: its heartbeat RPCs fail (two
        // failures, heartbeat.rpc-failure-threshold, declare it gone). The timeout only covers a
        // TaskManager that is alive but silent; 30 s keeps a busy one on a loaded machine from
        // being declared dead (8 s did, while seven jobs were being deployed).
        c.put("heartbeat.interval", "1000");
        c.put("heartbeat.timeout", "30000");
        // More time for RPC asks and the RPC system's start on a loaded machine (at a load of
        // 40-80 a TaskManager's actor system still timed out after 10 s in Pekko's remoting
        // start, which this does not cover: the supervisor then starts the TaskManager again).
        c.put("pekko.startup-timeout", "60 s");
        c.put("pekko.ask.timeout", "30 s");
        // Spread jobs over the TaskManagers (Flink 2.x; cluster.evenly-spread-out-slots is gone).
        c.put("taskmanager.load-balance.mode", "SLOTS");
        // One job never takes down its neighbours through Flink's own failover: a failed task
        // restarts only its pipelined region of its own job (the default, stated here because
        // the isolation depends on it). What does cross jobs is a TaskManager's fatal error (an
        // exception inside a task's failure handling, or a task ignoring cancellation for
        // task.cancellation.timeout): the process exits and every job with a task on it fails
        // over. Halting (instead of a graceful JVM shutdown that a stuck thread can hold up)
        // makes that exit certain and quick, and the supervisor below starts a replacement.
        c.put("jobmanager.execution.failover-strategy", "region");
        c.put("cluster.processes.halt-on-fatal-error", "true");
        c.put("task.cancellation.timeout", "60 s");
        c.put("io.tmp.dirs", work.resolve("tmp").toString());
        c.put("web.upload.dir", work.resolve("uploads").toString());
        c.put("web.submit.enable", "true");
        c.putAll(options.extraConfig());
        return c;
    }

    private void writeConf() throws IOException {
        Files.createDirectories(confDir);
        Files.createDirectories(logDir);
        for (String d : List.of("tmp", "uploads", "checkpoints", "savepoints")) {
            Files.createDirectories(options.workDir().toAbsolutePath().resolve(d));
        }
        // Flink 2.x reads standard YAML; flat dotted keys are valid there.
        String yaml =
                config.entrySet().stream()
                        .map(e -> e.getKey() + ": " + quote(e.getValue()))
                        .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(confDir.resolve("config.yaml"), yaml);
        Files.writeString(
                confDir.resolve("log4j.properties"),
                """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = MainAppender
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                appender.main.name = MainAppender
                appender.main.type = File
                appender.main.fileName = ${sys:log.file}
                appender.main.layout.type = PatternLayout
                appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n
                """);
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:,=-]*") && !v.contains(": ") ? v : "'" + v + "'";
    }

    private void startJobManager() throws IOException {
        Configuration conf = Configuration.fromMap(config);
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        List<String> cmd = new ArrayList<>();
        cmd.addAll(javaCommand("jobmanager"));
        cmd.addAll(words(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
        cmd.add(JOB_MANAGER_MAIN);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        cmd.addAll(words(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        jobManager = launch(cmd, "jobmanager");
    }

    /** Starts one more TaskManager process; returns its resource id. */
    public synchronized String startTaskManager() throws IOException {
        String id = "tm-" + nextTaskManager++;
        Configuration conf = Configuration.fromMap(config);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> cmd = new ArrayList<>();
        cmd.addAll(javaCommand(id));
        cmd.addAll(words(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        cmd.add(TASK_MANAGER_MAIN);
        cmd.add("--configDir");
        cmd.add(confDir.toString());
        cmd.addAll(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        cmd.add("-D");
        cmd.add("taskmanager.resource-id=" + id);
        taskManagers.put(id, launch(cmd, id));
        return id;
    }

    /**
     * What a process supervisor (systemd, Kubernetes) does: a TaskManager process that exited by
     * itself (a fatal error) is replaced by a new one. One killed through {@link #killTaskManager}
     * is not: the caller decides.
     */
    private synchronized void restartDeadTaskManagers() {
        if (closing) {
            return;
        }
        for (Map.Entry<String, Process> e : List.copyOf(taskManagers.entrySet())) {
            if (!e.getValue().isAlive()) {
                taskManagers.remove(e.getKey());
                try {
                    String id = startTaskManager();
                    restarted++;
                    org.slf4j.LoggerFactory.getLogger(FlinkProcessCluster.class)
                            .warn(
                                    "TaskManager {} exited with status {} (see {}): started {}",
                                    e.getKey(),
                                    e.getValue().exitValue(),
                                    logDir.resolve(e.getKey() + ".log"),
                                    id);
                } catch (IOException ex) {
                    org.slf4j.LoggerFactory.getLogger(FlinkProcessCluster.class)
                            .error("could not restart TaskManager {}", e.getKey(), ex);
                }
            }
        }
    }

    /** TaskManager processes that exited by themselves and were replaced. */
    public synchronized int restartedTaskManagers() {
        return restarted;
    }

    /** SIGKILLs a TaskManager process: no shutdown hook, no goodbye to the JobManager. */
    public synchronized void killTaskManager(String id) throws InterruptedException {
        Process p = taskManagers.remove(id);
        if (p == null) {
            throw new IllegalArgumentException("no running TaskManager " + id);
        }
        p.destroyForcibly();
        p.waitFor();
    }

    public synchronized List<String> taskManagerIds() {
        return List.copyOf(taskManagers.keySet());
    }

    public synchronized long taskManagerPid(String id) {
        return taskManagers.get(id).pid();
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    private List<String> javaCommand(String name) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ADD_OPENS);
        cmd.add("-Dlog.file=" + logDir.resolve(name + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(options.classpath());
        return cmd;
    }

    private Process launch(List<String> cmd, String name) throws IOException {
        Path out = logDir.resolve(name + ".out");
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI restAddress() {
        return rest;
    }

    public FlinkRest rest() {
        return new FlinkRest(rest);
    }

    public Path logDir() {
        return logDir;
    }

    public Path workDir() {
        return options.workDir().toAbsolutePath();
    }

    /**
     * Stops every process within {@link #STOP_GRACE} and a little: SIGTERM to all, SIGKILL to
     * whatever is still alive at the deadline (the cluster keeps nothing worth saving).
     */
    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the reaper does the work.
        }
        stopProcesses();
    }

    /** How long the processes get between SIGTERM and SIGKILL, all together. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private synchronized void stopProcesses() {
        closing = true;
        List<Process> all = new ArrayList<>(taskManagers.values());
        if (jobManager != null) {
            all.add(jobManager);
        }
        taskManagers.clear();
        all.forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : all) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        for (Process p : all) {
            try {
                p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
