package dev.shoppulse.jobs.flink;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The environment of a job ITCase: the job's production settings on the test's MiniCluster, at
 * parallelism 2, with the restart strategy set explicitly (a failing test job must not restart
 * forever).
 */
public final class TestEnv {
    private TestEnv() {}

    /** No restarts when {@code restartAttempts} is 0, else fixed-delay restarts 200 ms apart. */
    public static StreamExecutionEnvironment create(Configuration conf, int restartAttempts) {
        Configuration c = new Configuration(conf);
        if (restartAttempts == 0) {
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            c.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(2);
        return env;
    }
}
