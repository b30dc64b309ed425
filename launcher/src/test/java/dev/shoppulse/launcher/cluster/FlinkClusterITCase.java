package dev.shoppulse.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded jar on a real multi-process Flink session cluster (one JobManager JVM, TaskManager
 * JVMs), submitted over REST as {@code flink run} does: a TaskManager is SIGKILLed mid-stream and
 * replaced, then the job is upgraded from savepoints at parallelism 2 → 1 → 2; the read_committed
 * output must stay complete, duplicate-free and in per-order sequence throughout.
 */
class FlinkClusterITCase {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    /** Under target/, not a temp dir: the processes' logs stay for a failed run's diagnosis. */
    private Path work;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private ShopPulseConfig config;
    private String in;
    private String sequenced;
    private String dlq;
    private FlinkProcessCluster cluster;
    private String job;

    @BeforeEach
    void setUp() throws Exception {
        work =
                java.nio.file.Files.createDirectories(
                        Path.of(
                                        "target",
                                        "flink-cluster-it",
                                        String.valueOf(System.currentTimeMillis()))
                                .toAbsolutePath());
        config =
                kafka.withFreshTopics(TestServices.isolated(), 4, OrdersCapability.JOB)
                        // Nothing may be skipped: a gap must wait for its event across upgrades.
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                        .with(Settings.CHECKPOINT_INTERVAL, "500ms")
                        .with(Settings.RESTART_ATTEMPTS, 5)
                        .with(
                                Settings.CHECKPOINT_DIR,
                                work.resolve("checkpoints").toUri().toString());
        in = config.topic(OrdersCapability.ORDERS);
        sequenced = config.topic(OrdersCapability.ORDERS_SEQUENCED);
        dlq = config.topic(OrdersCapability.ORDERS_DLQ);
        Migrations.apply(config);
        output = new Output();
    }

    @AfterEach
    void tearDown() {
        if (output != null) {
            output.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(480)
    void survivesATaskManagerKillAndUpgradesTwoToOneToTwoWithStateIntact() throws Exception {
        // One slot per TaskManager: a parallelism-2 job runs on both, so the kill always hits it.
        cluster =
                FlinkProcessCluster.start(
                        FlinkProcessCluster.Options.of(
                                        work.resolve("cluster"), ClusterArtifacts.flinkClasspath())
                                .withTaskManagers(2, 1),
                        Duration.ofSeconds(180));
        FlinkRest rest = cluster.rest();
        String jar = rest.uploadJar(ClusterArtifacts.jobsJar());
        job = submit(rest, jar, 2, null);
        awaitRunning(rest, job);

        List<OrderEvent> sent = Collections.synchronizedList(new ArrayList<>());
        OrderStreamGenerator gen = new OrderStreamGenerator(8, "c-", 0.10, 0.05, 0.0);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            // --- failover: SIGKILL a TaskManager while traffic flows, start a replacement.
            // Bounded: 20 orders every 100 ms until 20 batches after the kill (at most 400).
            AtomicBoolean killed = new AtomicBoolean();
            AtomicInteger afterKill = new AtomicInteger();
            AtomicInteger batches = new AtomicInteger();
            ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
            traffic.scheduleAtFixedRate(
                    () -> {
                        if (batches.get() >= 400 || (killed.get() && afterKill.get() >= 20)) {
                            return;
                        }
                        List<OrderEvent> batch = gen.nextBatch(20, T0);
                        batch.forEach(e -> send(p, e));
                        sent.addAll(batch);
                        batches.incrementAndGet();
                        if (killed.get()) {
                            afterKill.incrementAndGet();
                        }
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> rest.completedCheckpoints(job) >= 3);
            long before = rest.completedCheckpoints(job);
            int sentBeforeKill = sent.size();
            String victim = cluster.taskManagerIds().get(0);
            cluster.killTaskManager(victim);
            killed.set(true);
            cluster.startTaskManager();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    rest.allTasksRunning(job)
                                            && rest.completedCheckpoints(job) >= before + 2);
            assertThat(rest.restarts(job)).as("the kill failed the job over").isGreaterThan(0);
            assertThat(rest.taskManagerIds()).doesNotContain(victim);
            await().atMost(Duration.ofSeconds(60)).until(() -> afterKill.get() >= 20);
            traffic.shutdown();
            assertThat(traffic.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sent.size())
                    .as("traffic flowed across the kill")
                    .isGreaterThan(sentBeforeKill);

            // --- upgrades 2 → 1 → 2: orders straddle each one, with out-of-order events buffered
            // in state at every savepoint.
            List<List<OrderEvent>> straddling = new ArrayList<>();
            OrderStreamGenerator six =
                    new OrderStreamGenerator(9, "up-", 0, 0, 0).withEventsPerOrder(6);
            for (int i = 0; i < 30; i++) {
                straddling.add(six.lifeOf("up-" + i, T0));
            }
            // seq 3 before seq 1 in the same partition: seq 1 in the output proves seq 3 was read.
            sendSeqs(p, straddling, sent, 3, 1);
            awaitSequenced(straddling, 1);
            String sp1 =
                    rest.stopWithSavepoint(
                            job, work.resolve("sp").toUri().toString(), Duration.ofSeconds(90));
            job = submit(rest, jar, 1, sp1);
            awaitRunning(rest, job);
            assertThat(sequencerParallelism(rest, job)).isEqualTo(1);
            // seq 2 releases the restored seq 3; seq 5 is buffered for the next upgrade.
            sendSeqs(p, straddling, sent, 5, 2);
            awaitSequenced(straddling, 3);
            String sp2 =
                    rest.stopWithSavepoint(
                            job, work.resolve("sp").toUri().toString(), Duration.ofSeconds(90));
            job = submit(rest, jar, 2, sp2);
            awaitRunning(rest, job);
            assertThat(sequencerParallelism(rest, job)).isEqualTo(2);
            sendSeqs(p, straddling, sent, 4, 6);
            p.flush();
        }

        Map<String, List<OrderEvent>> expected =
                sent.stream()
                        .distinct()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        expected.values().forEach(l -> l.sort(Comparator.comparingLong(OrderEvent::seq)));
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();
        List<OrderEvent> events = readSequenced(expectedCount);

        Set<String> ids = new HashSet<>();
        List<String> repeated =
                events.stream().map(OrderEvent::eventId).filter(id -> !ids.add(id)).toList();
        assertThat(repeated).as("duplicates in read_committed output").isEmpty();
        Map<String, List<OrderEvent>> actual =
                events.stream()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        assertThat(actual).as("each order complete and strictly in seq order").isEqualTo(expected);
        assertThat(kafka.readAllCommitted(dlq)).as("no dead letters for valid input").isEmpty();
    }

    private String submit(FlinkRest rest, String jar, int parallelism, String savepoint)
            throws Exception {
        return rest.run(
                jar,
                OrderSequencingJob.class.getName(),
                programArgs(config.with(Settings.FLINK_PARALLELISM, parallelism)),
                parallelism,
                savepoint);
    }

    /** The flags of the order job's catalogue entry, as an operator would pass them. */
    static List<String> programArgs(ShopPulseConfig c) {
        return ClusterJobs.programArgs(c, ClusterJobs.ORDERS);
    }

    private static void awaitRunning(FlinkRest rest, String jobId) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> rest.allTasksRunning(jobId));
    }

    private static int sequencerParallelism(FlinkRest rest, String jobId) throws Exception {
        for (var v : rest.get("/jobs/" + jobId).path("vertices")) {
            if (v.path("name").asText().contains("sequence")) {
                return v.path("parallelism").asInt();
            }
        }
        throw new AssertionError("no sequencer vertex in job " + jobId);
    }

    private void sendSeqs(
            KafkaProducer<byte[], byte[]> p,
            List<List<OrderEvent>> orders,
            List<OrderEvent> sent,
            int... seqs) {
        for (int seq : seqs) {
            for (List<OrderEvent> order : orders) {
                OrderEvent e = order.get(seq - 1);
                send(p, e);
                sent.add(e);
            }
        }
        p.flush();
    }

    private void send(KafkaProducer<byte[], byte[]> p, OrderEvent e) {
        p.send(
                new ProducerRecord<>(
                        in,
                        e.orderId().getBytes(StandardCharsets.UTF_8),
                        OrdersCapability.ORDERS.codec().encode(e)));
    }

    /** Waits until seq {@code seq} of every order is in the committed output. */
    private void awaitSequenced(List<List<OrderEvent>> orders, int seq) {
        Set<String> wanted =
                orders.stream().map(o -> o.get(seq - 1).eventId()).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            output.poll();
                            return output.eventIds().containsAll(wanted);
                        });
    }

    /**
     * The committed output read incrementally by one read_committed consumer: re-reading the whole
     * topic on every poll is too slow on a loaded machine.
     */
    private final class Output implements AutoCloseable {
        private final org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                kafka.readCommittedConsumer(sequenced);
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();

        void poll() throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(r);
                ids.add(OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value()).eventId());
            }
        }

        Set<String> eventIds() {
            return ids;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private Output output;

    private List<OrderEvent> readSequenced(int expectedCount) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (output.records.size() < expectedCount && System.nanoTime() < deadline) {
            output.poll();
        }
        List<OrderEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : output.records) {
            OrderEvent e = OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value());
            assertThat(KafkaBroker.text(r.key())).isEqualTo(e.orderId());
            events.add(e);
        }
        return events;
    }
}
