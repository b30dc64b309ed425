package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.topics.Topic;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Turns configuration into the Flink pieces every job shares: the environment (exactly-once
 * checkpoints on incremental RocksDB, fixed-delay restarts, no silent Kryo), raw Kafka sources and
 * the one transactional Kafka sink per job.
 */
public final class JobSetup {
    private JobSetup() {}

    /** The Flink settings ShopPulse runs with; {@code main} and tests start from the same ones. */
    public static Configuration flinkConfiguration(ShopPulseConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(Settings.CHECKPOINT_DIR));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                config.getDuration(Settings.CHECKPOINT_INTERVAL));
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                config.getInt(Settings.RESTART_ATTEMPTS));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        // State and records are records/POJOs; a silent fall-back to Kryo is a bug, so fail loudly.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Records are immutable and no function keeps or mutates its input, so chained operators
        // may hand objects over without the defensive copy.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    public static StreamExecutionEnvironment environment(ShopPulseConfig config) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        env.setParallelism(config.getInt(Settings.FLINK_PARALLELISM));
        return env;
    }

    /** How a job wires itself onto an environment from configuration. */
    @FunctionalInterface
    public interface Wiring {
        void build(StreamExecutionEnvironment env, ShopPulseConfig config) throws Exception;
    }

    /**
     * The whole of every job's {@code main}: load the configuration from flags and environment,
     * wire the job on a configured environment and run it under {@code name}.
     */
    public static void run(String[] args, String name, Wiring wiring) throws Exception {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        StreamExecutionEnvironment env = environment(config);
        wiring.build(env, config);
        env.execute(name);
    }

    /**
     * The raw records of a registry topic (under its configured name) as a stream whose source has
     * the stable {@code uid}, so savepoints keep its offsets across refactorings.
     */
    public static DataStream<RawRecord> rawStream(
            StreamExecutionEnvironment env,
            ShopPulseConfig config,
            Topic<?> topic,
            String jobName,
            String uid) {
        return env.fromSource(
                        rawSource(config, config.topic(topic), jobName),
                        WatermarkStrategy.noWatermarks(),
                        uid)
                .uid(uid);
    }

    /** An unbounded source of raw records, resuming from committed offsets (earliest when none). */
    public static KafkaSource<RawRecord> rawSource(
            ShopPulseConfig config, String topic, String groupSuffix) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setTopics(topic)
                .setGroupId(config.get(Settings.KAFKA_GROUP_PREFIX) + "-" + groupSuffix)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                // Only committed input: upstream transactional producers' aborted writes never
                // count.
                .setProperty("isolation.level", "read_committed")
                .setProperty("max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024))
                .build();
    }

    /**
     * The job's one Kafka sink: exactly-once, transactional id {@code <kafka.txn-prefix>-<job>},
     * transaction timeout from {@code kafka.transaction-timeout}.
     */
    public static KafkaSink<KafkaOut> exactlyOnceSink(ShopPulseConfig config, String jobName) {
        Properties producer = new Properties();
        producer.setProperty(
                "transaction.timeout.ms",
                String.valueOf(config.getDuration(Settings.KAFKA_TXN_TIMEOUT).toMillis()));
        producer.setProperty("max.request.size", String.valueOf(16 * 1024 * 1024));
        producer.setProperty("linger.ms", "5");
        return KafkaSink.<KafkaOut>builder()
                .setBootstrapServers(config.get(Settings.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new KafkaOutSerializer())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.get(Settings.KAFKA_TXN_PREFIX) + "-" + jobName)
                .setKafkaProducerConfig(producer)
                .build();
    }

    /**
     * Every dead letter of {@code deadLetters} as a record of the job's dead-letter topic {@code
     * dlq} (unkeyed: dead letters of one source record need not stay together), for the job's one
     * Kafka sink.
     */
    public static SingleOutputStreamOperator<KafkaOut> encodeDeadLetters(
            DataStream<DeadLetter> deadLetters, ShopPulseConfig config, Topic<DeadLetter> dlq) {
        String topicName = config.topic(dlq);
        return deadLetters
                .map(d -> KafkaOut.of(topicName, dlq, null, d))
                .returns(kafkaOutType())
                .name("encode-dead-letters");
    }

    public static TypeInformation<KafkaOut> kafkaOutType() {
        return TypeInformation.of(KafkaOut.class);
    }
}
