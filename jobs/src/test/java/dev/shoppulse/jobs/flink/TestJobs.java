package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.testing.TestServices;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;

/** The end of every job ITCase: the job is cancelled, then its schema and Redis keys go. */
public final class TestJobs {
    private TestJobs() {}

    /** Cancels {@code job} (if one was started) and drops what {@code config} isolated. */
    public static void cancelAndCleanUp(JobClient job, ShopPulseConfig config) throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        TestServices.cleanUp(config);
    }
}
