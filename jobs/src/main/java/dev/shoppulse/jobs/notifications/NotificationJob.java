package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedKeyedFunction;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Profile-update emails under a hard provider limit: Kafka {@code profile-updates} → parse →
 * keyBy(userId) → {@link ProfileUpdateCoalescer} → {@link EmailSink} (global sliding-window ceiling
 * in Redis, retries, Idempotency-Key); bad records → {@code profile-updates.dlq}, refused
 * notifications → {@code notifications.dlq}.
 *
 * <pre>flink run -c dev.shoppulse.jobs.notifications.NotificationJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --redis.host redis --notifications.provider-url https://...
 * </pre>
 */
public final class NotificationJob {
    public static final String NAME = NotificationsCapability.JOB.name();

    /** Consecutive checkpoint failures the job rides out (a day of 10-minute timeouts is 144). */
    static final int TOLERATED_CHECKPOINT_FAILURES = 150;

    private NotificationJob() {}

    /** Where the job's outputs go; tests pass their own. */
    public record Sinks(Sink<KafkaOut> kafka, Sink<Notification> email) {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, NotificationJob::build);
    }

    /** Wires the job on {@code env} with its real Kafka sources and sinks. */
    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        topology(source(env, config), reportReadySource(env, config), config, sinks(config));
    }

    /** reports: finished reports, one email each through the same throttled sink. */
    public static DataStream<RawRecord> reportReadySource(
            StreamExecutionEnvironment env, ShopPulseConfig config) {
        return JobSetup.rawStream(
                env,
                config,
                ReportsCapability.REPORT_READY,
                NAME + "-reports",
                "notify-report-ready-source");
    }

    public static DataStream<RawRecord> source(
            StreamExecutionEnvironment env, ShopPulseConfig config) {
        return JobSetup.rawStream(
                env, config, NotificationsCapability.PROFILE_UPDATES, NAME, "notify-source");
    }

    public static Sinks sinks(ShopPulseConfig config) {
        return new Sinks(
                JobSetup.exactlyOnceSink(config, NAME),
                new EmailSink(NotificationSettings.from(config)));
    }

    /** The operators, from raw records to sinks. Every stateful operator has a stable uid. */
    public static void topology(DataStream<RawRecord> raw, ShopPulseConfig config, Sinks sinks) {
        topology(raw, null, config, sinks);
    }

    /**
     * Like {@link #topology(DataStream, ShopPulseConfig, Sinks)}, plus {@code report-ready} events
     * (when {@code reportReady} is not null) as emails into the same throttled sink; malformed ones
     * go to {@code profile-updates.dlq} with the rest of the job's bad input.
     */
    public static void topology(
            DataStream<RawRecord> raw,
            DataStream<RawRecord> reportReady,
            ShopPulseConfig config,
            Sinks sinks) {
        NotificationSettings settings = NotificationSettings.from(config);
        // While calls are moving the sink takes one record per answer and the backlog queues in
        // front of it; an unaligned barrier overtakes that queue (it becomes part of the
        // checkpoint) instead of waiting for the provider. During a pause the sink buffers (and
        // checkpoints) what it is given, so checkpoints keep completing through a 429 storm.
        // Should a checkpoint still expire (a pause that fills the sink's buffer), tolerate a run
        // of them (each costs only replay under the same Idempotency-Keys) instead of restarting
        // the job into the same storm.
        Configuration checkpointing = new Configuration();
        checkpointing.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        checkpointing.set(
                CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, TOLERATED_CHECKPOINT_FAILURES);
        raw.getExecutionEnvironment().configure(checkpointing);

        SingleOutputStreamOperator<SourcedProfileUpdate> parsed =
                raw.process(
                                new Parse<ProfileUpdated, SourcedProfileUpdate>(
                                        NotificationsCapability.PROFILE_UPDATES.codec(),
                                        EventDomains.profileUpdates(
                                                EventDomains.window(
                                                        config,
                                                        NotificationsCapability.NOTIFY_MAX_FUTURE)),
                                        SourcedProfileUpdate::of,
                                        settings.maxDeadLetterBytes()))
                        .returns(TypeInformation.of(SourcedProfileUpdate.class))
                        .name("parse")
                        .uid("notify-parse");

        SingleOutputStreamOperator<Notification> notifications =
                parsed.keyBy(SourcedProfileUpdate::userId)
                        .process(
                                new GuardedKeyedFunction<>(
                                        new ProfileUpdateCoalescer(settings),
                                        "coalesce",
                                        rejections(config, settings)))
                        .returns(TypeInformation.of(Notification.class))
                        .name("coalesce")
                        .uid("notify-coalescer");

        DataStream<Notification> emails = notifications;
        DataStream<DeadLetter> deadLetters =
                parsed.getSideOutput(Parse.DEAD_LETTERS)
                        .union(notifications.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS));
        if (reportReady != null) {
            SingleOutputStreamOperator<Notification> reports =
                    reportReady
                            .process(
                                    new Parse<ReportReady, Notification>(
                                            ReportsCapability.REPORT_READY.codec(),
                                            EventDomains.reportReady(
                                                    EventDomains.window(
                                                            config,
                                                            NotificationsCapability
                                                                    .NOTIFY_MAX_FUTURE)),
                                            (e, r) -> ReportReadyNotifications.of(e),
                                            settings.maxDeadLetterBytes()))
                            .returns(TypeInformation.of(Notification.class))
                            .name("parse-report-ready")
                            .uid("notify-parse-report-ready");
            emails =
                    emails.union(
                            reports.keyBy(Notification::notificationId)
                                    .process(new ReportReadyOnce())
                                    .returns(TypeInformation.of(Notification.class))
                                    .name("report-ready-once")
                                    .uid("notify-report-ready-once"));
            deadLetters = deadLetters.union(reports.getSideOutput(Parse.DEAD_LETTERS));
        }

        // A network exchange in front of the sink: while the sink waits for an answer it blocks
        // only its own task, and the barrier overtakes the records queued for it; chained, the
        // coalescer's timers would emit into the waiting sink and hold the barrier behind them.
        emails.rebalance()
                .sinkTo(sinks.email())
                .setParallelism(settings.sinkParallelism())
                .name("email-provider")
                .uid("notify-email-sink");

        JobSetup.encodeDeadLetters(deadLetters, config, NotificationsCapability.PROFILE_UPDATES_DLQ)
                .sinkTo(sinks.kafka())
                .name("kafka-out")
                .uid("notify-kafka-sink");
    }

    /** Dead letters of the coalescer, citing each update's Kafka position. */
    static Rejections<SourcedProfileUpdate> rejections(
            ShopPulseConfig config, NotificationSettings settings) {
        return Rejections.positioned(
                config.topic(NotificationsCapability.PROFILE_UPDATES),
                settings.maxDeadLetterBytes(),
                s -> NotificationsCapability.PROFILE_UPDATES.codec().encode(s.event()),
                s -> utf8(s.userId()),
                s -> new long[] {s.partition(), s.offset()});
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
