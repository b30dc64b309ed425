package dev.shoppulse.jobs.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times harness calls (an event, or the timers a time advance fires) by the CPU time of the calling
 * thread, which a loaded machine's scheduling and other threads' GC do not inflate, and keeps the
 * slowest. Wall time only guards against a call that never returns.
 */
final class CallTimer {
    private static final Logger LOG = LoggerFactory.getLogger(CallTimer.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The bound on the work of one call; the unbounded skip loop this guards never returned. */
    static final Duration MAX_CPU = Duration.ofSeconds(1);

    /** Only a hang guard: the machine running the tests may be heavily loaded. */
    static final Duration MAX_WALL = Duration.ofSeconds(20);

    /** One harness call. */
    interface Step {
        void run() throws Exception;
    }

    private long slowestCpu;
    private long slowestWall;

    /** Runs {@code step} and checks it stayed within the bounds. */
    Duration time(Step step) throws Exception {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        step.run();
        long wall = System.nanoTime() - wall0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        slowestCpu = Math.max(slowestCpu, cpu);
        slowestWall = Math.max(slowestWall, wall);
        assertThat(Duration.ofNanos(cpu)).as("CPU time of one call").isLessThan(MAX_CPU);
        assertThat(Duration.ofNanos(wall)).as("wall time of one call").isLessThan(MAX_WALL);
        return Duration.ofNanos(cpu);
    }

    /** Logs the slowest call seen, for the record. */
    void report(String what) {
        LOG.info(
                "{}: slowest call {} µs CPU, {} µs wall",
                what,
                slowestCpu / 1_000,
                slowestWall / 1_000);
    }
}
