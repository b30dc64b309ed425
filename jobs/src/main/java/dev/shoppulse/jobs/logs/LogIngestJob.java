package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.PostgresConnection;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.sql.LogSql;
import java.sql.Timestamp;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Log ingestion: Kafka {@code logs} → {@link RetentionRouter} (malformed, retired or too far ahead
 * → {@code logs.dlq}) → batched JDBC inserts into the day-partitioned {@code app_logs} (Flink JDBC
 * connector, at-least-once). Partition upkeep is {@link LogMaintenance}'s job.
 *
 * <pre>flink run -c dev.shoppulse.jobs.logs.LogIngestJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --postgres.url jdbc:postgresql://db:5432/shop</pre>
 */
public final class LogIngestJob {
    public static final String NAME = "log-ingest";

    private LogIngestJob() {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, LogIngestJob::build);
    }

    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, Topics.LOGS, NAME, "logs-source");
        topology(raw, config, postgresSink(config), JobSetup.exactlyOnceSink(config, NAME));
    }

    public static void topology(
            DataStream<RawRecord> raw,
            ShopPulseConfig config,
            Sink<LogEntry> postgres,
            Sink<KafkaOut> kafka) {
        String dlqTopic = config.topic(Topics.LOGS_DLQ);
        SingleOutputStreamOperator<LogEntry> routed =
                raw.process(
                                new RetentionRouter(
                                        (int) config.getDuration(Settings.LOGS_RETENTION).toDays(),
                                        config.getInt(Settings.LOGS_PRECREATE_DAYS),
                                        config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                                        Clock.systemUTC(),
                                        EventDomains.logs(
                                                EventDomains.window(
                                                        config, Settings.LOGS_MAX_FUTURE))))
                        .returns(TypeInformation.of(LogEntry.class))
                        .name("parse-and-route")
                        .uid("logs-router");
        routed.sinkTo(postgres).name("app-logs-postgres").uid("logs-pg");
        routed.getSideOutput(RetentionRouter.DEAD_LETTERS)
                .map(d -> KafkaOut.of(dlqTopic, Topics.LOGS_DLQ, null, d))
                .returns(JobSetup.kafkaOutType())
                .name("encode-dead-letters")
                .sinkTo(kafka)
                .name("kafka-out")
                .uid("logs-kafka-sink");
    }

    /** Batched inserts through the JDBC connector: one executeBatch per batch-size rows. */
    public static Sink<LogEntry> postgresSink(ShopPulseConfig config) {
        return PostgresConnection.closeSafe(
                JdbcSink.<LogEntry>builder()
                        .withQueryStatement(
                                LogSql.INSERT,
                                (ps, e) -> {
                                    ps.setTimestamp(1, Timestamp.from(e.loggedAt()));
                                    ps.setString(2, e.service());
                                    ps.setString(3, e.level());
                                    ps.setString(4, e.message());
                                })
                        .withExecutionOptions(
                                PostgresConnection.batches(
                                        config.getInt(Settings.LOGS_BATCH_SIZE),
                                        config.getDuration(Settings.LOGS_BATCH_INTERVAL)
                                                .toMillis()))
                        .buildAtLeastOnce(PostgresConnection.options(config)));
    }
}
