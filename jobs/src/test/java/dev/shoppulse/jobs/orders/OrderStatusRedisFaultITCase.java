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
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.PrivateRedis;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.Restarts;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The order job's Redis status projection while its Redis forgets: SCRIPT FLUSH (scripts gone, data
 * kept), then a restart of the redis-server (everything gone), each followed by more orders. The
 * oracle is the latest event of each order as sent.
 */
class OrderStatusRedisFaultITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(4);

    private final KafkaBroker kafka = KafkaBroker.shared();
    private PrivateRedis server;
    private ShopPulseConfig config;
    private JobClient job;

    @BeforeEach
    void setUp() {
        server = PrivateRedis.start();
        config =
                kafka.withFreshTopics(
                                server.pointedAt(TestServices.isolated()), 2, OrdersCapability.JOB)
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms");
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        TestJobs.cancelAndCleanUp(job, config, server);
    }

    @Test
    @Timeout(240)
    void everyStatusWrittenAfterAScriptFlushOrARestartReachesRedis(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 5);
        OrderSequencingJob.topology(
                JobSetup.rawStream(env, config, OrdersCapability.ORDERS, "it", "orders-source"),
                config,
                OrderSequencingJob.sinks(config));
        job = env.executeAsync("order-status-redis-faults");

        OrderStreamGenerator gen = new OrderStreamGenerator(11, "rf-", 0.0, 0.0, 0.0);
        Instant start = Instant.parse("2026-11-27T10:00:00Z");
        Map<String, OrderStatus> oracle = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer();
                Redis redis = Redis.open(RedisSettings.from(config))) {
            OrderStatusRedis statuses = new OrderStatusRedis(redis, Duration.ofMinutes(5));

            Set<String> first = send(p, gen.nextBatch(40, start), oracle);
            awaitEqual(statuses, oracle, first);

            // Scripts forgotten, data kept: the pipelined EVALSHA must reload them, no failure.
            server.scriptFlush();
            Set<String> second = send(p, gen.nextBatch(40, start), oracle);
            awaitEqual(statuses, oracle, second);
            awaitEqual(statuses, oracle, first);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("a forgotten script is reloaded, not a failure")
                    .isZero();

            // Everything forgotten, connections broken: the write fails loudly (a task failover
            // that replays from the last checkpoint), then every later status arrives.
            server.restart();
            Set<String> third = send(p, gen.nextBatch(40, start), oracle);
            awaitEqual(statuses, oracle, third);
            assertThat(Restarts.of(cluster, job.getJobID()))
                    .as("the failed write restarted the job instead of being dropped")
                    .isPositive();
            // Orders not touched since the restart are either gone with Redis's data or, where
            // the replay rewrote them, equal to the oracle: never an older status.
            for (String id : first) {
                Optional<OrderStatus> s = statuses.get(id);
                s.ifPresent(v -> assertThat(v).isEqualTo(oracle.get(id)));
            }
        }
    }

    private Set<String> send(
            KafkaProducer<byte[], byte[]> p, List<OrderEvent> events, Map<String, OrderStatus> to)
            throws Exception {
        String topic = config.topic(OrdersCapability.ORDERS);
        for (OrderEvent e : events) {
            p.send(
                    new ProducerRecord<>(
                            topic,
                            e.orderId().getBytes(StandardCharsets.UTF_8),
                            OrdersCapability.ORDERS.codec().encode(e)));
            to.merge(e.orderId(), OrderStatus.of(e), (a, b) -> a.lastSeq() >= b.lastSeq() ? a : b);
        }
        p.flush();
        return events.stream().map(OrderEvent::orderId).collect(Collectors.toSet());
    }

    private static void awaitEqual(
            OrderStatusRedis statuses, Map<String, OrderStatus> oracle, Set<String> ids) {
        await().atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            for (String id : ids) {
                                assertThat(statuses.get(id)).as(id).contains(oracle.get(id));
                            }
                        });
    }
}
