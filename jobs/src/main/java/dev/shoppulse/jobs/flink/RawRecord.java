package dev.shoppulse.jobs.flink;

/**
 * A Kafka record exactly as it arrived, with its position, before any parsing. Reading raw and
 * parsing in an operator (instead of in the deserializer) means a bad record can never fail the
 * source: the parse step sends it to the dead-letter output instead.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param timestamp Kafka record timestamp (ms)
 * @param key raw key, or null
 * @param value raw value, or null (a tombstone)
 */
public record RawRecord(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {}
