package dev.shoppulse.jobs.search;

import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Phase one of the top N: chained to each window subtask, it keeps the top N of that subtask's
 * products per hour and forwards only the counts that change it. The merge downstream then sees at
 * most N products per subtask and hour, plus the few that displace one another.
 */
public final class LocalTopN extends AbstractStreamOperator<ProductHourCount>
        implements OneInputStreamOperator<ProductHourCount, ProductHourCount> {
    private static final long serialVersionUID = 1L;

    private final SearchSettings settings;
    private transient WindowTops tops;

    public LocalTopN(SearchSettings settings) {
        this.settings = settings;
    }

    @Override
    public void initializeState(StateInitializationContext ctx) throws Exception {
        super.initializeState(ctx);
        tops = new WindowTops(settings.topN(), settings.windowMs());
        tops.initialize(ctx, "local-top-n");
    }

    @Override
    public void snapshotState(StateSnapshotContext ctx) throws Exception {
        super.snapshotState(ctx);
        tops.snapshot();
    }

    @Override
    public void processElement(StreamRecord<ProductHourCount> record) {
        if (tops.offer(record.getValue())) {
            output.collect(record);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        tops.expire(mark.getTimestamp(), settings.latenessMs());
        super.processWatermark(mark);
    }

    /** For tests: hours still held. */
    int windowsHeld() {
        return tops.windows();
    }
}
