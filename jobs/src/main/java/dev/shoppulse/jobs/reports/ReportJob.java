package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedFunction;
import dev.shoppulse.jobs.flink.GuardedKeyedFunction;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Asynchronous reports: Kafka {@code report-requests} → parse (bad → {@code report-requests.dlq}) →
 * {@link ReportSplitter} (QUEUED → RUNNING, one shard per day, finished days marked) → rebalance →
 * {@link ShardWorker} (parallel; part file + {@code report_shards} row + progress) → keyBy(report)
 * → {@link ReportAssembler} (result file, SUCCEEDED) → Kafka {@code report-ready}.
 *
 * <pre>flink run -c dev.shoppulse.jobs.reports.ReportJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --postgres.url jdbc:postgresql://db:5432/shop \
 *     --reports.store-dir /mnt/shared/reports</pre>
 */
public final class ReportJob {
    public static final String NAME = ReportsCapability.JOB.name();

    private ReportJob() {}

    public static void main(String[] args) throws Exception {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        env.setParallelism(config.getInt(Settings.FLINK_PARALLELISM));
        build(env, config);
        env.execute(NAME);
    }

    /**
     * The shared settings plus unaligned checkpoints: a barrier may overtake shards queued in front
     * of a busy worker (they are then part of the checkpoint), so checkpoints keep their pace while
     * long shards run.
     */
    public static Configuration flinkConfiguration(ShopPulseConfig config) {
        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        return conf;
    }

    /** The production wiring (no shard hook), with the builder every job of the catalogue has. */
    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        build(env, config, ShardHook.NONE);
    }

    public static void build(
            StreamExecutionEnvironment env, ShopPulseConfig config, ShardHook hook) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, ReportsCapability.REPORT_REQUESTS, NAME, "reports-source");
        topology(raw, config, hook, JobSetup.exactlyOnceSink(config, NAME));
    }

    /** The operators, from raw requests to the report store, PostgreSQL, Redis and Kafka. */
    public static void topology(
            DataStream<RawRecord> raw,
            ShopPulseConfig config,
            ShardHook hook,
            Sink<KafkaOut> kafka) {
        String readyTopic = config.topic(ReportsCapability.REPORT_READY);
        ReportServices services = ReportServices.from(config);

        SingleOutputStreamOperator<ReportTask> parsed =
                raw.process(
                                new Parse<ReportRequest, ReportTask>(
                                        ReportsCapability.REPORT_REQUESTS.codec(),
                                        EventDomains.reportRequests(
                                                EventDomains.window(
                                                        config,
                                                        ReportsCapability.REPORTS_MAX_FUTURE),
                                                config.getInt(ReportsCapability.REPORTS_MAX_DAYS)),
                                        ReportTask::of,
                                        config.getInt(Settings.DLQ_MAX_VALUE_BYTES)))
                        .returns(TypeInformation.of(ReportTask.class))
                        .name("parse")
                        .uid("reports-parse");

        SingleOutputStreamOperator<ReportShard> shards =
                parsed.process(
                                new GuardedFunction<>(
                                        new ReportSplitter(services), "split", tasks(config)))
                        .returns(TypeInformation.of(ReportShard.class))
                        .name("split")
                        .uid("reports-split");

        SingleOutputStreamOperator<ShardResult> results =
                shards.rebalance()
                        .process(
                                new GuardedFunction<>(
                                        new ShardWorker(
                                                services,
                                                config.getDuration(
                                                        ReportsCapability.REPORTS_SHARD_PAUSE),
                                                hook),
                                        "run-shard",
                                        Rejections.<ReportShard>unpositioned(
                                                config.topic(ReportsCapability.REPORT_REQUESTS),
                                                config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                                                ReportJob::text,
                                                s -> null)))
                        .returns(TypeInformation.of(ShardResult.class))
                        .name("run-shard")
                        .uid("reports-shard-worker");

        SingleOutputStreamOperator<ReportReady> assembled =
                results.keyBy(ShardResult::reportId)
                        .process(
                                new GuardedKeyedFunction<>(
                                        new ReportAssembler(
                                                services,
                                                config.getBoolean(ReportsCapability.REPORTS_GZIP)),
                                        "assemble",
                                        Rejections.<ShardResult>unpositioned(
                                                config.topic(ReportsCapability.REPORT_REQUESTS),
                                                config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                                                ReportJob::text,
                                                s -> null)))
                        .returns(TypeInformation.of(ReportReady.class))
                        .name("assemble")
                        .uid("reports-assemble");
        DataStream<ReportReady> ready =
                assembled.union(shards.getSideOutput(ReportSplitter.FAILED));

        DataStream<KafkaOut> readyOut =
                ready.map(
                                r ->
                                        KafkaOut.of(
                                                readyTopic,
                                                ReportsCapability.REPORT_READY,
                                                r.owner(),
                                                r))
                        .returns(JobSetup.kafkaOutType())
                        .name("encode-ready");
        DataStream<KafkaOut> dlqOut =
                JobSetup.encodeDeadLetters(
                        parsed.getSideOutput(Parse.DEAD_LETTERS)
                                .union(
                                        shards.getSideOutput(GuardedFunction.DEAD_LETTERS),
                                        results.getSideOutput(GuardedFunction.DEAD_LETTERS),
                                        assembled.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS)),
                        config,
                        ReportsCapability.REPORT_REQUESTS_DLQ);
        readyOut.union(dlqOut).sinkTo(kafka).name("kafka-out").uid("reports-kafka-sink");
    }

    /**
     * Dead letters of the split step cite the request by its position and id (the task is what is
     * left). Those of the shard and assemble steps stay without a position: they blame one day of a
     * report, not a Kafka record, and carrying the request's position there would widen every shard
     * and result crossing the two exchanges whose in-flight records unaligned checkpoints store;
     * the report id in their text leads to the request.
     */
    static Rejections<ReportTask> tasks(ShopPulseConfig config) {
        return Rejections.positioned(
                config.topic(ReportsCapability.REPORT_REQUESTS),
                config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                ReportJob::text,
                t -> t.reportId() == null ? null : t.reportId().getBytes(StandardCharsets.UTF_8),
                t -> new long[] {t.partition(), t.offset()});
    }

    /** A step's record as text for its dead letter: these records have no codec of their own. */
    private static byte[] text(Object record) {
        return String.valueOf(record).getBytes(StandardCharsets.UTF_8);
    }
}
