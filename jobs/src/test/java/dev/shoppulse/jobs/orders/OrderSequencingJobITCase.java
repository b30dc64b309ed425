package dev.shoppulse.jobs.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.redis.OrderStatusRedis;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka → OrderSequencingJob → Kafka + PostgreSQL + Redis on a MiniCluster and real services. */
class OrderSequencingJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(4);

    @RegisterExtension final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private final KafkaBroker kafka = KafkaBroker.shared();
    private ShopPulseConfig config;
    private String in;
    private String sequenced;
    private String dlq;
    private JobClient job;

    @BeforeEach
    void setUp() {
        config =
                kafka.withFreshTopics(TestServices.isolated(), 4, OrdersCapability.JOB)
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        in = config.topic(OrdersCapability.ORDERS);
        sequenced = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        dlq = config.topic(OrdersCapability.ORDERS_DLQ);
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config);
    }

    private JobClient start(
            int restartAttempts,
            SharedReference<FailAfterCheckpoint.Tally> failures,
            int recordsBeforeFailing)
            throws Exception {
        StreamExecutionEnvironment env =
                TestEnv.create(JobSetup.flinkConfiguration(config), restartAttempts);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, OrdersCapability.ORDERS, "it", "orders-source")
                        .map(new FailAfterCheckpoint(failures, recordsBeforeFailing))
                        .returns(RawRecord.class);
        OrderSequencingJob.topology(raw, config, OrderSequencingJob.sinks(config));
        return env.executeAsync("order-sequencing-it");
    }

    @Test
    @Timeout(240)
    void restartsFromCheckpointsWithoutLossOrDuplicatesAndProjectionsMatch() throws Exception {
        OrderStreamGenerator gen = new OrderStreamGenerator(42, "it-", 0.10, 0.05, 0.0);
        List<OrderEvent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        SharedReference<FailAfterCheckpoint.Tally> failures =
                shared.add(new FailAfterCheckpoint.Tally(3));
        job = start(10, failures, 200);
        // Input keeps trickling in until all three failures have hit the running job, so each
        // failure lands mid-stream and each restart resumes from a completed checkpoint.
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger batches = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            producer.scheduleAtFixedRate(
                    () -> {
                        List<OrderEvent> batch =
                                gen.nextBatch(60, Instant.parse("2026-11-27T10:00:00Z"));
                        for (OrderEvent e : batch) {
                            p.send(
                                    record(
                                            in,
                                            e.orderId(),
                                            OrdersCapability.ORDERS.codec().encode(e)));
                        }
                        sent.addAll(batch);
                        batches.incrementAndGet();
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> failures.get().failures() >= 3 && batches.get() >= 30);
            producer.shutdown();
            assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            p.flush();
        }
        Map<String, List<OrderEvent>> expected =
                sent.stream()
                        .distinct()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        expected.values().forEach(l -> l.sort(Comparator.comparingLong(OrderEvent::seq)));
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();

        List<ConsumerRecord<byte[], byte[]>> out =
                kafka.readCommitted(
                        sequenced, r -> r.size() >= expectedCount, Duration.ofSeconds(150));
        assertThat(failures.get().failures()).as("injected failures").isEqualTo(3);

        List<OrderEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            OrderEvent e = OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value());
            assertThat(KafkaBroker.text(r.key())).isEqualTo(e.orderId());
            events.add(e);
        }
        Set<String> ids = new HashSet<>();
        List<String> repeated =
                events.stream().map(OrderEvent::eventId).filter(id -> !ids.add(id)).toList();
        assertThat(repeated).as("duplicates in read_committed output").isEmpty();
        Map<String, List<OrderEvent>> actual =
                events.stream()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        assertThat(actual).as("each order complete and strictly in seq order").isEqualTo(expected);

        Map<String, OrderStatus> finalStatus = new HashMap<>();
        expected.forEach((id, l) -> finalStatus.put(id, OrderStatus.of(l.get(l.size() - 1))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(projection()).isEqualTo(finalStatus));
        try (Redis r = Redis.open(RedisSettings.from(config))) {
            OrderStatusRedis redis = new OrderStatusRedis(r, Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                for (OrderStatus s : finalStatus.values()) {
                                    assertThat(redis.get(s.orderId())).contains(s);
                                }
                            });
        }
        assertThat(kafka.readAllCommitted(dlq)).as("no dead letters for valid input").isEmpty();
    }

    @Test
    @Timeout(180)
    void poisonRecordsGoToTheDeadLetterTopicOnceEachAndTheJobNeverRestarts() throws Exception {
        job = start(0, shared.add(new FailAfterCheckpoint.Tally(0)), Integer.MAX_VALUE);
        OrderStreamGenerator gen = new OrderStreamGenerator(7, "poison-", 0.0, 0.0, 0.0);
        List<OrderEvent> good = gen.nextBatch(600, Instant.parse("2026-11-27T10:00:00Z"));
        List<byte[]> poison = poisonValues();
        Map<String, String> expectedReasons = new HashMap<>();
        List<String> followers = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            int bad = 0;
            for (int i = 0; i < good.size(); i++) {
                OrderEvent e = good.get(i);
                if (i % 100 == 50) {
                    // ~1% poison, each followed by a good record that must still be processed.
                    byte[] value = poison.get(bad++ % poison.size());
                    RecordMetadata m = p.send(record(in, e.orderId(), value)).get();
                    expectedReasons.put(m.topic() + "/" + m.partition() + "@" + m.offset(), "");
                    followers.add(e.eventId());
                }
                p.send(record(in, e.orderId(), OrdersCapability.ORDERS.codec().encode(e)));
            }
            // Every kind of poison at least once, at the end too.
            for (; bad < poison.size(); bad++) {
                RecordMetadata m = p.send(record(in, "tail-" + bad, poison.get(bad))).get();
                expectedReasons.put(m.topic() + "/" + m.partition() + "@" + m.offset(), "");
            }
        }

        List<ConsumerRecord<byte[], byte[]>> dead =
                kafka.readCommitted(
                        dlq, r -> r.size() >= expectedReasons.size(), Duration.ofSeconds(90));
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            letters.add(OrdersCapability.ORDERS_DLQ.codec().decode(r.value()));
        }
        assertThat(letters)
                .extracting(DeadLetter::position)
                .as("each bad record exactly once, with its source position")
                .containsExactlyInAnyOrderElementsOf(expectedReasons.keySet());
        assertThat(letters)
                .allSatisfy(
                        d -> {
                            assertThat(d.reason()).isNotBlank();
                            assertThat(d.stage()).isEqualTo("parse");
                        });
        assertThat(letters)
                .anySatisfy(
                        d -> {
                            assertThat(d.valueSize()).isEqualTo(10 * 1024 * 1024);
                            assertThat(d.value())
                                    .hasSize(config.getInt(Settings.DLQ_MAX_VALUE_BYTES));
                        });
        assertThat(letters).anySatisfy(d -> assertThat(d.reason()).isEqualTo("null value"));

        List<ConsumerRecord<byte[], byte[]>> out =
                kafka.readCommitted(
                        sequenced, r -> r.size() >= good.size(), Duration.ofSeconds(60));
        Set<String> emitted = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            emitted.add(OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value()).eventId());
        }
        assertThat(emitted).containsAll(followers).hasSize(good.size());
        assertThat(job.getJobStatus().get())
                .as("restart strategy is none: still running means no failure")
                .isEqualTo(JobStatus.RUNNING);
    }

    private static List<byte[]> poisonValues() {
        String valid =
                "{\"eventId\":\"p1\",\"orderId\":\"p\",\"seq\":1,\"type\":\"OrderPlaced\","
                        + "\"occurredAt\":\"2026-11-27T10:00:00Z\"}";
        byte[] invalidUtf8 = valid.getBytes(StandardCharsets.UTF_8);
        invalidUtf8[12] = (byte) 0xC3;
        invalidUtf8[13] = (byte) 0x28;
        byte[] huge = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) '{');
        // Arrays.asList, not List.of: the null value is one of the poisons.
        return java.util.Arrays.asList(
                valid.substring(0, 30).getBytes(StandardCharsets.UTF_8),
                valid.replace("\"seq\":1", "\"seq\":\"one\"").getBytes(StandardCharsets.UTF_8),
                valid.replace("\"orderId\":\"p\",", "").getBytes(StandardCharsets.UTF_8),
                valid.replace("\"seq\":1", "\"seq\":0").getBytes(StandardCharsets.UTF_8),
                valid.replace("\"seq\":1", "\"seq\":-3").getBytes(StandardCharsets.UTF_8),
                huge,
                invalidUtf8,
                null);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private Map<String, OrderStatus> projection() throws Exception {
        Map<String, OrderStatus> rows = new HashMap<>();
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT order_id, status, event_type, last_seq, updated_at FROM order_status")) {
            while (rs.next()) {
                rows.put(
                        rs.getString(1),
                        new OrderStatus(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getTimestamp(5).toInstant()));
            }
        }
        return rows;
    }
}
