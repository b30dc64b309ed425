package dev.shoppulse.launcher;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.capability.Capabilities;
import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.sql.Migrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code ./shoppulse local}: the whole pipeline on one machine. Starts the services, applies the
 * migrations, submits every job to a local cluster, starts the API and the traffic generators,
 * prints progress, and ends (after {@code --duration}, or on Ctrl-C) with one {@code SUMMARY} line.
 */
public final class LocalRun {
    private LocalRun() {}

    /**
     * Every capability of the local run, in registry order: each definition names the class of its
     * local traffic ({@link CapabilityDefinition#localTraffic()}), created here.
     */
    static List<Capability> capabilities() {
        List<Capability> caps = new ArrayList<>();
        for (CapabilityDefinition definition : Capabilities.ALL) {
            caps.add(localTraffic(definition));
        }
        return caps;
    }

    /** The local part of {@code definition}, checked to answer to the definition's name. */
    static Capability localTraffic(CapabilityDefinition definition) {
        Capability cap;
        try {
            cap =
                    Class.forName(definition.localTraffic())
                            .asSubclass(Capability.class)
                            .getDeclaredConstructor()
                            .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(
                    "capability "
                            + definition.name()
                            + ": local traffic class "
                            + definition.localTraffic()
                            + " is not a Capability with a no-argument constructor",
                    e);
        }
        if (!cap.name().equals(definition.name())) {
            throw new IllegalStateException(
                    definition.localTraffic()
                            + " calls itself "
                            + cap.name()
                            + ", its definition "
                            + definition.name());
        }
        return cap;
    }

    /**
     * Runs until the duration passes or Ctrl-C; returns the SUMMARY figures it printed. Stopping
     * takes at most {@link StopDeadline#BOUND}: past it, the stuck tasks are named and the JVM
     * halts.
     */
    public static Map<String, Object> run(String[] args) throws Exception {
        return run(args, true);
    }

    /** {@link #run(String[])}; {@code haltOnOverrun} false (tests) only logs an overrun. */
    static Map<String, Object> run(String[] args, boolean haltOnOverrun) throws Exception {
        ShopPulseConfig config = ShopPulseConfig.load(aliases(args));
        Duration duration = config.getDuration(Settings.LOCAL_DURATION);
        List<Capability> caps = capabilities();
        CountDownLatch stop = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Map<String, Object> summary;
        CountDownLatch done = new CountDownLatch(1);
        // On Ctrl-C the JVM halts once its hooks return: keep this one waiting until the run has
        // wound down and printed its SUMMARY (the stop deadline bounds that wait).
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                done.await(StopDeadline.BOUND.toSeconds() + 2, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "local-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        long started = System.nanoTime();
        StopDeadline stopping = null;
        try (LocalServices services = LocalServices.start(config)) {
            config = services.config();
            var migrated = Migrations.apply(config);
            Log.info(
                    "schema  %s migrated to version %s",
                    config.get(Settings.POSTGRES_SCHEMA),
                    migrated.targetSchemaVersion == null
                            ? "current"
                            : migrated.targetSchemaVersion);
            // Five TaskManagers of four slots: a TaskManager lost to a fatal error takes down only
            // the jobs with a task on it, which find spare slots on the others at once (and a
            // replacement starts).
            try (LocalCluster cluster = LocalCluster.start(config, 5, 4);
                    ApiServer api = ApiServer.start(config)) {
                Log.info("flink   local cluster REST at %s", cluster.restAddress());
                Log.info(
                        "api     http://localhost:%d  (try /health; scoped routes: README, REST API)",
                        api.port());
                // ratelimit: traffic generators call the API on the port it really got (0 = any).
                config = config.with(Settings.API_PORT, api.port());
                for (Capability c : caps) {
                    c.submitJobs(cluster, config);
                    c.startTraffic(config);
                    Log.info("%-7s jobs submitted, traffic started", c.name());
                }
                Duration every = config.getDuration(Settings.LOCAL_PROGRESS_INTERVAL);
                long deadline = duration.isZero() ? Long.MAX_VALUE : started + duration.toNanos();
                while (!stop.await(
                        Math.min(every.toNanos(), Math.max(1, deadline - System.nanoTime())),
                        TimeUnit.NANOSECONDS)) {
                    printProgress(caps);
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                }
                // Ended by its duration, the run lets the jobs read what was sent before it sums
                // up (a Ctrl-C ends that wait at once).
                Duration drain =
                        stop.getCount() == 0
                                ? Duration.ZERO
                                : config.getDuration(Settings.LOCAL_DRAIN_TIMEOUT);
                // From here on the stop is bounded, whatever a task or a generator does.
                stopping =
                        StopDeadline.arm(
                                "./shoppulse local's stop",
                                StopDeadline.BOUND.plus(drain),
                                List::of,
                                haltOnOverrun);
                for (Capability c : caps) {
                    c.close();
                }
                awaitDrained(caps, drain, stop);
                // Let the last checkpoint commit what is in flight before the figures are read.
                Thread.sleep(
                        Math.min(
                                3000,
                                2 * config.getDuration(Settings.CHECKPOINT_INTERVAL).toMillis()));
                summary = printSummary(caps, System.nanoTime() - started);
                finished.set(true);
                // Keep 8 s of the bound for the API, the services and the JVM's exit.
                Duration cancel = stopping.remaining().minusSeconds(8);
                cluster.stop(
                        cancel.compareTo(LocalCluster.CANCEL_TIMEOUT) > 0
                                ? LocalCluster.CANCEL_TIMEOUT
                                : cancel.isNegative() ? Duration.ofSeconds(1) : cancel);
            }
        } finally {
            if (stopping != null) {
                stopping.close();
            }
            done.countDown();
            if (finished.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Already shutting down (Ctrl-C): nothing to remove.
                }
            }
        }
        return summary;
    }

    /** Waits until every capability is drained, {@code bound} passes or {@code stop} opens. */
    private static void awaitDrained(List<Capability> caps, Duration bound, CountDownLatch stop)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        boolean said = false;
        while (System.nanoTime() < deadline) {
            List<String> behind =
                    caps.stream().filter(c -> !c.drained()).map(Capability::name).toList();
            if (behind.isEmpty()) {
                return;
            }
            if (!said) {
                Log.info(
                        "drain   waiting up to %ss for %s to read what was sent",
                        bound.toSeconds(), String.join(", ", behind));
                said = true;
            }
            if (stop.await(200, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        Log.info(
                "drain   not drained within %ss; the SUMMARY counts what was read",
                bound.toSeconds());
    }

    private static void printProgress(List<Capability> caps) {
        List<String> parts = new ArrayList<>();
        for (Capability c : caps) {
            parts.add(
                    c.name()
                            + " "
                            + c.progress().entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .collect(Collectors.joining(" ")));
        }
        Log.info("%s", String.join(" | ", parts));
    }

    private static Map<String, Object> printSummary(List<Capability> caps, long elapsedNanos) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("elapsed_s", TimeUnit.NANOSECONDS.toSeconds(elapsedNanos));
        for (Capability c : caps) {
            all.putAll(c.summary());
        }
        Log.raw(
                "SUMMARY "
                        + all.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(" ")));
        return all;
    }

    /** Short flags of the local run mapped to their settings, e.g. --duration → local.duration. */
    static String[] aliases(String[] args) {
        String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].equals("--duration") || out[i].startsWith("--duration=")) {
                out[i] = out[i].replace("--duration", "--local.duration");
            }
        }
        return out;
    }
}
