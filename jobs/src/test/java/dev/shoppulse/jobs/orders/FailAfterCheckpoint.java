package dev.shoppulse.jobs.orders;

import dev.shoppulse.jobs.flink.RawRecord;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Test-only failure injection: throws once per job attempt, after a checkpoint of that attempt
 * completed and a number of records went through, until {@code failures} reaches {@code max}. The
 * counter is static because a restarted attempt gets fresh instances in the same JVM.
 */
final class FailAfterCheckpoint implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
    static final AtomicInteger FAILURES = new AtomicInteger();

    private final int max;
    private final int recordsBeforeFailing;
    private transient boolean checkpointed;
    private transient int seen;

    FailAfterCheckpoint(int max, int recordsBeforeFailing) {
        this.max = max;
        this.recordsBeforeFailing = recordsBeforeFailing;
    }

    @Override
    public RawRecord map(RawRecord r) {
        if (++seen >= recordsBeforeFailing && checkpointed && FAILURES.get() < max) {
            FAILURES.incrementAndGet();
            throw new IllegalStateException("injected failure " + FAILURES.get());
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
