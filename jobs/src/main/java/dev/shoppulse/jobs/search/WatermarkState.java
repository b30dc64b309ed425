package dev.shoppulse.jobs.search;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The highest watermark an operator has seen, kept across restarts. Flink does not checkpoint
 * watermarks, so after a restore every operator starts at the beginning of time; without this, a
 * search that was too late before the failure would reopen an hour that is already closed and
 * forgotten, and overwrite its published ranking.
 */
final class WatermarkState {
    private ListState<Long> state;
    private long watermark = Long.MIN_VALUE;

    void initialize(StateInitializationContext ctx, String name) throws Exception {
        state =
                ctx.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(name, Types.LONG));
        if (ctx.isRestored()) {
            // After rescaling a subtask may get several values; the smallest is the safe one.
            long min = Long.MAX_VALUE;
            boolean any = false;
            for (Long w : state.get()) {
                min = Math.min(min, w);
                any = true;
            }
            watermark = any ? min : Long.MIN_VALUE;
        }
    }

    /** Moves forward only; returns the current value. */
    long advance(long mark) {
        watermark = Math.max(watermark, mark);
        return watermark;
    }

    long get() {
        return watermark;
    }

    void snapshot() throws Exception {
        state.update(java.util.List.of(watermark));
    }
}
