package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a keyed function under the poison guard: a record whose processing fails on its data (see
 * {@link Failures}) goes to {@link #DEAD_LETTERS} with the stage and the reason, and the job goes
 * on; a transient failure is rethrown so the job fails over as before. A timer callback that fails
 * on data is skipped with a warning and a count, since no single record can be blamed.
 *
 * <p>The wrapped function keeps its own state names, timers and metrics (it runs with the same
 * runtime context), so wrapping an existing operator keeps its savepoints. A failed record may have
 * changed the key's state before it threw; the function must tolerate that (ours do: they validate
 * before they update).
 */
public final class GuardedKeyedFunction<K, I, O> extends KeyedProcessFunction<K, I, O> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GuardedKeyedFunction.class);

    /** Where guarded steps send records they could not process. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = Parse.DEAD_LETTERS;

    private final KeyedProcessFunction<K, I, O> delegate;
    private final String stage;
    private final Rejections<I> rejections;
    private transient GuardMetrics metrics;

    public GuardedKeyedFunction(
            KeyedProcessFunction<K, I, O> delegate, String stage, Rejections<I> rejections) {
        if (delegate instanceof CheckpointedFunction) {
            throw new IllegalArgumentException(
                    "a CheckpointedFunction cannot be guarded by wrapping: " + delegate);
        }
        this.delegate = delegate;
        this.stage = stage;
        this.rejections = rejections;
    }

    @Override
    public void setRuntimeContext(RuntimeContext context) {
        super.setRuntimeContext(context);
        delegate.setRuntimeContext(context);
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        metrics = new GuardMetrics(getRuntimeContext().getMetricGroup());
        delegate.open(ctx);
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    @Override
    public void processElement(I value, Context ctx, Collector<O> out) throws Exception {
        long start = metrics.start();
        try {
            delegate.processElement(value, ctx, out);
        } catch (Exception e) {
            ctx.output(DEAD_LETTERS, rejections.rejectOrRethrow(value, e, stage, metrics));
        } finally {
            metrics.done(start);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
        long start = metrics.start();
        try {
            delegate.onTimer(timestamp, ctx, out);
        } catch (Exception e) {
            if (!Failures.isData(e)) {
                throw e;
            }
            // A timer belongs to a key, not to one record: skipping it is the only way on.
            metrics.deadLettered();
            LOG.warn(
                    "{}: timer at {} of key {} failed on its data and was skipped: {}",
                    stage,
                    timestamp,
                    Failures.bounded(String.valueOf(ctx.getCurrentKey()), 200),
                    Failures.reason(e, Rejections.MAX_REASON_CHARS));
        } finally {
            metrics.done(start);
        }
    }
}
