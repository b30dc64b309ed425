package dev.shoppulse.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisKeys;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.logs.LogMaintenance;
import dev.shoppulse.jobs.metering.RequestMeteringJob;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.SalesReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * Every job of the shaded jar on the real multi-process cluster (one JobManager, two TaskManager
 * JVMs), each submitted over REST with its real {@code main} and the flags of the {@link
 * ClusterJobs} catalogue, each fed a little traffic and checked in the real systems. Midway the
 * TaskManager running the metering job is SIGKILLed: the metering windows restored from the
 * checkpoint must equal an independent count (no loss, no double count), and every other job on
 * that TaskManager must still have its effect.
 */
class ClusterAllJobsITCase {
    private static final int PROFILE_USERS = 20;
    private static final int LOGS = 40;
    private static final int USERS = 20;

    private final KafkaBroker kafka = KafkaBroker.shared();
    private Path work;
    private ShopPulseConfig config;
    private FlinkProcessCluster cluster;
    private ProviderSimulator provider;

    @BeforeEach
    void setUp() throws Exception {
        work =
                Files.createDirectories(
                        Path.of("target", "cluster-all-jobs-it", String.valueOf(System.nanoTime()))
                                .toAbsolutePath());
        provider = ProviderSimulator.start(200, Duration.ofSeconds(1));
        List<Topic<?>> topics = new ArrayList<>();
        for (JobDefinition job : ClusterJobs.ALL) {
            for (Topic<?> t : job.topics()) {
                if (!topics.contains(t)) {
                    topics.add(t);
                }
            }
        }
        // One partition per topic: a watermark never waits for an idle partition.
        config =
                kafka.withFreshTopics(TestServices.isolated(), 1, topics.toArray(new Topic<?>[0]))
                        .with(Settings.FLINK_PARALLELISM, 1)
                        .with(Settings.CHECKPOINT_INTERVAL, "1s")
                        .with(Settings.RESTART_ATTEMPTS, 20)
                        .with(
                                Settings.CHECKPOINT_DIR,
                                work.resolve("checkpoints").toUri().toString())
                        .with(PincodesCapability.PINCODES_BATCH_INTERVAL, "100ms")
                        .with(LogsCapability.LOGS_BATCH_INTERVAL, "100ms")
                        .with(LogsCapability.LOGS_RETENTION, "30d")
                        .with(NotificationsCapability.NOTIFY_PROVIDER_URL, provider.url())
                        .with(NotificationsCapability.NOTIFY_LIMIT, 200)
                        .with(NotificationsCapability.NOTIFY_WINDOW, "1s")
                        .with(NotificationsCapability.NOTIFY_QUIET_WINDOW, "200ms")
                        .with(NotificationsCapability.NOTIFY_SINK_PARALLELISM, 1)
                        .with(SearchCapability.SEARCH_IDLE_TIMEOUT, "2s")
                        .with(SearchCapability.SEARCH_PROVISIONAL_INTERVAL, "1s")
                        .with(
                                ReportsCapability.REPORTS_STORE_DIR,
                                work.resolve("reports").toString())
                        .with(ReportsCapability.REPORTS_SHARD_PAUSE, "10ms");
        Files.createDirectories(work.resolve("reports"));
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        if (provider != null) {
            provider.close();
        }
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(600)
    void everyJobOfTheShadedJarRunsOnTheClusterAndMeteringSurvivesATaskManagerKill()
            throws Exception {
        // Seven jobs at parallelism 1 take one slot each. Two TaskManagers of eight slots: when
        // one is killed, the other has room for its jobs at once. Without spare slots the jobs
        // restart faster than a replacement TaskManager registers on a loaded machine, and use
        // up their restart attempts (seen: 20 attempts gone in 8 s).
        cluster =
                FlinkProcessCluster.start(
                        FlinkProcessCluster.Options.of(
                                        work.resolve("cluster"), ClusterArtifacts.flinkClasspath())
                                .withTaskManagers(2, 8),
                        Duration.ofSeconds(180));
        FlinkRest rest = cluster.rest();
        String jar = rest.uploadJar(ClusterArtifacts.jobsJar());
        Map<JobDefinition, String> ids = new LinkedHashMap<>();
        for (JobDefinition job : ClusterJobs.ALL) {
            ids.put(
                    job,
                    rest.run(jar, job.entryClass(), ClusterJobs.programArgs(config, job), 1, null));
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> allRunning(rest, ids.values()));

        Instant now = Instant.now();
        String schema = config.get(Settings.POSTGRES_SCHEMA);
        seedDatabase(schema, now);
        LocalDate reportFrom = LocalDate.parse("2026-05-01");
        ReportRow report;
        try (Connection c = TestServices.postgres(schema)) {
            SalesReport.seed(c, reportFrom, 3, 50);
            report = createReport(c, reportFrom, 3);
        }

        List<OrderEvent> orders = new ArrayList<>();
        OrderStreamGenerator gen = new OrderStreamGenerator(5, "all-", 0, 0, 0);
        // Metering: every event in one 10 s slice two hours ago, so each 1m and 1h window that
        // holds one holds all; a request "now" from another client closes those windows.
        Instant slice = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(115));
        Map<String, long[]> metered = new HashMap<>();
        Instant searchHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        Map<String, Long> searched = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            // --- phase 1: before the kill
            orders.addAll(gen.nextBatch(20, now));
            orders.forEach(e -> send(p, OrdersCapability.ORDERS, e.orderId(), e));
            meter(p, slice, "alice", 0, 30, 4, metered);
            meter(p, slice, "bob", 0, 12, 0, metered);
            search(p, searchHour, 0, searched);
            p.flush();

            // The metering input must be inside a completed checkpoint before the kill (its
            // source commits offsets on checkpoint completion), so the restore has to bring
            // the windows' counts back.
            String meterGroup =
                    config.get(Settings.KAFKA_GROUP_PREFIX) + "-" + RequestMeteringJob.NAME;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> committed(meterGroup) >= 42);
            String meteringJob = ids.get(RateLimitCapability.JOB);
            String victim = taskManagerOf(rest, meteringJob);
            cluster.killTaskManager(victim);
            cluster.startTaskManager();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> rest.restarts(meteringJob) > 0 && allRunning(rest, ids.values()));

            // --- phase 2: after the kill
            List<OrderEvent> more = gen.nextBatch(20, now);
            more.forEach(e -> send(p, OrdersCapability.ORDERS, e.orderId(), e));
            orders.addAll(more);
            meter(p, slice, "alice", 30, 20, 3, metered);
            meter(p, slice, "bob", 12, 5, 1, metered);
            send(
                    p,
                    RateLimitCapability.API_REQUESTS,
                    "closer",
                    request("closer-1", "closer", false, Instant.now()));
            search(p, searchHour, 1, searched);
            // One search past the end of the hour closes it.
            send(
                    p,
                    SearchCapability.SEARCHES,
                    "s",
                    new SearchEvent(
                            "close-hour",
                            null,
                            "s-1",
                            "q",
                            "p0",
                            searchHour.plus(Duration.ofMinutes(70))));
            for (int i = 0; i < USERS; i++) {
                send(
                        p,
                        PincodesCapability.PINCODE_UPDATES,
                        "u" + i,
                        new PincodeUpdate("user" + i + "@example.in", "5600" + (10 + i), now));
            }
            for (int i = 0; i < LOGS; i++) {
                send(
                        p,
                        LogsCapability.LOGS,
                        "svc",
                        new LogEntry(now.minus(Duration.ofMinutes(i)), "svc", "INFO", "row " + i));
            }
            for (int i = 0; i < PROFILE_USERS; i++) {
                String user = "pu-" + i;
                send(
                        p,
                        NotificationsCapability.PROFILE_UPDATES,
                        user,
                        new ProfileUpdated(
                                user + "-e1", user, user + "@example.com", List.of("name"), now));
            }
            send(
                    p,
                    ReportsCapability.REPORT_REQUESTS,
                    report.id(),
                    new ReportRequest(
                            report.id(),
                            report.owner(),
                            ReportRequest.SALES_BY_DAY_PRODUCT,
                            reportFrom,
                            reportFrom.plusDays(2),
                            Instant.now()));
            p.flush();
        }

        // --- effects, job by job, in the real systems
        // orders: every event once in the read_committed output
        Set<String> sentIds = new HashSet<>();
        orders.forEach(e -> sentIds.add(e.eventId()));
        List<String> sequenced = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                kafka.readCommittedConsumer(config.topic(OrdersCapability.ORDERS_SEQUENCED))) {
            await().atMost(Duration.ofSeconds(120))
                    .until(
                            () -> {
                                for (ConsumerRecord<byte[], byte[]> r :
                                        c.poll(Duration.ofMillis(200))) {
                                    sequenced.add(
                                            OrdersCapability.ORDERS_SEQUENCED
                                                    .codec()
                                                    .decode(r.value())
                                                    .eventId());
                                }
                                return sequenced.size() >= sentIds.size();
                            });
        }
        assertThat(sequenced).as("orders.sequenced: each event once").doesNotHaveDuplicates();
        assertThat(new HashSet<>(sequenced)).isEqualTo(sentIds);

        // metering: the restored windows equal the independent count
        RedisKeys keys = RedisSettings.from(config).keys();
        try (RedisClient redis = TestServices.redis()) {
            for (Map.Entry<String, long[]> e : metered.entrySet()) {
                for (String window : List.of("1m", "1h")) {
                    String key = keys.meter(window, e.getKey());
                    await().atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(300))
                            .untilAsserted(
                                    () ->
                                            assertThat(redis.hgetAll(key))
                                                    .as("%s %s", e.getKey(), window)
                                                    .containsEntry(
                                                            "requests",
                                                            Long.toString(e.getValue()[0]))
                                                    .containsEntry(
                                                            "limited",
                                                            Long.toString(e.getValue()[1])));
                }
            }

            // top searches: the hour's top 10 in Redis equals the independent ranking
            Redis port = Redis.open(RedisSettings.from(config));
            TopSearchesRedis tops = new TopSearchesRedis(port, Duration.ofHours(1));
            List<String> oracle =
                    searched.entrySet().stream()
                            .sorted(
                                    Map.Entry.<String, Long>comparingByValue()
                                            .reversed()
                                            .thenComparing(Map.Entry.comparingByKey()))
                            .limit(10)
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toList();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    tops.hour(searchHour)
                                                            .map(
                                                                    s ->
                                                                            s
                                                                                    .ranking()
                                                                                    .entries()
                                                                                    .stream()
                                                                                    .map(
                                                                                            x ->
                                                                                                    x
                                                                                                                    .productId()
                                                                                                            + "="
                                                                                                            + x
                                                                                                                    .count())
                                                                                    .toList())
                                                            .orElse(List.of()))
                                            .isEqualTo(oracle));
            port.close();
        }

        // pincodes: rows in PostgreSQL
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () ->
                                count(
                                                schema,
                                                "SELECT count(*) FROM users WHERE pincode LIKE '5600%'")
                                        == USERS);
        // logs: rows in PostgreSQL
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> count(schema, "SELECT count(*) FROM app_logs") >= LOGS);
        assertThat(count(schema, "SELECT count(*) FROM app_logs")).isEqualTo(LOGS);

        // notifications: one email per user accepted by the provider, within its limit
        Set<String> expectedMails = new HashSet<>();
        for (int i = 0; i < PROFILE_USERS; i++) {
            expectedMails.add(Notification.idFor("pu-" + i, "pu-" + i + "-e1"));
        }
        await().atMost(Duration.ofSeconds(90))
                .until(() -> provider.acceptedKeys().containsAll(expectedMails));
        assertThat(provider.violations()).isZero();

        // reports: the file equals the oracle and report-ready is published
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> reportStatus(schema, report.id()).equals(ReportRow.SUCCEEDED));
        try (Connection c = TestServices.postgres(schema)) {
            ReportRow done = ReportStore.find(c, report.id()).orElseThrow();
            Path file = work.resolve("reports").resolve(report.id()).resolve(done.file());
            assertThat(Files.readString(file))
                    .isEqualTo(SalesReport.csv(c, reportFrom, reportFrom.plusDays(2)));
        }
        List<ConsumerRecord<byte[], byte[]>> ready =
                kafka.readCommitted(
                        config.topic(ReportsCapability.REPORT_READY),
                        l -> !l.isEmpty(),
                        Duration.ofSeconds(60));
        ReportReady r = ReportsCapability.REPORT_READY.codec().decode(ready.get(0).value());
        assertThat(r.reportId()).isEqualTo(report.id());

        assertThat(rest.restarts(ids.get(RateLimitCapability.JOB)))
                .as("the kill failed the metering job over")
                .isPositive();

        // ./shoppulse cluster's stop: every job cancelled and ended within its deadline.
        long t0 = System.nanoTime();
        assertThat(rest.cancelAll(ids.values(), Duration.ofSeconds(20)))
                .as("tasks still running after the cancel")
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(25));
    }

    // --- helpers ------------------------------------------------------------------------------

    private static boolean allRunning(FlinkRest rest, java.util.Collection<String> jobs)
            throws Exception {
        for (String id : jobs) {
            if (!rest.allTasksRunning(id)) {
                return false;
            }
        }
        return true;
    }

    /** The resource id of a TaskManager running a task of the job. */
    private static String taskManagerOf(FlinkRest rest, String jobId) throws Exception {
        for (var v : rest.get("/jobs/" + jobId).path("vertices")) {
            for (var tm :
                    rest.get(
                                    "/jobs/"
                                            + jobId
                                            + "/vertices/"
                                            + v.path("id").asText()
                                            + "/taskmanagers")
                            .path("taskmanagers")) {
                String id = tm.path("taskmanager-id").asText();
                if (!id.isEmpty()) {
                    return id;
                }
            }
        }
        throw new AssertionError("no TaskManager found for job " + jobId);
    }

    private long committed(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            Map<?, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream()
                    .filter(o -> o != null)
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        }
    }

    private void meter(
            KafkaProducer<byte[], byte[]> p,
            Instant slice,
            String client,
            int from,
            int n,
            int limited,
            Map<String, long[]> expected) {
        for (int i = 0; i < n; i++) {
            send(
                    p,
                    RateLimitCapability.API_REQUESTS,
                    client,
                    request(
                            client + "-" + (from + i),
                            client,
                            i < limited,
                            slice.plusMillis((from + i) * 100L % 9_000)));
        }
        long[] e = expected.computeIfAbsent(client, k -> new long[2]);
        e[0] += n;
        e[1] += limited;
    }

    private static ApiRequestEvent request(String id, String client, boolean limited, Instant at) {
        return new ApiRequestEvent(
                id,
                client,
                "free",
                "POST",
                "/v1/quotes",
                limited ? 429 : 200,
                limited ? "limited" : "allowed",
                100,
                at);
    }

    /** Part {@code part} of the hour's searches: product p{i} gets 2 × (12 - i) in all. */
    private void search(
            KafkaProducer<byte[], byte[]> p, Instant hour, int part, Map<String, Long> expected) {
        int seq = 0;
        // In event-time order: minute k carries one search of each product p{i} with i < 12 - k.
        for (int k = 0; k < 12; k++) {
            for (int i = 0; i < 12 - k; i++) {
                String product = "p" + i;
                send(
                        p,
                        SearchCapability.SEARCHES,
                        "s",
                        new SearchEvent(
                                "s" + part + "-" + seq++,
                                null,
                                "s-1",
                                "query " + product,
                                product,
                                hour.plus(Duration.ofMinutes(part * 30L + k))));
                expected.merge(product, 1L, Long::sum);
            }
        }
    }

    private <T> void send(KafkaProducer<byte[], byte[]> p, Topic<T> topic, String key, T value) {
        p.send(
                new ProducerRecord<>(
                        config.topic(topic),
                        key.getBytes(StandardCharsets.UTF_8),
                        topic.codec().encode(value)));
    }

    private void seedDatabase(String schema, Instant now) throws Exception {
        LogMaintenance.runOnce(config, now);
        try (Connection c = TestServices.postgres(schema);
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO categories VALUES (1, 'Shoes')");
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO products VALUES (?, ?, 1)")) {
                for (int i = 0; i < 12; i++) {
                    ps.setString(1, "p" + i);
                    ps.setString(2, "Product " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
                String[] emails = new String[USERS];
                for (int i = 0; i < USERS; i++) {
                    emails[i] = "user" + i + "@example.in";
                }
                ps.setArray(1, c.createArrayOf("text", emails));
                ps.executeUpdate();
            }
        }
    }

    private ReportRow createReport(Connection c, LocalDate from, int days) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "");
        ReportStore.Created created =
                ReportStore.create(
                        c,
                        new ReportStore.NewReport(
                                id,
                                "alice",
                                ReportRequest.SALES_BY_DAY_PRODUCT,
                                "{\"from\":\""
                                        + from
                                        + "\",\"to\":\""
                                        + from.plusDays(days - 1)
                                        + "\"}",
                                id,
                                null,
                                days,
                                Instant.now().plusSeconds(3600)),
                        10);
        return ((ReportStore.Created.New) created).row();
    }

    private static String reportStatus(String schema, String id) throws Exception {
        try (Connection c = TestServices.postgres(schema)) {
            return ReportStore.find(c, id).map(ReportRow::status).orElse("?");
        }
    }

    private static long count(String schema, String sql) throws Exception {
        try (Connection c = TestServices.postgres(schema);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
