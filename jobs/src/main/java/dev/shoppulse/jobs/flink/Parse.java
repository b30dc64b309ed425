package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.JsonCodec;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The common first step of every job: decode a {@link RawRecord} with a codec; whatever fails goes
 * to {@link #DEAD_LETTERS} with its reason and source position, and the job goes on.
 *
 * @param <T> the decoded event type
 * @param <O> what the step emits for a good event (the event, or the event with its position)
 */
public final class Parse<T, O> extends ProcessFunction<RawRecord, O> {
    private static final long serialVersionUID = 1L;

    /** Side output of every record that could not be decoded. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    /** Wraps a decoded event, e.g. to keep its source position. */
    @FunctionalInterface
    public interface Wrap<T, O> extends java.io.Serializable {
        O apply(T event, RawRecord raw);
    }

    private final JsonCodec<T> codec;
    private final Wrap<T, O> wrap;
    private final int maxDeadLetterBytes;
    private transient Counter dlq;
    private transient Counter parsed;

    public Parse(JsonCodec<T> codec, Wrap<T, O> wrap, int maxDeadLetterBytes) {
        this.codec = codec;
        this.wrap = wrap;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
    }

    @Override
    public void open(OpenContext ctx) {
        dlq = getRuntimeContext().getMetricGroup().counter("dlq");
        parsed = getRuntimeContext().getMetricGroup().counter("parsed");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<O> out) {
        T event;
        try {
            event = codec.decode(raw.value());
        } catch (BadRecordException e) {
            dlq.inc();
            ctx.output(DEAD_LETTERS, deadLetter(raw, e.getMessage(), "parse", maxDeadLetterBytes));
            return;
        }
        parsed.inc();
        out.collect(wrap.apply(event, raw));
    }

    public static DeadLetter deadLetter(RawRecord raw, String reason, String stage, int maxBytes) {
        return DeadLetter.of(
                raw.topic(),
                raw.partition(),
                raw.offset(),
                raw.key(),
                raw.value(),
                reason,
                stage,
                Instant.now(),
                maxBytes);
    }
}
