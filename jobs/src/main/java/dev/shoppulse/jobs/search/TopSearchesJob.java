package dev.shoppulse.jobs.search;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedFunction;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import dev.shoppulse.jobs.flink.ResumedWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Top searched products: Kafka {@code searches} → parse (bad records to {@code searches.dlq}) →
 * event time → per-subtask pre-aggregation → keyBy(productId) → 1-hour tumbling windows counting
 * incrementally → per-subtask top N → one merge into the exact top N per hour → Redis, with product
 * names from PostgreSQL.
 *
 * <pre>flink run -c dev.shoppulse.jobs.search.TopSearchesJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --redis.host redis --postgres.url jdbc:postgresql://db/shop
 * </pre>
 */
public final class TopSearchesJob {
    public static final String NAME = SearchCapability.JOB.name();

    /** Distinct (hour, product) pairs the pre-aggregation holds before it flushes. */
    static final int PRE_AGGREGATE_ENTRIES = 200_000;

    private TopSearchesJob() {}

    /** Where the job's outputs go; tests pass their own. */
    public record Sinks(Sink<KafkaOut> kafka, Sink<HourRanking> rankings) {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, TopSearchesJob::build);
    }

    /** Wires the job on {@code env} with its real Kafka source and sinks. */
    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, SearchCapability.SEARCHES, NAME, "searches-source");
        topology(raw, config, sinks(config));
    }

    public static Sinks sinks(ShopPulseConfig config) {
        return new Sinks(
                JobSetup.exactlyOnceSink(config, NAME),
                new TopSearchesRedisSink(
                        RedisSettings.from(config),
                        config.getDuration(SearchCapability.SEARCH_RANKING_TTL),
                        ProductCatalog.Source.from(config)));
    }

    /** The operators, from raw records to sinks. Every stateful operator has a stable uid. */
    public static void topology(DataStream<RawRecord> raw, ShopPulseConfig config, Sinks sinks) {
        SearchSettings settings = SearchSettings.from(config);
        String sourceTopic = config.topic(SearchCapability.SEARCHES);

        SingleOutputStreamOperator<SourcedSearchEvent> parsed =
                raw.process(
                                new Parse<SearchEvent, SourcedSearchEvent>(
                                        SearchCapability.SEARCHES.codec(),
                                        EventDomains.searches(
                                                EventDomains.window(
                                                        config,
                                                        SearchCapability.SEARCH_MAX_FUTURE)),
                                        SourcedSearchEvent::of,
                                        settings.maxDeadLetterBytes()))
                        .returns(TypeInformation.of(SourcedSearchEvent.class))
                        .name("parse")
                        .uid("searches-parse");

        // Guarded: an instant that parses but does not fit epoch millis would otherwise throw in
        // the timestamp assigner, which cannot dead-letter.
        SingleOutputStreamOperator<SourcedSearchEvent> timed =
                parsed.process(
                                GuardedFunction.<SourcedSearchEvent, SourcedSearchEvent>of(
                                        s -> {
                                            s.event().occurredAt().toEpochMilli();
                                            return s;
                                        },
                                        "event-time",
                                        rejections(sourceTopic, settings)))
                        .returns(TypeInformation.of(SourcedSearchEvent.class))
                        .name("check-event-time")
                        .uid("searches-check-event-time");
        Ranked ranked = rankSourced(timed, settings);

        // The pre-aggregation decides "too late" per search, before it counts, so the search's
        // own position is still at hand: no window state holds positions.
        Rejections<SourcedSearchEvent> rejections = rejections(sourceTopic, settings);
        DataStream<DeadLetter> tooLate =
                ranked.tooLate()
                        .map(s -> rejections.deadLetter(s, TOO_LATE, "window"))
                        .returns(TypeInformation.of(DeadLetter.class))
                        .name("too-late-dead-letters");
        JobSetup.encodeDeadLetters(
                        parsed.getSideOutput(Parse.DEAD_LETTERS)
                                .union(timed.getSideOutput(GuardedFunction.DEAD_LETTERS), tooLate),
                        config,
                        SearchCapability.SEARCHES_DLQ)
                .sinkTo(sinks.kafka())
                .name("dlq-out")
                .uid("searches-kafka-sink");

        ranked.rankings()
                .sinkTo(sinks.rankings())
                .name("rankings-redis")
                .uid("searches-rankings-redis")
                .setParallelism(1);
    }

    static final String TOO_LATE =
            "too late: its hour closed more than search.allowed-lateness ago";

    /** Dead letters of the steps after parsing, citing each search's Kafka position. */
    static Rejections<SourcedSearchEvent> rejections(String sourceTopic, SearchSettings settings) {
        return Rejections.positioned(
                sourceTopic,
                settings.maxDeadLetterBytes(),
                s -> SearchCapability.SEARCHES.codec().encode(s.event()),
                s -> null,
                s -> new long[] {s.partition(), s.offset()});
    }

    /**
     * Keyed hourly counts per product (one long of state per product and hour), firing like a
     * 1-hour tumbling event-time window with the allowed lateness: see {@link HourlyCount}.
     */
    static SingleOutputStreamOperator<ProductHourCount> hourlyCounts(
            DataStream<ProductHourCount> partials, SearchSettings settings) {
        return partials.keyBy(ProductHourCount::productId)
                .transform(
                        "hourly-count",
                        TypeInformation.of(ProductHourCount.class),
                        new HourlyCount(settings))
                .uid("searches-hourly-count");
    }

    /** The ranking stream and the searches too late to count. */
    public record Ranked(
            DataStream<HourRanking> rankings, DataStream<SourcedSearchEvent> tooLate) {}

    /**
     * From generated searches (no Kafka position) to hourly rankings: the part the benchmark runs.
     */
    public static Ranked rank(DataStream<SearchEvent> searches, SearchSettings settings) {
        return rankSourced(
                searches.map(SourcedSearchEvent::unsourced)
                        .returns(TypeInformation.of(SourcedSearchEvent.class))
                        .name("unsourced"),
                settings);
    }

    /**
     * From parsed searches to hourly rankings. Watermarks are assigned here, after parsing, because
     * event time is inside the JSON.
     */
    static Ranked rankSourced(DataStream<SourcedSearchEvent> searches, SearchSettings settings) {
        SingleOutputStreamOperator<ProductHourCount> partials =
                searches.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<SourcedSearchEvent>forBoundedOutOfOrderness(
                                                settings.maxOutOfOrderness())
                                        .withTimestampAssigner(
                                                (s, ts) -> s.event().occurredAt().toEpochMilli())
                                        .withIdleness(settings.idleTimeout()))
                        .name("event-time")
                        .uid("searches-watermarks")
                        .transform(
                                "resume-watermarks",
                                searches.getType(),
                                new ResumedWatermarks<SourcedSearchEvent>(
                                        settings.maxOutOfOrderness()))
                        .uid("searches-resume-watermarks")
                        .transform(
                                "pre-aggregate",
                                TypeInformation.of(ProductHourCount.class),
                                new PreAggregate(settings, PRE_AGGREGATE_ENTRIES))
                        .uid("searches-pre-aggregate");

        DataStream<HourRanking> rankings =
                hourlyCounts(partials, settings)
                        .transform(
                                "local-top-n",
                                TypeInformation.of(ProductHourCount.class),
                                new LocalTopN(settings))
                        .uid("searches-local-top-n")
                        .transform(
                                "hourly-top-n",
                                TypeInformation.of(HourRanking.class),
                                new HourlyTopN(settings))
                        .setParallelism(1)
                        .setMaxParallelism(1)
                        .uid("searches-hourly-top-n");
        return new Ranked(rankings, partials.getSideOutput(PreAggregate.TOO_LATE));
    }
}
