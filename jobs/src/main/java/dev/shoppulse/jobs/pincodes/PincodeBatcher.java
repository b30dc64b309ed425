package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.sql.PincodeBatches;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Collects the pincode updates of one email-hash bucket into a batch, keeping only the latest
 * update per email (last writer wins by occurredAt), and emits the batch when it is full or when
 * its oldest entry has waited {@code interval}.
 *
 * <p>The pending updates live in keyed state, so a checkpoint taken between arrival and write keeps
 * them: nothing is lost on failure, and a replay is harmless because the write is guarded. Keying
 * by bucket means one email's batches always come from one subtask, in order.
 *
 * <p>The Kafka position of each pending update is kept beside it in state of its own ({@code
 * positions}), so savepoints taken before positions were kept still restore; their updates are
 * written without a position ({@code -1}).
 */
public final class PincodeBatcher
        extends KeyedProcessFunction<Integer, SourcedPincodeUpdate, PincodeBatch> {
    private static final long serialVersionUID = 1L;

    private final int batchSize;
    private final long intervalMs;
    private transient MapState<String, PincodeUpdate> pending;
    private transient MapState<String, long[]> positions;
    private transient ValueState<Integer> count;
    private transient ValueState<Long> timer;

    public PincodeBatcher(int batchSize, long intervalMs) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("pincodes.batch-size must be >= 1");
        }
        this.batchSize = batchSize;
        this.intervalMs = Math.max(1, intervalMs);
    }

    @Override
    public void open(OpenContext ctx) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending",
                                        Types.STRING,
                                        TypeInformation.of(PincodeUpdate.class)));
        positions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "positions",
                                        Types.STRING,
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.INT));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
    }

    @Override
    public void processElement(SourcedPincodeUpdate s, Context ctx, Collector<PincodeBatch> out)
            throws Exception {
        PincodeUpdate u = s.update();
        PincodeUpdate current = pending.get(u.email());
        if (current == null) {
            pending.put(u.email(), u);
            positions.put(u.email(), new long[] {s.partition(), s.offset()});
            int n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            if (n >= batchSize) {
                flush(ctx, out);
                return;
            }
        } else if (u.winsOver(current)) {
            pending.put(u.email(), u);
            positions.put(u.email(), new long[] {s.partition(), s.offset()});
        }
        if (timer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + intervalMs;
            ctx.timerService().registerProcessingTimeTimer(at);
            timer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PincodeBatch> out)
            throws Exception {
        timer.clear();
        emit(out);
    }

    private void flush(Context ctx, Collector<PincodeBatch> out) throws Exception {
        Long t = timer.value();
        if (t != null) {
            ctx.timerService().deleteProcessingTimeTimer(t);
            timer.clear();
        }
        emit(out);
    }

    private void emit(Collector<PincodeBatch> out) throws Exception {
        List<PincodeUpdate> all = new ArrayList<>();
        for (PincodeUpdate u : pending.values()) {
            all.add(u);
        }
        List<SourcedPincodeUpdate> batch = new ArrayList<>(all.size());
        for (PincodeUpdate u : PincodeBatches.lastWriterWins(all)) {
            long[] at = positions.get(u.email());
            batch.add(
                    at == null
                            ? new SourcedPincodeUpdate(u, -1, -1)
                            : new SourcedPincodeUpdate(u, (int) at[0], at[1]));
        }
        pending.clear();
        positions.clear();
        count.clear();
        if (!batch.isEmpty()) {
            out.collect(PincodeBatch.of(batch));
        }
    }
}
