package dev.shoppulse.common.serde;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The envelope every job writes to a dead-letter topic: where a bad record came from, why it was
 * rejected, and its raw key and value (each truncated past a limit, with the original size and
 * SHA-256 so a 10 MB value or key still fits a Kafka message and stays identifiable). The reason is
 * bounded to {@link Reasons#MAX_CHARS} escaped characters, so a dead letter is never larger than
 * about 4/3 (base64) of {@code maxValueBytes + MAX_KEY_BYTES} plus 2 KB.
 *
 * @param sourceTopic topic the record was read from
 * @param partition its partition, or -1 where the record did not come from Kafka
 * @param offset its offset, or -1 where the record did not come from Kafka
 * @param key raw key bytes, possibly truncated to {@link #MAX_KEY_BYTES}, or null
 * @param keySize size of the original key in bytes, or -1 for a null key
 * @param keySha256 hex SHA-256 of the original key, or null for a null key
 * @param value raw value bytes, possibly truncated, or null for a null value
 * @param valueSize size of the original value in bytes, or -1 for a null value
 * @param valueSha256 hex SHA-256 of the original value, or null for a null value
 * @param reason why the record was rejected
 * @param stage which step rejected it, e.g. {@code parse} or {@code sequence}
 * @param at when it was rejected
 */
public record DeadLetter(
        String sourceTopic,
        int partition,
        long offset,
        byte[] key,
        int keySize,
        String keySha256,
        byte[] value,
        int valueSize,
        String valueSha256,
        String reason,
        String stage,
        Instant at) {

    /** Most key bytes kept; longer keys keep their size and SHA-256. */
    public static final int MAX_KEY_BYTES = 1024;

    public DeadLetter {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(reason, "reason");
        reason = Reasons.safe(reason);
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(at, "at");
    }

    /**
     * Builds a dead letter, keeping at most {@code maxValueBytes} of the value and {@link
     * #MAX_KEY_BYTES} of the key.
     */
    public static DeadLetter of(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            String reason,
            String stage,
            Instant at,
            int maxValueBytes) {
        return new DeadLetter(
                topic,
                partition,
                offset,
                truncate(key, MAX_KEY_BYTES),
                key == null ? -1 : key.length,
                key == null ? null : sha256(key),
                truncate(value, Math.max(0, maxValueBytes)),
                value == null ? -1 : value.length,
                value == null ? null : sha256(value),
                reason,
                stage,
                at);
    }

    private static byte[] truncate(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    /** A readable identity for logs and tests: {@code topic/partition@offset}. */
    public String position() {
        return sourceTopic + "/" + partition + "@" + offset;
    }

    public String valueAsText() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && partition == d.partition
                && offset == d.offset
                && valueSize == d.valueSize
                && keySize == d.keySize
                && Objects.equals(keySha256, d.keySha256)
                && sourceTopic.equals(d.sourceTopic)
                && Arrays.equals(key, d.key)
                && Arrays.equals(value, d.value)
                && Objects.equals(valueSha256, d.valueSha256)
                && reason.equals(d.reason)
                && stage.equals(d.stage)
                && at.equals(d.at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sourceTopic, partition, offset, reason, stage, at)
                + 31 * Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + position() + " " + stage + ": " + reason + "]";
    }
}
