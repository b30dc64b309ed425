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

    /**
     * Whether the capability's jobs have read everything its generators sent (each record parsed or
     * dead-lettered), so that its SUMMARY counts compare with what was sent. Asked after the
     * traffic stopped; a capability whose figures need no such wait answers true.
     */
    default boolean drained() {
        return true;
    }

    /** A few figures for the progress line, in print order. */
    Map<String, Object> progress();

    /** The figures for the final SUMMARY line, keys prefixed with the capability name. */
    Map<String, Object> summary();

    /** Stops the traffic generator and releases clients. */
    @Override
    void close() throws Exception;
}
