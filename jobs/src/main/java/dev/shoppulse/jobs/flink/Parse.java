package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.BadRecordException;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.JsonCodec;
import dev.shoppulse.common.validation.Domain;
import dev.shoppulse.common.validation.EventDomains;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The common first step of every job: decode a {@link RawRecord} with a codec (which applies each
 * field's static domain) and check the event's processing-time {@link Domain} (e.g. not more than
 * {@code <capability>.max-future} ahead of this step's clock); whatever fails goes to {@link
 * #DEAD_LETTERS} with its reason and source position at stage {@code parse}, and the job goes on.
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
    private final Domain<? super T> domain;
    private final Wrap<T, O> wrap;
    private final int maxDeadLetterBytes;
    private final Clock clock;
    private transient Counter dlq;
    private transient Counter parsed;

    /** A parse step with the event type's default domain ({@link EventDomains#defaultFor}). */
    public Parse(JsonCodec<T> codec, Wrap<T, O> wrap, int maxDeadLetterBytes) {
        this(codec, EventDomains.defaultFor(codec.type()), wrap, maxDeadLetterBytes);
    }

    /** A parse step checking {@code domain} against the system clock. */
    public Parse(
            JsonCodec<T> codec, Domain<? super T> domain, Wrap<T, O> wrap, int maxDeadLetterBytes) {
        this(codec, domain, wrap, maxDeadLetterBytes, Clock.systemUTC());
    }

    /** A parse step checking {@code domain} against {@code clock} (tests pass a fixed one). */
    public Parse(
            JsonCodec<T> codec,
            Domain<? super T> domain,
            Wrap<T, O> wrap,
            int maxDeadLetterBytes,
            Clock clock) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.wrap = Objects.requireNonNull(wrap, "wrap");
        this.maxDeadLetterBytes = maxDeadLetterBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
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
            reject(raw, e.getMessage(), ctx);
            return;
        }
        String violation = domain.violation(event, clock.instant());
        if (violation != null) {
            reject(raw, "invalid " + codec.type().getSimpleName() + ": " + violation, ctx);
            return;
        }
        parsed.inc();
        out.collect(wrap.apply(event, raw));
    }

    private void reject(RawRecord raw, String reason, Context ctx) {
        dlq.inc();
        ctx.output(DEAD_LETTERS, deadLetter(raw, reason, "parse", maxDeadLetterBytes));
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
