package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.topics.Topic;
import java.nio.charset.StandardCharsets;

/**
 * One record for a Kafka topic, already encoded. Every Kafka output of a job is mapped to this type
 * so one transactional sink writes them all: one producer per subtask and one transaction per
 * checkpoint, whatever the number of output topics.
 */
public record KafkaOut(String topic, byte[] key, byte[] value) {

    public static <T> KafkaOut of(String topicName, Topic<T> topic, String key, T value) {
        return new KafkaOut(
                topicName,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                topic.codec().encode(value));
    }
}
