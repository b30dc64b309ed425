package dev.shoppulse.jobs.orders;

import dev.shoppulse.jobs.flink.RawRecord;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.testutils.junit.SharedReference;

/**
 * Test-only failure injection: throws once per job attempt, after a checkpoint of that attempt
 * completed and a number of records went through, until {@code max} failures were injected. The
 * tally lives in a per-test shared object because a restarted attempt gets fresh instances.
 */
final class FailAfterCheckpoint extends RichMapFunction<RawRecord, RawRecord>
        implements CheckpointListener {

    /** Failures injected so far by one test; one per job attempt, at most {@code max}. */
    static final class Tally {
        private final int max;
        private final Set<Integer> failedAttempts = new HashSet<>();

        Tally(int max) {
            this.max = max;
        }

        /**
         * Claims the failure of this attempt. Check and record are one step: with parallel subtasks
         * a separate check and increment lets two of them pass together and overshoot max, and two
         * subtasks of one attempt would count two failures for one restart.
         */
        synchronized boolean claim(int attempt) {
            return failedAttempts.size() < max && failedAttempts.add(attempt);
        }

        synchronized int failures() {
            return failedAttempts.size();
        }
    }

    private final SharedReference<Tally> tally;
    private final int recordsBeforeFailing;
    private transient boolean checkpointed;
    private transient int seen;

    FailAfterCheckpoint(SharedReference<Tally> tally, int recordsBeforeFailing) {
        this.tally = tally;
        this.recordsBeforeFailing = recordsBeforeFailing;
    }

    @Override
    public RawRecord map(RawRecord r) {
        if (++seen >= recordsBeforeFailing && checkpointed) {
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            if (tally.get().claim(attempt)) {
                throw new IllegalStateException("injected failure in attempt " + attempt);
            }
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
