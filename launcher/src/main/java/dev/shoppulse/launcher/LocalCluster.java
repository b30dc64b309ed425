package dev.shoppulse.launcher;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.jobs.flink.JobSetup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One Flink MiniCluster in this JVM that runs every job of the local run. Jobs are submitted to its
 * REST endpoint the way {@code flink run} submits to a real cluster.
 */
public final class LocalCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final URI rest;
    private final List<JobClient> jobs = new ArrayList<>();

    private LocalCluster(MiniCluster cluster, URI rest) {
        this.cluster = cluster;
        this.rest = rest;
    }

    public static LocalCluster start(ShopPulseConfig config, int slots) throws Exception {
        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.setString("metrics.reporter.local.factory.class", LocalMetrics.class.getName());
        conf.setString("metrics.reporter.local.interval", "1 s");
        conf.set(RestOptions.BIND_PORT, "0");
        // RocksDB lives in managed memory, split evenly across slots: starving it makes every job
        // flush and compact constantly.
        conf.setString("taskmanager.memory.managed.size", "1g");
        conf.setString("taskmanager.memory.network.min", "64m");
        conf.setString("taskmanager.memory.network.max", "64m");
        MiniCluster mini =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        mini.start();
        return new LocalCluster(mini, mini.getRestAddress().get());
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
        jobs.add(client);
        return client;
    }

    public List<JobClient> jobs() {
        return List.copyOf(jobs);
    }

    @Override
    public void close() throws Exception {
        for (JobClient j : jobs) {
            try {
                j.cancel().get();
            } catch (Exception e) {
                // Already finished or failed: nothing to cancel.
            }
        }
        cluster.close();
    }
}
