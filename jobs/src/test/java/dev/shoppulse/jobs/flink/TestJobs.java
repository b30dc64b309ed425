package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.testing.TestServices;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The start and end of every job ITCase: one MiniCluster a class; cancel, then drop what it
 * isolated.
 */
public final class TestJobs {
    private TestJobs() {}

    /**
     * One TaskManager with {@code slots} slots: enough for the job's parallelism and, where a test
     * runs two jobs at once, for both.
     */
    public static MiniClusterExtension miniCluster(int slots) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .build());
    }

    /**
     * Cancels {@code job} (if one was started), closes the test's private servers (after the job,
     * so it never sees them go) and drops what {@code config} isolated.
     */
    public static void cancelAndCleanUp(
            JobClient job, ShopPulseConfig config, AutoCloseable... servers) throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        for (AutoCloseable s : servers) {
            s.close();
        }
        TestServices.cleanUp(config);
    }
}
