package dev.shoppulse.jobs.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.topics.Topics;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.jobs.logs.LogIngestJob;
import dev.shoppulse.jobs.metering.RequestMeteringJob;
import dev.shoppulse.jobs.notifications.NotificationJob;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.jobs.pincodes.PincodeUpdateJob;
import dev.shoppulse.jobs.reports.ReportJob;
import dev.shoppulse.jobs.reports.ShardHook;
import dev.shoppulse.jobs.search.TopSearchesJob;
import dev.shoppulse.sql.Migrations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint compatibility: every savepoint kept under {@code
 * src/test/resources/savepoints/<ShopPulse version>/orders} (one per released version) restores
 * into today's order sequencing job without {@code allowNonRestoredState}, and the state in it
 * (next expected seq, buffered out-of-order events) carries on exactly.
 *
 * <p>Each savepoint was taken after {@link #phaseOne}: for every order seq 3 then seq 1 were sent,
 * so seq 1 was emitted and seq 3 sits buffered. After restoring, sending {@link #phaseOne} again
 * (so offsets line up on the fresh broker, and the restored source skips it) and then seq 2 and 4
 * must emit exactly 2, 3, 4 per order. Regenerate the savepoint of a new release with {@code mvn -B
 * verify -pl jobs -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=SavepointCompatibilityITCase -Dshoppulse.savepoint.generate=<version>} and commit the
 * directory it writes.
 */
class SavepointCompatibilityITCase {
    private static final Path KEPT = Path.of("src/test/resources/savepoints");
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final int ORDERS = 12;

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(4);

    @TempDir Path tmp;

    /** A job of the jar other than the order job, kept as a savepoint taken while idle. */
    record OtherJob(String name, BiConsumer<StreamExecutionEnvironment, ShopPulseConfig> build) {}

    /**
     * Their savepoints hold every operator's (empty or source/sink) state with its serializer
     * snapshots: restoring them checks uids, operator set and state types, not contents.
     */
    static final List<OtherJob> OTHER_JOBS =
            List.of(
                    new OtherJob("metering", RequestMeteringJob::build),
                    new OtherJob("pincodes", PincodeUpdateJob::build),
                    new OtherJob("notifications", NotificationJob::build),
                    new OtherJob("logs", LogIngestJob::build),
                    new OtherJob("search", TopSearchesJob::build),
                    new OtherJob("reports", (env, c) -> ReportJob.build(env, c, ShardHook.NONE)));

    private final KafkaBroker kafka = KafkaBroker.shared();

    /** Fixed names: the Kafka source's and sink's state in the savepoint refer to them. */
    private ShopPulseConfig config(String version) {
        String base = "compat-" + version.replace('.', '_');
        return TestServices.isolated()
                .with(Settings.topicSetting(OrdersCapability.ORDERS.name()), base + "-orders")
                .with(
                        Settings.topicSetting(OrdersCapability.ORDERS_SEQUENCED.name()),
                        base + "-sequenced")
                .with(
                        Settings.topicSetting(OrdersCapability.ORDERS_ALERTS.name()),
                        base + "-alerts")
                .with(Settings.topicSetting(OrdersCapability.ORDERS_DLQ.name()), base + "-dlq")
                .with(Settings.KAFKA_TXN_PREFIX, base)
                .with(Settings.KAFKA_GROUP_PREFIX, base)
                .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                // A kept savepoint's gap timers are absolute times long past when it is restored:
                // they fire at once. Under "wait" they only alert, so the restored buffer is still
                // released by the missing seq, which is what this test checks.
                .with(OrdersCapability.ORDERS_GAP_POLICY, "wait")
                .with(Settings.CHECKPOINT_INTERVAL, "300ms")
                .with(Settings.FLINK_PARALLELISM, 2)
                .with(Settings.CHECKPOINT_DIR, tmp.resolve("checkpoints").toUri().toString());
    }

    /** Every topic under a fixed per-version, per-job name, as the job's savepoint refers to it. */
    private ShopPulseConfig otherConfig(String version, String job) {
        String base = "compat-" + version.replace('.', '_') + "-" + job;
        ShopPulseConfig c =
                TestServices.isolated()
                        .with(Settings.KAFKA_TXN_PREFIX, base)
                        .with(Settings.KAFKA_GROUP_PREFIX, base)
                        .with(Settings.CHECKPOINT_INTERVAL, "300ms")
                        .with(Settings.FLINK_PARALLELISM, 2)
                        .with(
                                Settings.CHECKPOINT_DIR,
                                tmp.resolve("checkpoints").toUri().toString());
        for (Topic<?> t : Topics.ALL) {
            c = c.with(Settings.topicSetting(t.name()), base + "-" + t.name());
        }
        List<String> names = new ArrayList<>();
        for (Topic<?> t : Topics.ALL) {
            names.add(c.topic(t));
        }
        kafka.createTopics(2, names.toArray(String[]::new));
        Migrations.apply(c);
        return c;
    }

    private JobClient startOther(ShopPulseConfig c, OtherJob job, String savepoint)
            throws Exception {
        Configuration conf = JobSetup.flinkConfiguration(c);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(c.getInt(Settings.FLINK_PARALLELISM));
        job.build().accept(env, c);
        return env.executeAsync("savepoint-compat-" + job.name());
    }

    /** A savepoint needs every task running; retried until the job has deployed. */
    private String savepointWhenRunning(JobClient job, boolean stop) {
        String dir = tmp.resolve("sp").toUri().toString();
        String[] location = new String[1];
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () -> {
                            location[0] =
                                    (stop
                                                    ? job.stopWithSavepoint(
                                                            false,
                                                            dir,
                                                            SavepointFormatType.CANONICAL)
                                                    : job.triggerSavepoint(
                                                            dir, SavepointFormatType.CANONICAL))
                                            .get(30, TimeUnit.SECONDS);
                            return true;
                        });
        return location[0];
    }

    @Test
    @Timeout(240)
    void everyKeptSavepointOfTheOtherJobsRestoresWithoutDroppingState() throws Exception {
        Map<String, List<Path>> kept = new LinkedHashMap<>();
        for (OtherJob job : OTHER_JOBS) {
            kept.put(job.name(), keptSavepoints(job.name()));
        }
        // Per job: a total would let one job's extra savepoints hide another's missing one.
        assertThat(kept)
                .as("kept savepoints per other job")
                .allSatisfy((job, savepoints) -> assertThat(savepoints).as(job).isNotEmpty());
        Map<String, Integer> restored = new LinkedHashMap<>();
        for (OtherJob job : OTHER_JOBS) {
            for (Path savepoint : kept.get(job.name())) {
                String version = savepoint.getParent().getFileName().toString();
                ShopPulseConfig c = otherConfig(version, job.name());
                JobClient client =
                        startOther(c, job, savepoint.toAbsolutePath().toUri().toString());
                try {
                    // Restart strategy none: a state that does not restore fails the job, and the
                    // savepoint below (which needs every task running on restored state) with it.
                    assertThat(savepointWhenRunning(client, false))
                            .as(job.name() + " from " + version)
                            .isNotBlank();
                    restored.merge(job.name(), 1, Integer::sum);
                } finally {
                    client.cancel().get(30, TimeUnit.SECONDS);
                    TestServices.cleanUp(c);
                }
            }
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        kept.forEach((job, savepoints) -> expected.put(job, savepoints.size()));
        assertThat(restored).as("restored savepoints per other job").isEqualTo(expected);
    }

    private static List<List<OrderEvent>> orders() {
        OrderStreamGenerator gen =
                new OrderStreamGenerator(11, "compat-", 0, 0, 0).withEventsPerOrder(4);
        List<List<OrderEvent>> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(gen.lifeOf("compat-" + i, T0));
        }
        return orders;
    }

    /** What every kept savepoint has consumed: seq 3 then seq 1 of each order. */
    private static List<OrderEvent> phaseOne() {
        List<OrderEvent> events = new ArrayList<>();
        orders().forEach(o -> events.add(o.get(2)));
        orders().forEach(o -> events.add(o.get(0)));
        return events;
    }

    private void prepare(ShopPulseConfig c) {
        kafka.createTopics(
                2,
                c.topic(OrdersCapability.ORDERS),
                c.topic(OrdersCapability.ORDERS_SEQUENCED),
                c.topic(OrdersCapability.ORDERS_ALERTS),
                c.topic(OrdersCapability.ORDERS_DLQ));
        Migrations.apply(c);
    }

    private JobClient start(ShopPulseConfig c, String savepoint) throws Exception {
        Configuration conf = JobSetup.flinkConfiguration(c);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(c.getInt(Settings.FLINK_PARALLELISM));
        OrderSequencingJob.build(env, c);
        return env.executeAsync("savepoint-compat");
    }

    private void send(ShopPulseConfig c, List<OrderEvent> events) {
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            for (OrderEvent e : events) {
                p.send(
                        new ProducerRecord<>(
                                c.topic(OrdersCapability.ORDERS),
                                e.orderId().getBytes(StandardCharsets.UTF_8),
                                OrdersCapability.ORDERS.codec().encode(e)));
            }
        }
    }

    private List<OrderEvent> sequenced(ShopPulseConfig c, int atLeast) throws Exception {
        List<OrderEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readCommitted(
                        c.topic(OrdersCapability.ORDERS_SEQUENCED),
                        l -> l.size() >= atLeast,
                        Duration.ofSeconds(60))) {
            out.add(OrdersCapability.ORDERS_SEQUENCED.codec().decode(r.value()));
        }
        return out;
    }

    @Test
    @Timeout(180)
    void everyKeptOrderSavepointRestoresWithoutDroppingStateAndCarriesOn() throws Exception {
        List<Path> kept = keptSavepoints("orders");
        assertThat(kept).as("at least this release's savepoint is kept").isNotEmpty();
        for (Path savepoint : kept) {
            String version = savepoint.getParent().getFileName().toString();
            ShopPulseConfig c = config(version);
            prepare(c);
            send(c, phaseOne());
            JobClient job = start(c, savepoint.toAbsolutePath().toUri().toString());
            try {
                List<OrderEvent> later = new ArrayList<>();
                orders().forEach(o -> later.add(o.get(1)));
                orders().forEach(o -> later.add(o.get(3)));
                send(c, later);
                List<OrderEvent> out = sequenced(c, 3 * ORDERS);
                var byOrder =
                        out.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                OrderEvent::orderId,
                                                Collectors.mapping(
                                                        OrderEvent::seq, Collectors.toList())));
                assertThat(byOrder).as(version + ": orders seen after restore").hasSize(ORDERS);
                assertThat(byOrder.values())
                        .as(
                                version
                                        + ": seq 1 came before the savepoint, buffered seq 3 survived it")
                        .allSatisfy(seqs -> assertThat(seqs).containsExactly(2L, 3L, 4L));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
                TestServices.cleanUp(c);
            }
        }
    }

    private static List<Path> keptSavepoints(String job) throws IOException {
        try (Stream<Path> versions = Files.list(KEPT)) {
            return versions.map(v -> v.resolve(job)).filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Writes this build's savepoint to {@code src/test/resources/savepoints/<version>/orders}. */
    @Test
    @Timeout(180)
    @EnabledIfSystemProperty(named = "shoppulse.savepoint.generate", matches = ".+")
    void generate() throws Exception {
        String version = System.getProperty("shoppulse.savepoint.generate");
        ShopPulseConfig c = config(version);
        prepare(c);
        JobClient job = start(c, null);
        send(c, phaseOne());
        assertThat(sequenced(c, ORDERS)).extracting(OrderEvent::seq).containsOnly(1L);
        // Every input record's output is committed, so the savepoint's own Kafka transaction is
        // empty and holds nothing a later test's fresh broker would be asked to commit.
        String location =
                job.stopWithSavepoint(
                                false,
                                tmp.resolve("sp").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        Path target = KEPT.resolve(version).resolve("orders");
        copy(Path.of(java.net.URI.create(location)), target);
        TestServices.cleanUp(c);
        for (OtherJob other : OTHER_JOBS) {
            ShopPulseConfig oc = otherConfig(version, other.name());
            JobClient client = startOther(oc, other, null);
            String sp = savepointWhenRunning(client, true);
            copy(Path.of(java.net.URI.create(sp)), KEPT.resolve(version).resolve(other.name()));
            TestServices.cleanUp(oc);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
