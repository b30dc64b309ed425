package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.serde.DeadLetter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/**
 * How a guarded step turns one record it could not process into a {@link DeadLetter}: the record's
 * source position where the step still knows it, its bytes, the stage and the reason.
 *
 * @param <I> the record type of the step
 */
@FunctionalInterface
public interface Rejections<I> extends Serializable {

    DeadLetter deadLetter(I record, String reason, String stage);

    /**
     * What every guarded function does with a failure: a transient one is rethrown (the job fails
     * over and retries); one caused by the record's data is counted and becomes its dead letter.
     */
    default DeadLetter rejectOrRethrow(I record, Exception e, String stage, GuardMetrics metrics)
            throws Exception {
        if (!Failures.isData(e)) {
            throw e;
        }
        metrics.deadLettered();
        String reason = Failures.reason(e, MAX_REASON_CHARS);
        LoggerFactory.getLogger(Rejections.class)
                .warn("{}: dead-lettering a record that failed on its data: {}", stage, reason);
        return deadLetter(record, reason, stage);
    }

    /** Longest reason a guarded step writes: exception messages may quote the hostile value. */
    int MAX_REASON_CHARS = 1000;

    /** Longest key a dead letter keeps: a hostile key must not push it past the broker's limit. */
    int MAX_KEY_BYTES = 1024;

    /** Encodes a record for the dead letter; may throw on a value it cannot encode. */
    @FunctionalInterface
    interface Encoder<I> extends Serializable {
        byte[] encode(I record) throws Exception;
    }

    /** A record's Kafka position, where the step still carries it. */
    @FunctionalInterface
    interface Position<I> extends Serializable {
        /** {partition, offset}, or null when unknown. */
        long[] of(I record);
    }

    /** Dead letters without a source position ({@code -1}), keyed by {@code key}. */
    static <I> Rejections<I> unpositioned(
            String sourceTopic, int maxValueBytes, Encoder<I> value, Encoder<I> key) {
        return positioned(sourceTopic, maxValueBytes, value, key, r -> null);
    }

    /** Dead letters with the position each record carries. */
    static <I> Rejections<I> positioned(
            String sourceTopic,
            int maxValueBytes,
            Encoder<I> value,
            Encoder<I> key,
            Position<I> position) {
        return (record, reason, stage) -> {
            long[] at = null;
            try {
                at = position.of(record);
            } catch (RuntimeException e) {
                // The position is only a reference; a record without one still gets its letter.
            }
            return DeadLetter.of(
                    sourceTopic,
                    at == null ? -1 : (int) at[0],
                    at == null ? -1 : at[1],
                    bounded(safely(key, record), MAX_KEY_BYTES),
                    safely(value, record),
                    reason,
                    stage,
                    Instant.now(),
                    maxValueBytes);
        };
    }

    private static byte[] bounded(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : java.util.Arrays.copyOf(bytes, max);
    }

    /**
     * The encoded record, or its {@code toString} when the codec fails on the very value that made
     * the step fail, so the dead letter is never lost to a second error.
     */
    private static <I> byte[] safely(Encoder<I> encoder, I record) {
        if (encoder == null || record == null) {
            return null;
        }
        try {
            return encoder.encode(record);
        } catch (Exception e) {
            String text = String.valueOf(record);
            return text.substring(0, Math.min(text.length(), 64 * 1024))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
