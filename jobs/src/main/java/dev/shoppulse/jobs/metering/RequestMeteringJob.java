package dev.shoppulse.jobs.metering;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedFunction;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import dev.shoppulse.jobs.flink.ResumedWatermarks;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;

/**
 * Request metering: Kafka {@code api-requests} → parse → per client, sliding event-time windows of
 * 1 minute (every 10 s), 1 hour (every minute) and 1 day (every hour) → counts in Redis for
 * dashboards and quotas, and clients with sustained 429s onto the block list the API consults.
 *
 * <pre>flink run -c dev.shoppulse.jobs.metering.RequestMeteringJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --redis.host redis</pre>
 */
public final class RequestMeteringJob {
    public static final String NAME = RateLimitCapability.JOB.name();

    /** How far a request's time may lag the newest one seen before its window closes. */
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    /** Window label, size and slide: the dashboards' three views of one client. */
    record WindowSpec(String label, Duration size, Duration slide) {}

    static final WindowSpec[] WINDOWS = {
        new WindowSpec("1m", Duration.ofMinutes(1), Duration.ofSeconds(10)),
        new WindowSpec("1h", Duration.ofHours(1), Duration.ofMinutes(1)),
        new WindowSpec("1d", Duration.ofDays(1), Duration.ofHours(1)),
    };

    private RequestMeteringJob() {}

    /** Where the job's outputs go; tests pass their own. */
    public record Sinks(Sink<KafkaOut> deadLetters, Sink<MeterCount> redis) {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, RequestMeteringJob::build);
    }

    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, RateLimitCapability.API_REQUESTS, NAME, "metering-source");
        topology(raw, config, sinks(config));
    }

    public static Sinks sinks(ShopPulseConfig config) {
        return new Sinks(
                JobSetup.exactlyOnceSink(config, NAME),
                new MeterRedisSink(
                        RedisSettings.from(config),
                        config.getInt(RateLimitCapability.METERING_ABUSE_THRESHOLD),
                        config.getDuration(RateLimitCapability.METERING_BLOCK_TTL)));
    }

    /** The operators, from raw records to sinks. Every stateful operator has a stable uid. */
    public static void topology(DataStream<RawRecord> raw, ShopPulseConfig config, Sinks sinks) {
        SingleOutputStreamOperator<SourcedApiRequest> parsed =
                raw.process(
                                new Parse<ApiRequestEvent, SourcedApiRequest>(
                                        RateLimitCapability.API_REQUESTS.codec(),
                                        EventDomains.apiRequests(
                                                EventDomains.window(
                                                        config,
                                                        RateLimitCapability.METERING_MAX_FUTURE)),
                                        SourcedApiRequest::of,
                                        config.getInt(Settings.DLQ_MAX_VALUE_BYTES)))
                        .returns(TypeInformation.of(SourcedApiRequest.class))
                        .name("parse")
                        .uid("metering-parse");
        // Guarded: an instant that parses but does not fit epoch millis would otherwise throw in
        // the timestamp assigner, which cannot dead-letter.
        SingleOutputStreamOperator<ApiRequestEvent> timed =
                parsed.process(
                                GuardedFunction.<SourcedApiRequest, ApiRequestEvent>of(
                                        s -> {
                                            s.event().at().toEpochMilli();
                                            return s.event();
                                        },
                                        "event-time",
                                        rejections(config)))
                        .returns(TypeInformation.of(ApiRequestEvent.class))
                        .name("check-event-time")
                        .uid("metering-check-event-time");
        JobSetup.encodeDeadLetters(
                        parsed.getSideOutput(Parse.DEAD_LETTERS)
                                .union(timed.getSideOutput(GuardedFunction.DEAD_LETTERS)),
                        config,
                        RateLimitCapability.API_REQUESTS_DLQ)
                .sinkTo(sinks.deadLetters())
                .name("dlq-out")
                .uid("metering-dlq-sink");

        // Event time is the API instance's clock: skew between instances shifts a request by
        // that skew within its window, which dashboards tolerate; idle partitions must not hold
        // the watermark back, or the 1-minute view would stall whenever traffic does.
        KeyedStream<ApiRequestEvent, String> byClient =
                timed.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<ApiRequestEvent>forBoundedOutOfOrderness(
                                                OUT_OF_ORDERNESS)
                                        .withTimestampAssigner((e, ts) -> e.at().toEpochMilli())
                                        .withIdleness(Duration.ofSeconds(10)))
                        .name("event-time")
                        .uid("metering-watermarks")
                        .transform(
                                "resume-watermarks",
                                timed.getType(),
                                new ResumedWatermarks<ApiRequestEvent>(OUT_OF_ORDERNESS))
                        .uid("metering-resume-watermarks")
                        .keyBy(ApiRequestEvent::clientId);

        DataStream<MeterCount> counts = null;
        for (WindowSpec w : WINDOWS) {
            DataStream<MeterCount> c =
                    byClient.window(SlidingEventTimeWindows.of(w.size(), w.slide()))
                            .aggregate(new CountRequests(), new LabelWindow(w.label()))
                            .returns(TypeInformation.of(MeterCount.class))
                            .name("count-" + w.label())
                            .uid("metering-count-" + w.label());
            counts = counts == null ? c : counts.union(c);
        }
        counts.sinkTo(sinks.redis()).name("meter-redis").uid("metering-redis-sink");
    }

    /** Dead letters of the steps after parsing, citing each request's Kafka position. */
    static Rejections<SourcedApiRequest> rejections(ShopPulseConfig config) {
        return Rejections.positioned(
                config.topic(RateLimitCapability.API_REQUESTS),
                config.getInt(Settings.DLQ_MAX_VALUE_BYTES),
                s -> RateLimitCapability.API_REQUESTS.codec().encode(s.event()),
                s -> null,
                s -> new long[] {s.partition(), s.offset()});
    }
}
