package dev.shoppulse.jobs.flink;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a {@link KafkaOut} to the topic it names; the key picks the partition. */
public final class KafkaOutSerializer implements KafkaRecordSerializationSchema<KafkaOut> {
    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KafkaOut out, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(out.topic(), null, timestamp, out.key(), out.value());
    }
}
