package dev.shoppulse.jobs.flink;

import java.time.Duration;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Placed right after a bounded-out-of-orderness timestamp assigner (chained, so it checkpoints with
 * the source offsets): it checkpoints the latest event time the subtask has read and, after a
 * restore, emits the watermark that event time implies.
 *
 * <p>Why: Flink checkpoints neither watermarks nor the watermark generator, and the generator emits
 * periodically. A checkpoint can therefore hold the offset past an event whose watermark was never
 * emitted; after a restore on a quiet stream no record brings that watermark back, and a window
 * that was complete before the failure never fires (until unrelated traffic arrives, or never, on a
 * topic that went quiet). The watermark emitted here is the generator's own rule (latest event time
 * minus the out-of-orderness, minus 1 ms), so it never runs ahead of what the generator would have
 * emitted for the same records.
 *
 * <p>It also keeps the watermarks it forwards monotonic: after a restore the generator starts over
 * and its first watermarks are lower than the one emitted here.
 */
public final class ResumedWatermarks<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    private final long outOfOrdernessMs;
    private transient ListState<Long> state;
    private transient long latestEventTime;
    private transient long emitted;
    private transient boolean restored;

    public ResumedWatermarks(Duration outOfOrderness) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        state =
                ctx.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("latest-event-time", Types.LONG));
        latestEventTime = Long.MIN_VALUE;
        emitted = Long.MIN_VALUE;
        restored = ctx.isRestored();
        if (restored) {
            // After rescaling a subtask may get several values (or none); the smallest is the
            // one every partition it now reads has reached.
            long min = Long.MAX_VALUE;
            for (Long t : state.get()) {
                min = Math.min(min, t);
            }
            latestEventTime = min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (restored && latestEventTime != Long.MIN_VALUE) {
            long implied = latestEventTime - outOfOrdernessMs - 1;
            // As soon as the task runs: before the source can turn idle and silence it.
            getProcessingTimeService()
                    .registerTimer(
                            getProcessingTimeService().getCurrentProcessingTime(),
                            t -> processWatermark(new Watermark(implied)));
        }
    }

    @Override
    public void processElement(StreamRecord<T> record) {
        if (record.hasTimestamp() && record.getTimestamp() > latestEventTime) {
            latestEventTime = record.getTimestamp();
        }
        output.collect(record);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > emitted) {
            emitted = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        super.snapshotState(ctx);
        state.update(
                latestEventTime == Long.MIN_VALUE
                        ? java.util.List.of()
                        : java.util.List.of(latestEventTime));
    }
}
