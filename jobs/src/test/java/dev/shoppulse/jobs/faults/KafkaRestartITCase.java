package dev.shoppulse.jobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka broker restarted (stopped and started on the same ports and log directories) under the
 * order job, with input before and after: the job fails over and its read_committed output equals
 * the oracle (every order complete, in sequence order, no duplicates). A PRIVATE broker takes the
 * fault; the shared one is undisturbed.
 */
@Timeout(180)
class KafkaRestartITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    private KafkaBroker kafka;
    private ShopPulseConfig config;
    private JobClient job;

    @BeforeEach
    void setUp() {
        kafka = KafkaBroker.start();
        config =
                kafka.withFreshTopics(
                                TestServices.isolated()
                                        .with(Settings.KAFKA_BOOTSTRAP, kafka.bootstrap()),
                                2,
                                OrdersCapability.JOB)
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                        .with(Settings.CHECKPOINT_INTERVAL, "500ms");
        dev.shoppulse.sql.Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config, kafka);
    }

    @Test
    void restartedBrokerLeavesReadCommittedOutputEqualToTheOracle() throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 200);
        env.setParallelism(1);
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, OrdersCapability.ORDERS, "kr", "orders-source");
        OrderSequencingJob.topology(raw, config, OrderSequencingJob.sinks(config));
        job = env.executeAsync("orders-kafka-restart");

        OrderStreamGenerator gen = new OrderStreamGenerator(5, "kr-", 0.10, 0.05, 0.0);
        List<OrderEvent> sent = new ArrayList<>();
        send(gen, sent, 400);
        String out = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        // The job is committing output: the broker goes away mid-stream.
        assertThat(kafka.readCommitted(out, r -> r.size() >= 50, Duration.ofSeconds(90)))
                .hasSizeGreaterThanOrEqualTo(50);

        // Fault: the broker stops (every client connection and open transaction cut) and starts
        // again on the same ports and log directories.
        String before = kafka.bootstrap();
        kafka.stopBroker();
        kafka.startBroker();
        assertThat(kafka.bootstrap()).isEqualTo(before);
        send(gen, sent, 400);

        Map<String, List<OrderEvent>> expected =
                sent.stream()
                        .distinct()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        expected.values().forEach(l -> l.sort(Comparator.comparingLong(OrderEvent::seq)));
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();
        List<ConsumerRecord<byte[], byte[]>> records =
                kafka.readCommitted(out, r -> r.size() >= expectedCount, Duration.ofSeconds(120));
        List<OrderEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            events.add(OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value()));
        }
        Set<String> ids = new HashSet<>();
        assertThat(events.stream().map(OrderEvent::eventId).filter(id -> !ids.add(id)).toList())
                .as("duplicates in read_committed output")
                .isEmpty();
        assertThat(events.stream().collect(Collectors.groupingBy(OrderEvent::orderId)))
                .as("each order complete and strictly in seq order")
                .isEqualTo(expected);
    }

    private void send(OrderStreamGenerator gen, List<OrderEvent> sent, int n) {
        // Not idempotent: the restarted broker may reuse a producer id (see KafkaBroker.producer);
        // a duplicated input record is what the sequencer de-duplicates anyway.
        try (KafkaProducer<byte[], byte[]> p = kafka.producer(false)) {
            for (OrderEvent e : gen.nextBatch(n, Instant.parse("2026-11-27T10:00:00Z"))) {
                p.send(
                        new ProducerRecord<>(
                                config.topic(OrdersCapability.ORDERS),
                                e.orderId().getBytes(StandardCharsets.UTF_8),
                                OrdersCapability.ORDERS.codec().encode(e)));
                sent.add(e);
            }
            p.flush();
        }
    }
}
