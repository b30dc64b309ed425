package dev.shoppulse.launcher;

import dev.shoppulse.common.config.ShopPulseConfig;
import java.util.Map;

/**
 * One capability's part in a local run: its jobs, its generated traffic, and its figures. The
 * capability's definition in the registry names the implementing class, which needs a no-argument
 * constructor; {@link LocalRun#capabilities()} creates one per definition.
 */
public interface Capability extends AutoCloseable {
    /** The name of the capability's definition, e.g. {@code orders}. */
    String name();

    /** Submits the capability's jobs to the local cluster. */
    void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception;

    /** Starts generating traffic in the background; returns at once. */
    void startTraffic(ShopPulseConfig config) throws Exception;

    /** A few figures for the progress line, in print order. */
    Map<String, Object> progress();

    /** The figures for the final SUMMARY line, keys prefixed with the capability name. */
    Map<String, Object> summary();

    /** Stops the traffic generator and releases clients. */
    @Override
    void close() throws Exception;
}
