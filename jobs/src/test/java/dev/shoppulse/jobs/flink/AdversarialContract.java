package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.hostile.HostileLimits;
import dev.shoppulse.common.hostile.HostileRecords;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adversarial contract every job signs: thousands of generated hostile records interleaved with
 * canary good records, at parallelism 2 with no restarts allowed, and afterwards the job is still
 * RUNNING with zero restarts, every canary had its effect, every dead letter that names a position
 * names a hostile record (never a canary), no position is dead-lettered twice, every dead letter
 * names its position unless its stage blames no single Kafka record, every dead letter has a
 * reason, and no guarded record or timer callback took a second or more. A job's ITCase only says
 * how to wire it, what a canary is and how to see a canary's effect.
 */
public abstract class AdversarialContract {
    private static final Logger LOG = LoggerFactory.getLogger(AdversarialContract.class);

    /** Hostile records each job is sent; sized so each suite stays around 40 s. */
    protected static final int HOSTILE = 1500;

    /** One canary after every this many hostile records. */
    protected static final int CANARY_EVERY = 50;

    protected final KafkaBroker kafka = KafkaBroker.shared();
    private final InMemoryReporter metrics;
    private final JobDefinition jobDefinition;
    protected ShopPulseConfig config;
    private JobClient job;

    /**
     * The contract for {@code capability}'s one job: its input, dead-letter and other topics come
     * from the capability's definition, so the test covers exactly what the registry declares.
     */
    protected AdversarialContract(InMemoryReporter metrics, CapabilityDefinition capability) {
        this.metrics = metrics;
        this.jobDefinition = capability.job();
    }

    /** A MiniCluster whose metrics {@code reporter} sees; declare it in each ITCase. */
    protected static MiniClusterExtension cluster(InMemoryReporter reporter) {
        Configuration conf = reporter.addToConfiguration(new Configuration());
        conf.set(MetricOptions.REPORTER_INTERVAL, Duration.ofMillis(200));
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(4)
                        .build());
    }

    /** The job's input topic, its first (hostile records and canaries go there). */
    protected Topic<?> input() {
        return jobDefinition.topics().get(0);
    }

    /** The job's dead-letter topic: its input's name with {@code .dlq}. */
    @SuppressWarnings("unchecked")
    protected Topic<DeadLetter> deadLetters() {
        String name = input().name() + ".dlq";
        return (Topic<DeadLetter>)
                jobDefinition.topics().stream()
                        .filter(t -> t.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(name + " is not declared"));
    }

    /** Every topic the job reads or writes. */
    protected Topic<?>[] topics() {
        return jobDefinition.topics().toArray(new Topic<?>[0]);
    }

    /** Job-specific settings on top of the isolated test configuration. */
    protected ShopPulseConfig configure(ShopPulseConfig c) {
        return c;
    }

    /**
     * Stages whose dead letters may lack a Kafka position, because what they reject is no longer
     * one Kafka record (a projection row, a report's shard); none by default.
     */
    protected Set<String> unpositionedStages() {
        return Set.of();
    }

    /** Set-up before the job starts (tables, partitions, services). */
    protected void prepare() throws Exception {}

    /** Wires the job under test onto {@code env}, with its real sinks. */
    protected abstract void wire(StreamExecutionEnvironment env) throws Exception;

    /** The Flink configuration of the job (most jobs: the shared one). */
    protected Configuration flinkConfiguration() {
        return JobSetup.flinkConfiguration(config);
    }

    /** The {@code i}-th canary: a good record with a unique identity. */
    protected abstract ProducerRecord<byte[], byte[]> canary(String topic, int i);

    /** A good record whose fields the common hostile generator mutates. */
    protected abstract byte[] template();

    /** Good records sent after everything else (e.g. to move event time on); none by default. */
    protected List<ProducerRecord<byte[], byte[]>> closing(String topic, int canaries) {
        return List.of();
    }

    /** True once every canary {@code 0..canaries-1} had its effect. */
    protected abstract boolean canariesArrived(int canaries) throws Exception;

    /** Release what {@link #prepare} started. */
    protected void release() throws Exception {}

    @BeforeEach
    void setUpContract() throws Exception {
        config =
                configure(
                        kafka.withFreshTopics(TestServices.isolated(), 2, topics())
                                .with(Settings.CHECKPOINT_INTERVAL, "300ms"));
        Migrations.apply(config);
        prepare();
    }

    @AfterEach
    void tearDownContract() throws Exception {
        try {
            if (job != null) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        } finally {
            try {
                release();
            } finally {
                TestServices.cleanUp(config);
            }
        }
    }

    @Test
    @Timeout(240)
    void survivesHostileInputWithoutRestartsAndEveryCanaryArrives() throws Exception {
        long started = System.nanoTime();
        StreamExecutionEnvironment env = TestEnv.create(flinkConfiguration(), 0);
        wire(env);
        job = env.executeAsync(getClass().getSimpleName());

        String topic = config.topic(input());
        HostileRecords generator = new HostileRecords(HostileLimits.SMALL);
        Random random = new Random(20261202L);
        byte[] template = template();
        byte[] templateKey = "hostile".getBytes(StandardCharsets.UTF_8);
        Set<String> hostilePositions = new HashSet<>();
        Set<String> canaryPositions = new HashSet<>();
        Map<String, String> what = new HashMap<>();
        int canaries = 0;
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            List<Future<RecordMetadata>> hostile = new ArrayList<>();
            List<String> hostileWhat = new ArrayList<>();
            List<Future<RecordMetadata>> good = new ArrayList<>();
            for (int i = 0; i < HOSTILE; i++) {
                HostileRecords.HostileRecord h = generator.record(random, templateKey, template);
                hostile.add(p.send(new ProducerRecord<>(topic, i % 2, h.key(), h.value())));
                hostileWhat.add(h.toString());
                if (i % CANARY_EVERY == CANARY_EVERY - 1 || i == HOSTILE - 1) {
                    ProducerRecord<byte[], byte[]> c = canary(topic, canaries++);
                    good.add(p.send(new ProducerRecord<>(topic, canaries % 2, c.key(), c.value())));
                }
            }
            for (ProducerRecord<byte[], byte[]> c : closing(topic, canaries)) {
                good.add(p.send(c));
            }
            p.flush();
            for (int k = 0; k < hostile.size(); k++) {
                String at = position(hostile.get(k).get());
                hostilePositions.add(at);
                what.put(at, hostileWhat.get(k));
            }
            for (Future<RecordMetadata> f : good) {
                canaryPositions.add(position(f.get()));
            }
        }
        int sent = canaries;

        await("every canary's effect")
                .atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> canariesArrived(sent));
        // Every record read before the canaries' effects was processed before a barrier that a
        // later checkpoint carries: two more completed checkpoints commit every dead letter.
        long checkpoints = completedCheckpoints();
        await("two more checkpoints")
                .atMost(Duration.ofSeconds(60))
                .until(() -> completedCheckpoints() >= checkpoints + 2);

        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        assertThat(jobGauge("numRestarts")).as("restarts").isZero();

        List<ConsumerRecord<byte[], byte[]>> dlq =
                kafka.readAllCommitted(config.topic(deadLetters()));
        Set<String> dead = new HashSet<>();
        int unpositioned = 0;
        int positionedAfterParse = 0;
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            DeadLetter d = deadLetters().codec().decode(r.value());
            assertThat(d.reason()).as("reason of %s", d).isNotBlank();
            assertThat(d.stage()).as("stage of %s", d).isNotBlank();
            if (d.partition() < 0) {
                // Rejected where no single Kafka record is to blame: the record's own bytes
                // identify it. Anywhere else a missing position is a bug.
                assertThat(unpositionedStages())
                        .as("a dead letter without its position: %s", d)
                        .contains(d.stage());
                unpositioned++;
                continue;
            }
            if (!d.stage().equals("parse")) {
                positionedAfterParse++;
            }
            String at = d.sourceTopic() + "/" + d.partition() + "@" + d.offset();
            assertThat(canaryPositions).as("a canary was dead-lettered: %s", d).doesNotContain(at);
            assertThat(hostilePositions).as("unknown position %s", d).contains(at);
            assertThat(dead.add(at)).as("dead-lettered twice: %s (%s)", d, what.get(at)).isTrue();
        }
        Map.Entry<String, Long> worstCall = worstGuarded("worstMillis");
        Map.Entry<String, Long> worstBatch = worstGuarded("worstBatchMillis");
        assertThat(worstCall.getKey())
                .as("a guarded step reported its timing")
                .isNotEqualTo("none");
        long worst = worstCall.getValue();
        assertThat(worst)
                .as("worst guarded record/timer ms, in %s", worstCall.getKey())
                .isLessThan(1000);
        LOG.info(
                "ADVERSARIAL {}: hostile={} canaries={} dead-lettered={} (with position {},"
                        + " without {}, with position after parsing {}) accepted={}"
                        + " worstGuardedMillis={} ({}) worstBatchMillis={}"
                        + " seconds={}",
                getClass().getSimpleName(),
                HOSTILE,
                sent,
                dlq.size(),
                dead.size(),
                unpositioned,
                positionedAfterParse,
                HOSTILE - dead.size() - unpositioned,
                worst,
                worstCall.getKey(),
                worstBatch.getValue(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static String position(RecordMetadata m) {
        return m.topic() + "/" + m.partition() + "@" + m.offset();
    }

    /**
     * Every metric of the job under test with its identifier. Read per group: identifiers of
     * same-named operators in different chains collide, so no single map can hold them all.
     */
    private List<Map.Entry<String, Metric>> jobMetrics() {
        String id = job.getJobID().toString();
        List<Map.Entry<String, Metric>> out = new ArrayList<>();
        metrics.getMetricsByGroup()
                .forEach(
                        (group, byName) -> {
                            if (id.equals(group.getAllVariables().get("<job_id>"))) {
                                byName.forEach(
                                        (name, m) ->
                                                out.add(
                                                        Map.entry(
                                                                group.getMetricIdentifier(name),
                                                                m)));
                            }
                        });
        return out;
    }

    private long jobGauge(String name) {
        return jobMetrics().stream()
                .filter(e -> e.getKey().endsWith("." + name))
                .mapToLong(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).longValue())
                .max()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private long completedCheckpoints() {
        return jobGauge("numberOfCompletedCheckpoints");
    }

    /** The longest single record or timer callback any guarded step of the job measured. */
    private Map.Entry<String, Long> worstGuarded(String gauge) {
        return jobMetrics().stream()
                .filter(e -> e.getKey().endsWith(".guard." + gauge))
                .map(
                        e ->
                                Map.entry(
                                        e.getKey(),
                                        ((Number) ((Gauge<?>) e.getValue()).getValue())
                                                .longValue()))
                .max(Map.Entry.comparingByValue())
                .orElse(Map.entry("none", 0L));
    }
}
