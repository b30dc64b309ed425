package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Runs a (non-keyed) process function under the poison guard: a record whose processing fails on
 * its data (see {@link Failures}) goes to {@link #DEAD_LETTERS} with the stage and the reason, and
 * the job goes on; a transient failure is rethrown so the job fails over as before.
 *
 * <p>The wrapped function keeps its own state names, timers and metrics (it runs with the same
 * runtime context), so wrapping an existing operator keeps its savepoints. Non-keyed functions have
 * no timers, so only records are guarded.
 */
public final class GuardedFunction<I, O> extends ProcessFunction<I, O> {
    private static final long serialVersionUID = 1L;

    /** Where guarded steps send records they could not process. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = Parse.DEAD_LETTERS;

    private final ProcessFunction<I, O> delegate;
    private final String stage;
    private final Rejections<I> rejections;
    private transient GuardMetrics metrics;

    public GuardedFunction(ProcessFunction<I, O> delegate, String stage, Rejections<I> rejections) {
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

    /** A per-record step that may fail on a record's data. */
    @FunctionalInterface
    public interface Step<I, O> extends java.io.Serializable {
        O apply(I record) throws Exception;
    }

    /** A guarded one-to-one step, e.g. a check that a timestamp converts before a watermark. */
    public static <I, O> GuardedFunction<I, O> of(
            Step<I, O> step, String stage, Rejections<I> rejections) {
        return new GuardedFunction<>(new StepFunction<>(step), stage, rejections);
    }

    private static final class StepFunction<I, O> extends ProcessFunction<I, O> {
        private static final long serialVersionUID = 1L;
        private final Step<I, O> step;

        StepFunction(Step<I, O> step) {
            this.step = step;
        }

        @Override
        public void processElement(I value, Context ctx, Collector<O> out) throws Exception {
            out.collect(step.apply(value));
        }
    }
}
