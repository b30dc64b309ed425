package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The notification job end to end on real Kafka, Redis and the provider simulator. Time-scaled: the
 * provider allows 200 calls per 1 s sliding window (production: 200 per 60 s), the quiet window is
 * 200 ms, and 429s carry Retry-After 1 s (the 7 s, scaled).
 */
@Timeout(180)
class NotificationJobITCase {
    private static final int LIMIT = 200;
    private static final Duration WINDOW = Duration.ofSeconds(1);

    @RegisterExtension static final MiniClusterExtension MINI = TestJobs.miniCluster(8);

    @RegisterExtension final SharedObjectsExtension shared = SharedObjectsExtension.create();

    /** Set once this test's kill switch has failed the job; shared with its operators. */
    private SharedReference<AtomicBoolean> killed;

    @TempDir Path checkpoints;
    private ShopPulseConfig config;
    private ProviderSimulator provider;
    private JobClient job;
    private String updatesTopic;
    private String dlqTopic;

    @BeforeEach
    void setUp() {
        provider = ProviderSimulator.start(LIMIT, WINDOW);
        config = NotificationRig.config(provider, LIMIT, 4, checkpoints);
        updatesTopic = config.topic(NotificationsCapability.PROFILE_UPDATES);
        dlqTopic = config.topic(NotificationsCapability.NOTIFICATIONS_DLQ);
        killed = shared.add(new AtomicBoolean());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                // Already failed or finished: the assertion above says why.
            }
        }
        provider.close();
        TestServices.cleanUp(config);
    }

    @ParameterizedTest(name = "sink parallelism {0}")
    @ValueSource(ints = {2, 4})
    void twoThousandUsersGetExactlyOneEmailEachAndNoWindowIsOverTheLimit(int parallelism)
            throws Exception {
        config = config.with(NotificationsCapability.NOTIFY_SINK_PARALLELISM, parallelism);
        Set<String> expected = NotificationRig.produceUsers(config, "u", 2000);
        job = start(NotificationRig.restartNone(config), UnaryOperator.identity());

        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 2000);

        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        Map<String, Long> perUser =
                provider.accepted().stream()
                        .collect(
                                Collectors.groupingBy(
                                        ProviderSimulator.Accepted::userId, Collectors.counting()));
        assertThat(perUser).hasSize(2000).allSatisfy((u, n) -> assertThat(n).isEqualTo(1));
        assertThat(provider.violations()).as("windows over the limit").isZero();
        assertThat(provider.liveViolations()).isZero();
        assertThat(provider.maxCallsInAnyWindow()).isLessThanOrEqualTo(LIMIT);
        assertThat(provider.replays()).isZero();
    }

    @Test
    void retryAfterIsHonouredAndPermanentErrorsGoToTheDeadLetterTopicUntried() throws Exception {
        // Every 429 pauses every subtask for its Retry-After, so a few are plenty.
        provider.failRandomly(0.05, 1, 0.10, 7);
        Set<String> expected = NotificationRig.produceUsers(config, "f", 300);
        Set<String> refused = Set.of("f-7@example.com", "f-70@example.com", "f-170@example.com");
        refused.forEach(provider::rejectPermanently);
        expected.removeIf(
                id -> refused.contains(id.substring(0, id.indexOf(':')) + "@example.com"));
        job = start(NotificationRig.restartNone(config), UnaryOperator.identity());

        List<DeadLetter> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            if (dead.size() < 3) {
                                dead.clear();
                                KafkaBroker.shared().readAllCommitted(dlqTopic).stream()
                                        .map(r -> decodeDeadLetter(r.value()))
                                        .forEach(dead::add);
                            }
                            return provider.acceptedCount() >= expected.size() && dead.size() >= 3;
                        });

        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        List<ProviderSimulator.Call> calls = provider.calls();
        assertThat(calls).filteredOn(c -> c.status() == 429).hasSizeGreaterThan(5);
        assertThat(calls).filteredOn(c -> c.status() == 503).hasSizeGreaterThan(10);
        assertThat(provider.earlyRetries()).as("calls before their Retry-After").isZero();
        assertThat(provider.violations()).isZero();
        assertThat(dead)
                .hasSize(3)
                .allSatisfy(
                        d -> {
                            assertThat(d.reason()).startsWith("permanent provider error HTTP 422");
                            assertThat(d.stage()).isEqualTo("deliver");
                        });
        Set<String> deadUsers = new HashSet<>();
        dead.forEach(d -> deadUsers.add(decodeNotification(d.value()).email()));
        assertThat(deadUsers).isEqualTo(refused);
        Map<String, Integer> perKey = provider.callsPerKey();
        refused.forEach(
                email -> {
                    String user = email.substring(0, email.indexOf('@'));
                    assertThat(perKey.get(user + ":" + user + "-e1"))
                            .as("calls for the refused " + email)
                            .isEqualTo(1);
                });
    }

    @Test
    void aJobKilledBetweenSendsAndTheNextCheckpointRepeatsCallsOnlyUnderTheSameKey()
            throws Exception {
        // No checkpoint before the kill: everything is replayed, the worst case for duplicates.
        config = config.with(Settings.CHECKPOINT_INTERVAL, "1h");
        Set<String> expected = NotificationRig.produceUsers(config, "k", 300);
        Configuration flink = JobSetup.flinkConfiguration(config);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        flink.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        job = start(flink, this::killSwitch);

        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 100);
        try (KafkaProducer<byte[], byte[]> p = KafkaBroker.shared().producer(false)) {
            p.send(new ProducerRecord<>(updatesTopic, bytes("kill"), bytes("kill")));
        }
        await().atMost(Duration.ofSeconds(30)).untilTrue(killed.get());
        expected.addAll(NotificationRig.produceUsers(config, "k2", 100));

        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 400);
        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        assertThat(provider.replays()).as("repeated calls after the restart").isPositive();
        assertThat(provider.callsPerKey().keySet())
                .as("every call carried a notification id")
                .isSubsetOf(expected);
        assertThat(provider.violations()).isZero();
    }

    @Test
    void duringAnOutageTheBacklogStaysInKafkaAndIsDeliveredAfterwardsWithinTheLimit()
            throws Exception {
        provider.outage(true);
        Set<String> expected = NotificationRig.produceUsers(config, "o", 600);
        job = start(NotificationRig.restartNone(config), UnaryOperator.identity());
        String group = config.get(Settings.KAFKA_GROUP_PREFIX) + "-" + NotificationJob.NAME;

        await().atMost(Duration.ofSeconds(30)).until(() -> provider.calls().size() >= 10);
        // Holds for 2 s; the generous ceiling only allows for slow polls on a loaded machine.
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(20))
                .until(() -> provider.acceptedCount() == 0 && committed(group) == 0);
        provider.outage(false);

        await().atMost(Duration.ofSeconds(60)).until(() -> provider.acceptedCount() >= 600);
        assertThat(provider.acceptedKeys()).isEqualTo(expected);
        assertThat(provider.violations()).isZero();
        assertThat(provider.replays()).isZero();
        // Offsets are committed once the checkpoint after delivery completes.
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(group) == 600);
    }

    // --- helpers ---------------------------------------------------------------------------

    private DataStream<RawRecord> killSwitch(DataStream<RawRecord> raw) {
        // A local, so the serialized function carries the reference and not this test instance.
        SharedReference<AtomicBoolean> killed = this.killed;
        return raw.map(
                        r -> {
                            if ("kill".equals(KafkaBroker.text(r.key()))
                                    && killed.get().compareAndSet(false, true)) {
                                throw new IllegalStateException("kill switch: job killed by test");
                            }
                            return r;
                        })
                .returns(TypeInformation.of(RawRecord.class))
                .name("kill-switch");
    }

    private JobClient start(Configuration flink, UnaryOperator<DataStream<RawRecord>> around)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        NotificationJob.topology(
                around.apply(NotificationJob.source(env, config)),
                config,
                NotificationJob.sinks(config));
        return env.executeAsync(NotificationJob.NAME);
    }

    private long committed(String group) throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", KafkaBroker.shared().bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private static DeadLetter decodeDeadLetter(byte[] bytes) {
        try {
            return NotificationsCapability.NOTIFICATIONS_DLQ.codec().decode(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Notification decodeNotification(byte[] bytes) {
        try {
            return dev.shoppulse.common.serde.Json.MAPPER.readValue(bytes, Notification.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
