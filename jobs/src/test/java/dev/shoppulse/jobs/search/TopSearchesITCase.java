package dev.shoppulse.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.sql.Migrations;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka {@code searches} → {@link TopSearchesJob} → Redis on a MiniCluster, with a failure and
 * restart in the middle: every hour's ranking in Redis must equal the one this test computes on its
 * own from the events it generated, late corrections included, and too-late and malformed records
 * must reach {@code searches.dlq}.
 */
class TopSearchesITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(2);

    private static final Instant H0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final long HOUR = 3_600_000;
    private static final int PRODUCTS = 40;

    @RegisterExtension final SharedObjectsExtension shared = SharedObjectsExtension.create();

    /** This test's failure switch, shared with the job's operators across restarts. */
    private SharedReference<Injection> injection;

    private ShopPulseConfig config;
    private KafkaBroker kafka;
    private String searches;
    private String dlq;
    private SearchTraffic traffic;

    @BeforeEach
    void setUp() throws Exception {
        kafka = KafkaBroker.shared();
        config =
                kafka.withFreshTopics(TestServices.isolated(), 2, SearchCapability.JOB)
                        .with(SearchCapability.SEARCH_IDLE_TIMEOUT, "2s")
                        .with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "1s");
        searches = config.topic(SearchCapability.SEARCHES);
        traffic = new SearchTraffic(searches, H0, PRODUCTS, 42);
        dlq = config.topic(SearchCapability.SEARCHES_DLQ);
        Migrations.apply(config);
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO categories VALUES (1, 'Shoes'), (2, 'Books')");
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO products VALUES (?, ?, ?)")) {
                for (int i = 0; i < PRODUCTS; i++) {
                    ps.setString(1, "p" + i);
                    ps.setString(2, "Product " + i);
                    ps.setInt(3, 1 + i % 2);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        injection = shared.add(new Injection());
    }

    @AfterEach
    void tearDown() {
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(180)
    void everyHourInRedisEqualsTheIndependentRankingDespiteARestart() throws Exception {
        Configuration conf = JobSetup.flinkConfiguration(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        var raw =
                env.fromSource(
                                JobSetup.rawSource(config, searches, TopSearchesJob.NAME),
                                WatermarkStrategy.noWatermarks(),
                                "searches-source")
                        .uid("searches-source")
                        .map(new FailOnce(injection))
                        .returns(TypeInformation.of(RawRecord.class))
                        .uid("fail-once");
        TopSearchesJob.topology(raw, config, TopSearchesJob.sinks(config));
        JobClient job = env.executeAsync("top-searches-it");

        TopSearchesRedis redis;
        try (Redis client = Redis.open(RedisSettings.from(config));
                KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            redis = new TopSearchesRedis(client, Duration.ofHours(1));
            // Phase 1: hours 0-2 complete and the start of hour 3, a little out of order, with
            // some searches resolving to no product and some malformed records.
            for (int h = 0; h < 3; h++) {
                traffic.hour(producer, h, 0, 60, 1500, true);
            }
            traffic.hour(producer, 3, 0, 5, 200, true);
            traffic.send(
                    producer, 0, "k", "{\"eventId\":\"broken".getBytes(StandardCharsets.UTF_8));
            traffic.send(producer, 1, "k", "not json".getBytes(StandardCharsets.UTF_8));
            producer.flush();

            // Hour 2 final means both watermarks passed 03:00 (and stay below 03:05).
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> redis.hour(traffic.hourStart(2)).isPresent());
            // Lateness is judged against the watermark a restore brings back: let a checkpoint
            // taken after hour 2 closed complete, so the far-too-late searches below are too late
            // whatever the timing.
            long seen = injection.get().checkpointed.get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> injection.get().checkpointed.get() >= seen + 2);
            // Fail at the first record of phase 2: the restore must bring back closed hours,
            // counts and watermarks, so the replay of phase 2 still ranks exactly.
            injection.get().armed.set(true);

            // Phase 2: late searches for hour 2 (within the 10 min lateness: they correct it),
            // searches for hour 0 far too late (DLQ), the rest of hour 3, and a search at 04:10 on
            // both partitions to close hour 3.
            for (int i = 0; i < 120; i++) {
                traffic.search(
                        producer, i % 2, 2 * HOUR + 50 * 60_000 + i, "p" + (30 + i % 3), true);
            }
            for (int i = 0; i < 5; i++) {
                traffic.search(producer, i % 2, 30 * 60_000 + i, "p1", false);
            }
            traffic.hour(producer, 3, 5, 60, 1200, true);
            traffic.search(producer, 0, 4 * HOUR + 10 * 60_000, "p0", false);
            traffic.search(producer, 1, 4 * HOUR + 10 * 60_000, "p0", false);
            producer.flush();

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(
                            () -> {
                                assertThat(redis.latestHour()).contains(traffic.hourStart(3));
                                for (int h = 0; h < 4; h++) {
                                    assertThat(
                                                    SearchTraffic.entries(
                                                            redis.hour(traffic.hourStart(h))))
                                            .as("hour %d", h)
                                            .isEqualTo(traffic.top10(h));
                                }
                            });
            assertThat(injection.get().failed).as("the job failed and restarted mid-run").isTrue();
            TopSearches hour2 = redis.hour(traffic.hourStart(2)).orElseThrow().ranking();
            assertThat(hour2.provisional()).isFalse();
            assertThat(hour2.entries()).extracting(TopSearches.Entry::productId).contains("p30");
            assertThat(hour2.entries().get(0).name()).startsWith("Product ");
            assertThat(hour2.entries().get(0).category()).isIn("Shoes", "Books");
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.provisional().isPresent());

            // Dead letters are transactional: read them while the job still commits.
            List<DeadLetter> dead =
                    kafka.readCommitted(dlq, l -> l.size() >= 7, Duration.ofSeconds(60)).stream()
                            .map(r -> decode(r.value()))
                            .toList();
            assertThat(dead).filteredOn(d -> d.stage().equals("parse")).hasSize(2);
            assertThat(dead)
                    .filteredOn(d -> d.stage().equals("window"))
                    .hasSize(5)
                    .allMatch(d -> d.reason().startsWith("too late"))
                    .allMatch(d -> d.partition() >= 0 && d.offset() >= 0, "cites its position");
        } finally {
            job.cancel().get();
        }
    }

    private static DeadLetter decode(byte[] value) {
        try {
            return SearchCapability.SEARCHES_DLQ.codec().decode(value);
        } catch (dev.shoppulse.common.serde.BadRecordException e) {
            throw new AssertionError("unreadable dead letter", e);
        }
    }

    /** One test's failure switch: once armed, the job fails on the next record, once. */
    static final class Injection {
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicBoolean failed = new AtomicBoolean();

        /** The latest checkpoint the job completed. */
        final AtomicLong checkpointed = new AtomicLong();
    }

    /** Throws once, at the first record after the test armed it; reports checkpoints. */
    static final class FailOnce implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
        private final SharedReference<Injection> injection;

        FailOnce(SharedReference<Injection> injection) {
            this.injection = injection;
        }

        @Override
        public RawRecord map(RawRecord r) {
            Injection i = injection.get();
            if (i.armed.get() && i.failed.compareAndSet(false, true)) {
                throw new IllegalStateException(
                        "injected failure at " + r.partition() + "@" + r.offset());
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            injection.get().checkpointed.accumulateAndGet(checkpointId, Math::max);
        }
    }
}
