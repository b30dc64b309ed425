package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.GuardedJdbcWriter;
import dev.shoppulse.jobs.flink.GuardedKeyedFunction;
import dev.shoppulse.jobs.flink.JdbcRows;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.KafkaOut;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.Rejections;
import dev.shoppulse.sql.OrderStatusStore;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Ordered order events: Kafka {@code orders} → parse → keyBy(orderId) → {@link OrderSequencer} →
 * {@code orders.sequenced} (exactly-once), {@code orders.alerts}, {@code orders.dlq}, and the order
 * status projection in PostgreSQL and Redis.
 *
 * <pre>flink run -c dev.shoppulse.jobs.orders.OrderSequencingJob shoppulse-jobs-all.jar \
 *     --kafka.bootstrap kafka:9092 --postgres.url jdbc:postgresql://db:5432/shop</pre>
 */
public final class OrderSequencingJob {
    public static final String NAME = OrdersCapability.JOB.name();

    private OrderSequencingJob() {}

    /**
     * Where the job's outputs go; tests pass their own. {@code sequenced} gets the high-volume
     * ordered stream on its own transactional sink so it chains to the sequencer without a network
     * hop; {@code side} gets the low-volume alerts and dead letters. {@code postgres} is where the
     * order-status projection is written (null: no projection, e.g. in a benchmark).
     */
    public record Sinks(
            Sink<KafkaOut> sequenced,
            Sink<KafkaOut> side,
            PostgresSettings postgres,
            Sink<OrderEvent> redis) {}

    public static void main(String[] args) throws Exception {
        JobSetup.run(args, NAME, OrderSequencingJob::build);
    }

    /** Wires the job on {@code env} with its real Kafka source and sinks. */
    public static void build(StreamExecutionEnvironment env, ShopPulseConfig config) {
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, OrdersCapability.ORDERS, NAME, "orders-source");
        topology(raw, config, sinks(config));
    }

    public static Sinks sinks(ShopPulseConfig config) {
        return new Sinks(
                JobSetup.exactlyOnceSink(config, NAME),
                JobSetup.exactlyOnceSink(config, NAME + "-side"),
                PostgresSettings.from(config),
                new OrderStatusRedisSink(
                        RedisSettings.from(config),
                        config.getDuration(OrdersCapability.ORDERS_STATUS_TTL),
                        1000));
    }

    /** The operators, from raw records to sinks. Every stateful operator has a stable uid. */
    public static void topology(DataStream<RawRecord> raw, ShopPulseConfig config, Sinks sinks) {
        SequencerSettings settings = SequencerSettings.from(config);
        String sequencedTopic = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        String alertsTopic = config.topic(OrdersCapability.ORDERS_ALERTS);

        SingleOutputStreamOperator<SourcedOrderEvent> parsed =
                raw.process(
                                new Parse<OrderEvent, SourcedOrderEvent>(
                                        OrdersCapability.ORDERS.codec(),
                                        EventDomains.orders(
                                                EventDomains.window(
                                                        config,
                                                        OrdersCapability.ORDERS_MAX_FUTURE)),
                                        SourcedOrderEvent::of,
                                        settings.maxDeadLetterBytes()))
                        .returns(TypeInformation.of(SourcedOrderEvent.class))
                        .name("parse")
                        .uid("orders-parse");

        SingleOutputStreamOperator<OrderEvent> sequenced =
                parsed.keyBy(SourcedOrderEvent::orderId)
                        .process(
                                new GuardedKeyedFunction<>(
                                        new OrderSequencer(settings),
                                        "sequence",
                                        Rejections.positioned(
                                                config.topic(OrdersCapability.ORDERS),
                                                settings.maxDeadLetterBytes(),
                                                e ->
                                                        OrdersCapability.ORDERS
                                                                .codec()
                                                                .encode(e.event()),
                                                e -> utf8(e.orderId()),
                                                e -> new long[] {e.partition(), e.offset()})))
                        .returns(TypeInformation.of(OrderEvent.class))
                        .name("sequence")
                        .uid("orders-sequencer");

        DataStream<KafkaOut> sequencedOut =
                sequenced
                        .map(
                                e ->
                                        KafkaOut.of(
                                                sequencedTopic,
                                                OrdersCapability.ORDERS_SEQUENCED,
                                                e.orderId(),
                                                e))
                        .returns(JobSetup.kafkaOutType())
                        .name("encode-sequenced");
        DataStream<KafkaOut> alertsOut =
                sequenced
                        .getSideOutput(OrderSequencer.ALERTS)
                        .map(
                                a ->
                                        KafkaOut.of(
                                                alertsTopic,
                                                OrdersCapability.ORDERS_ALERTS,
                                                a.orderId(),
                                                a))
                        .returns(JobSetup.kafkaOutType())
                        .name("encode-alerts");
        DataStream<DeadLetter> deadLetters =
                parsed.getSideOutput(Parse.DEAD_LETTERS)
                        .union(sequenced.getSideOutput(OrderSequencer.DEAD_LETTERS));
        if (!OrderSequencer.DEAD_LETTERS.equals(GuardedKeyedFunction.DEAD_LETTERS)) {
            deadLetters =
                    deadLetters.union(sequenced.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS));
        }
        if (sinks.postgres() != null) {
            // Our own guarded writer rather than the connector's sink: a row PostgreSQL cannot
            // store becomes a dead letter instead of a fatal error of the shared TaskManager.
            deadLetters =
                    deadLetters.union(
                            sequenced
                                    .transform(
                                            "order-status-postgres",
                                            TypeInformation.of(DeadLetter.class),
                                            statusWriter(
                                                    sinks.postgres(),
                                                    config.topic(OrdersCapability.ORDERS),
                                                    settings.maxDeadLetterBytes()))
                                    .uid("orders-status-pg")
                                    .map(d -> d)
                                    .returns(TypeInformation.of(DeadLetter.class))
                                    .name("order-status-postgres-savepoint-compat")
                                    // The connector's JdbcSink this writer replaced had a
                                    // committer; this pass-through keeps its (empty) state
                                    // from 0.1.0 savepoints, so they restore as they are.
                                    .uid("Sink Committer: orders-status-pg"));
        }
        DataStream<KafkaOut> dlqOut =
                JobSetup.encodeDeadLetters(deadLetters, config, OrdersCapability.ORDERS_DLQ);

        sequencedOut.sinkTo(sinks.sequenced()).name("kafka-sequenced").uid("orders-kafka-sink");
        alertsOut
                .union(dlqOut)
                .sinkTo(sinks.side())
                .name("kafka-alerts-dlq")
                .uid("orders-kafka-side-sink");
        sequenced.sinkTo(sinks.redis()).name("order-status-redis").uid("orders-status-redis");
    }

    /** Order-status upserts, 500 a batch or every 200 ms, guarded against unstorable rows. */
    static GuardedJdbcWriter<OrderEvent> statusWriter(
            PostgresSettings postgres, String sourceTopic, int maxDeadLetterBytes) {
        return new GuardedJdbcWriter<>(
                postgres,
                new StatusRows(),
                Rejections.unpositioned(
                        sourceTopic,
                        maxDeadLetterBytes,
                        e -> OrdersCapability.ORDERS.codec().encode(e),
                        e -> utf8(e.orderId())),
                "order-status-postgres",
                500,
                200);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The guarded upsert of {@link OrderStatusStore#UPSERT_STATUS}: an older {@code last_seq}
     * changes nothing, so the at-least-once replays after a restart are harmless.
     */
    static final class StatusRows implements JdbcRows<OrderEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public String sql() {
            return OrderStatusStore.UPSERT_STATUS;
        }

        @Override
        public void bind(PreparedStatement ps, OrderEvent e) throws SQLException {
            OrderStatusStore.bindUpsert(ps, OrderStatus.of(e));
        }
    }
}
