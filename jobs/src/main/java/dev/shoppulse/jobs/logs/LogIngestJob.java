package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedJdbcWriter;
import dev.shoppulse.jobs.flink.JdbcRows;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import dev.shoppulse.sql.LogSql;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Log ingestion: Kafka {@code logs} → {@link RetentionRouter} (malformed, retired or too far ahead
 * → {@code logs.dlq}) → batched, guarded inserts into the day-partitioned {@code app_logs}
 * (at-least-once, made idempotent by the row's Kafka position: {@code ON CONFLICT DO NOTHING}; a
 * row PostgreSQL rejects goes to {@code logs.dlq} too). Partition upkeep is {@link
 * LogMaintenance}'s job.
 *
 * <pre>flink run -c dev.shoppulse.jobs.logs.LogIngestJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --postgres.url jdbc:postgresql://db:5432/shop</pre>
 */
public final class LogIngestJob {
    public static final String NAME = LogsCapability.JOB.name();

    private LogIngestJob() {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, LogIngestJob::build);
    }

    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, LogsCapability.LOGS, NAME, "logs-source");
        topology(
                raw, config, PostgresSettings.from(config), JobSetup.exactlyOnceSink(config, NAME));
    }

    public static void topology(
            DataStream<RawRecord> raw,
            ShopPulseConfig config,
            PostgresSettings postgres,
            Sink<KafkaOut> kafka) {
        SingleOutputStreamOperator<SourcedLogEntry> routed =
                raw.process(
                                new RetentionRouter(
                                        (int)
                                                config.getDuration(LogsCapability.LOGS_RETENTION)
                                                        .toDays(),
                                        config.getInt(LogsCapability.LOGS_PRECREATE_DAYS),
                                        config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                                        Clock.systemUTC(),
                                        EventDomains.logs(
                                                EventDomains.window(
                                                        config, LogsCapability.LOGS_MAX_FUTURE))))
                        .returns(TypeInformation.of(SourcedLogEntry.class))
                        .name("parse-and-route")
                        .uid("logs-router");
        int maxDeadLetterBytes = config.getInt(Settings.DLQ_MAX_VALUE_BYTES);
        DataStream<DeadLetter> rejected =
                routed.transform(
                                "app-logs-postgres",
                                TypeInformation.of(DeadLetter.class),
                                new GuardedJdbcWriter<>(
                                        postgres,
                                        new LogRows(),
                                        Rejections.positioned(
                                                config.topic(LogsCapability.LOGS),
                                                maxDeadLetterBytes,
                                                e -> LogsCapability.LOGS.codec().encode(e.entry()),
                                                e -> null,
                                                e -> new long[] {e.partition(), e.offset()}),
                                        "insert",
                                        config.getInt(LogsCapability.LOGS_BATCH_SIZE),
                                        config.getDuration(LogsCapability.LOGS_BATCH_INTERVAL)
                                                .toMillis()))
                        .uid("logs-pg")
                        .map(d -> d)
                        .returns(TypeInformation.of(DeadLetter.class))
                        .name("app-logs-postgres-savepoint-compat")
                        // The connector's JdbcSink this writer replaced had a committer; this
                        // pass-through keeps its (empty) state from 0.1.0 savepoints.
                        .uid("Sink Committer: logs-pg");
        JobSetup.encodeDeadLetters(
                        routed.getSideOutput(RetentionRouter.DEAD_LETTERS).union(rejected),
                        config,
                        LogsCapability.LOGS_DLQ)
                .sinkTo(kafka)
                .name("kafka-out")
                .uid("logs-kafka-sink");
    }

    /** The idempotent insert: a Kafka position already stored is skipped. */
    static final class LogRows implements JdbcRows<SourcedLogEntry> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return LogSql.INSERT_SOURCED;
        }

        @Override
        public void bind(PreparedStatement ps, SourcedLogEntry s) throws SQLException {
            LogEntry e = s.entry();
            ps.setTimestamp(1, Timestamp.from(e.loggedAt()));
            ps.setString(2, e.service());
            ps.setString(3, e.level());
            ps.setString(4, e.message());
            ps.setInt(5, s.partition());
            ps.setLong(6, s.offset());
        }
    }
}
