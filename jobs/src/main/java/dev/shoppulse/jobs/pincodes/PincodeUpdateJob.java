package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedKeyedFunction;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Bulk pincode updates: Kafka {@code pincode-updates} → parse (invalid → {@code
 * pincode-updates.dlq}) → keyBy(email bucket) → {@link PincodeBatcher} → {@link PincodeBatchWriter}
 * (one guarded {@code UPDATE ... FROM unnest} per batch) → unknown emails to {@code
 * pincode-updates.unknown}.
 *
 * <pre>flink run -c dev.shoppulse.jobs.pincodes.PincodeUpdateJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --postgres.url jdbc:postgresql://db:5432/shop</pre>
 */
public final class PincodeUpdateJob {
    public static final String NAME = PincodesCapability.JOB.name();

    private PincodeUpdateJob() {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, PincodeUpdateJob::build);
    }

    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, PincodesCapability.PINCODE_UPDATES, NAME, "pincodes-source");
        topology(
                raw, config, PostgresSettings.from(config), JobSetup.exactlyOnceSink(config, NAME));
    }

    /** The operators, from raw records to PostgreSQL and the Kafka sink. */
    public static void topology(
            DataStream<RawRecord> raw,
            ShopPulseConfig config,
            PostgresSettings postgres,
            Sink<KafkaOut> kafka) {
        int buckets = config.getInt(PincodesCapability.PINCODES_KEY_BUCKETS);
        String unknownTopic = config.topic(PincodesCapability.PINCODE_UPDATES_UNKNOWN);

        SingleOutputStreamOperator<SourcedPincodeUpdate> parsed =
                raw.process(
                                new Parse<PincodeUpdate, SourcedPincodeUpdate>(
                                        PincodesCapability.PINCODE_UPDATES.codec(),
                                        EventDomains.pincodes(
                                                EventDomains.window(
                                                        config,
                                                        PincodesCapability.PINCODES_MAX_FUTURE)),
                                        SourcedPincodeUpdate::of,
                                        config.getInt(Settings.DLQ_MAX_VALUE_BYTES)))
                        .returns(TypeInformation.of(SourcedPincodeUpdate.class))
                        .name("parse")
                        .uid("pincodes-parse");

        DataStream<PincodeBatch> batches =
                parsed.keyBy(s -> Math.floorMod(s.email().hashCode(), buckets))
                        .process(
                                new PincodeBatcher(
                                        config.getInt(PincodesCapability.PINCODES_BATCH_SIZE),
                                        config.getDuration(
                                                        PincodesCapability.PINCODES_BATCH_INTERVAL)
                                                .toMillis()))
                        .returns(TypeInformation.of(PincodeBatch.class))
                        .name("batch")
                        .uid("pincodes-batcher");

        SingleOutputStreamOperator<PincodeUpdate> unknown =
                batches.process(
                                new PincodeBatchWriter(
                                        postgres,
                                        rejections(config),
                                        config.getInt(PincodesCapability.PINCODES_COPY_THRESHOLD)))
                        .returns(TypeInformation.of(PincodeUpdate.class))
                        .name("update-users")
                        .uid("pincodes-writer");

        DataStream<KafkaOut> unknownOut =
                unknown.map(
                                u ->
                                        KafkaOut.of(
                                                unknownTopic,
                                                PincodesCapability.PINCODE_UPDATES_UNKNOWN,
                                                u.email(),
                                                u))
                        .returns(JobSetup.kafkaOutType())
                        .name("encode-unknown");
        DataStream<KafkaOut> dlqOut =
                JobSetup.encodeDeadLetters(
                        parsed.getSideOutput(Parse.DEAD_LETTERS)
                                .union(unknown.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS)),
                        config,
                        PincodesCapability.PINCODE_UPDATES_DLQ);
        unknownOut.union(dlqOut).sinkTo(kafka).name("kafka-out").uid("pincodes-kafka-sink");
    }

    /** Dead letters of the writer, citing each update's Kafka position (-1 where unknown). */
    static Rejections<SourcedPincodeUpdate> rejections(ShopPulseConfig config) {
        return Rejections.positioned(
                config.topic(PincodesCapability.PINCODE_UPDATES),
                config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                s -> PincodesCapability.PINCODE_UPDATES.codec().encode(s.update()),
                s -> s.email().getBytes(StandardCharsets.UTF_8),
                s -> new long[] {s.partition(), s.offset()});
    }
}
