package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
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
    public static final String NAME = "profile-notifications";

    private NotificationJob() {}

    /** Where the job's outputs go; tests pass their own. */
    public record Sinks(Sink<KafkaOut> kafka, Sink<Notification> email) {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, NotificationJob::build);
    }

    /** Wires the job on {@code env} with its real Kafka source and sinks. */
    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        topology(source(env, config), config, sinks(config));
    }

    public static DataStream<RawRecord> source(
            StreamExecutionEnvironment env, ShopPulseConfig config) {
        return JobSetup.rawStream(env, config, Topics.PROFILE_UPDATES, NAME, "notify-source");
    }

    public static Sinks sinks(ShopPulseConfig config) {
        return new Sinks(
                JobSetup.exactlyOnceSink(config, NAME),
                new EmailSink(NotificationSettings.from(config)));
    }

    /** The operators, from raw records to sinks. Every stateful operator has a stable uid. */
    public static void topology(DataStream<RawRecord> raw, ShopPulseConfig config, Sinks sinks) {
        NotificationSettings settings = NotificationSettings.from(config);
        String dlqTopic = config.topic(Topics.PROFILE_UPDATES_DLQ);

        SingleOutputStreamOperator<ProfileUpdated> parsed =
                raw.process(
                                new Parse<ProfileUpdated, ProfileUpdated>(
                                        Topics.PROFILE_UPDATES.codec(),
                                        (e, r) -> e,
                                        settings.maxDeadLetterBytes()))
                        .returns(TypeInformation.of(ProfileUpdated.class))
                        .name("parse")
                        .uid("notify-parse");

        SingleOutputStreamOperator<Notification> notifications =
                parsed.keyBy(ProfileUpdated::userId)
                        .process(new ProfileUpdateCoalescer(settings))
                        .returns(TypeInformation.of(Notification.class))
                        .name("coalesce")
                        .uid("notify-coalescer");

        notifications
                .sinkTo(sinks.email())
                .setParallelism(settings.sinkParallelism())
                .name("email-provider")
                .uid("notify-email-sink");

        parsed.getSideOutput(Parse.DEAD_LETTERS)
                .map(d -> KafkaOut.of(dlqTopic, Topics.PROFILE_UPDATES_DLQ, null, d))
                .returns(JobSetup.kafkaOutType())
                .name("encode-dead-letters")
                .sinkTo(sinks.kafka())
                .name("kafka-out")
                .uid("notify-kafka-sink");
    }
}
