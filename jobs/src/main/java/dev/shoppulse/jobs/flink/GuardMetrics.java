package dev.shoppulse.jobs.flink;

import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics of one guarded step, in its operator's group {@code guard}: {@code deadLettered}
 * records, {@code worstMillis} (the longest single record or timer callback since the task started)
 * and {@code slowCalls} (those over one second), so a test or a dashboard can see that no record
 * stalls the task.
 */
public final class GuardMetrics {
    /** A call slower than this counts as slow. */
    public static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Counter deadLettered;
    private final Counter slowCalls;
    private volatile long worstNanos;
    private volatile long worstBatchNanos;

    public GuardMetrics(MetricGroup operatorGroup) {
        MetricGroup g = operatorGroup.addGroup("guard");
        deadLettered = g.counter("deadLettered");
        slowCalls = g.counter("slowCalls");
        g.gauge("worstMillis", (Gauge<Long>) () -> TimeUnit.NANOSECONDS.toMillis(worstNanos));
        g.gauge(
                "worstBatchMillis",
                (Gauge<Long>) () -> TimeUnit.NANOSECONDS.toMillis(worstBatchNanos));
    }

    public long start() {
        return System.nanoTime();
    }

    /** Records the duration of a call that began at {@code startNanos}. */
    public void done(long startNanos) {
        long took = System.nanoTime() - startNanos;
        if (took > worstNanos) {
            worstNanos = took;
        }
        if (took > SLOW_NANOS) {
            slowCalls.inc();
        }
    }

    /** Records the duration of a batch write that began at {@code startNanos}. */
    public void batchDone(long startNanos) {
        long took = System.nanoTime() - startNanos;
        if (took > worstBatchNanos) {
            worstBatchNanos = took;
        }
    }

    public void deadLettered() {
        deadLettered.inc();
    }

    public long worstNanos() {
        return worstNanos;
    }
}
