package dev.shoppulse.jobs.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.OrderStatus;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.common.traffic.OrderStreamGenerator;
import dev.shoppulse.jobs.flink.JobSetup;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.jobs.flink.TestEnv;
import dev.shoppulse.jobs.flink.TestJobs;
import dev.shoppulse.jobs.logs.LogIngestJob;
import dev.shoppulse.jobs.logs.LogMaintenance;
import dev.shoppulse.jobs.orders.OrderSequencingJob;
import dev.shoppulse.jobs.pincodes.PincodeUpdateJob;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.PincodeSql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted (stopped, then started on the same data directory and port) under the order,
 * pincode and log jobs, with input arriving before, during and after the outage. A PRIVATE embedded
 * PostgreSQL takes the fault, so the shared one is undisturbed. The jobs fail over (fixed-delay
 * restarts, enough attempts to outlast the outage) and replay from their last checkpoint; the
 * oracle is computed from what was sent: every order's final status, every user's newest pincode,
 * every log line, with nothing lost and replays harmless (guarded upserts).
 */
@Timeout(180)
class PostgresRestartITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestJobs.miniCluster(3);

    private static final int USERS = 100;
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final KafkaBroker kafka = KafkaBroker.shared();
    @TempDir Path dir;
    private EmbeddedPostgres pg;
    private int port;
    private ShopPulseConfig config;
    private final List<JobClient> jobs = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        pg = startPostgres();
        config =
                kafka.withFreshTopics(
                                TestServices.isolated(),
                                2,
                                OrdersCapability.JOB,
                                PincodesCapability.JOB,
                                LogsCapability.JOB)
                        .with(Settings.POSTGRES_URL, pg.getJdbcUrl("postgres", "postgres"))
                        .with(Settings.POSTGRES_USER, "postgres")
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "10m")
                        .with(PincodesCapability.PINCODES_BATCH_SIZE, 20)
                        .with(PincodesCapability.PINCODES_BATCH_INTERVAL, "100ms")
                        .with(LogsCapability.LOGS_RETENTION, "30d")
                        .with(LogsCapability.LOGS_BATCH_SIZE, 50)
                        .with(LogsCapability.LOGS_BATCH_INTERVAL, "100ms")
                        .with(Settings.CHECKPOINT_INTERVAL, "500ms");
        Migrations.apply(config);
        LogMaintenance.runOnce(config, Instant.now());
        try (Connection c = Postgres.connect(config);
                PreparedStatement ps = c.prepareStatement(PincodeSql.INSERT_USERS)) {
            String[] emails = new String[USERS];
            for (int k = 0; k < USERS; k++) {
                emails[k] = email(k);
            }
            ps.setArray(1, c.createArrayOf("text", emails));
            ps.executeUpdate();
        }
    }

    private EmbeddedPostgres startPostgres() throws Exception {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pgdata"))
                // Kept across the restart: the data must survive it, as a real server's does.
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (JobClient j : jobs) {
            j.cancel().get(30, TimeUnit.SECONDS);
        }
        if (pg != null) {
            pg.close();
        }
        TestServices.cleanUp(config);
    }

    @Test
    void restartedPostgresLosesNothingAndProjectionsEqualTheOracle() throws Exception {
        jobs.add(startOrders());
        jobs.add(startPincodes());
        jobs.add(startLogs());

        OrderStreamGenerator gen = new OrderStreamGenerator(11, "pg-", 0.10, 0.05, 0.0);
        List<OrderEvent> orders = new ArrayList<>();
        Map<String, String> pincodes = new HashMap<>();
        Set<String> logs = new HashSet<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
            send(p, 0, gen, orders, pincodes, logs, now);
            // The jobs are writing: PostgreSQL has some of phase 0 before it goes away.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> count("SELECT count(*) FROM order_status") > 0);

            // Fault: PostgreSQL stops (connections cut) and starts again on the same data.
            pg.close();
            send(p, 1, gen, orders, pincodes, logs, now);
            p.flush();
            pg = startPostgres();
            send(p, 2, gen, orders, pincodes, logs, now);
            p.flush();
        }

        Map<String, OrderStatus> expectedOrders = finalStatus(orders);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(orderProjection()).isEqualTo(expectedOrders);
                            assertThat(pincodeProjection()).isEqualTo(pincodes);
                            assertThat(logMessages()).isEqualTo(logs);
                        });
        // Nothing lost (above) and nothing left half-done: no row beyond the oracle's.
        assertThat(count("SELECT count(*) FROM order_status")).isEqualTo(expectedOrders.size());
        assertThat(count("SELECT count(DISTINCT message) FROM app_logs")).isEqualTo(logs.size());
    }

    /** One phase of input: orders, two pincode updates per user (newest first), log lines. */
    private void send(
            KafkaProducer<byte[], byte[]> p,
            int phase,
            OrderStreamGenerator gen,
            List<OrderEvent> orders,
            Map<String, String> pincodes,
            Set<String> logs,
            Instant now) {
        for (OrderEvent e : gen.nextBatch(200, T0)) {
            p.send(
                    record(
                            config.topic(OrdersCapability.ORDERS),
                            e.orderId(),
                            OrdersCapability.ORDERS.codec().encode(e)));
            orders.add(e);
        }
        for (int k = phase; k < USERS; k += 3) {
            Instant at = T0.plusSeconds(phase * 1000L + k);
            String newer = String.valueOf(110000 + phase * 1000 + k);
            String older = String.valueOf(220000 + phase * 1000 + k);
            // The newer one first: the older one arriving later (or replayed) must not win.
            pin(p, new PincodeUpdate(email(k), newer, at.plusSeconds(10)));
            pin(p, new PincodeUpdate(email(k), older, at));
            pincodes.put(email(k), newer);
        }
        for (int k = 0; k < 150; k++) {
            String msg = "phase " + phase + " row " + k;
            LogEntry e = new LogEntry(now.minus(Duration.ofMinutes(k)), "svc", "INFO", msg);
            p.send(
                    record(
                            config.topic(LogsCapability.LOGS),
                            e.service(),
                            LogsCapability.LOGS.codec().encode(e)));
            logs.add(msg);
        }
    }

    private void pin(KafkaProducer<byte[], byte[]> p, PincodeUpdate u) {
        p.send(
                record(
                        config.topic(PincodesCapability.PINCODE_UPDATES),
                        u.email(),
                        PincodesCapability.PINCODE_UPDATES.codec().encode(u)));
    }

    private static String email(int k) {
        return "user" + k + "@example.in";
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Fixed-delay restarts with enough attempts to outlast the outage. */
    private StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = TestEnv.create(JobSetup.flinkConfiguration(config), 200);
        env.setParallelism(1);
        return env;
    }

    private JobClient startOrders() throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, OrdersCapability.ORDERS, "pg", "orders-source");
        OrderSequencingJob.topology(raw, config, OrderSequencingJob.sinks(config));
        return env.executeAsync("orders-pg-restart");
    }

    private JobClient startPincodes() throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<RawRecord> raw =
                JobSetup.rawStream(
                        env, config, PincodesCapability.PINCODE_UPDATES, "pg", "pincodes-source");
        PincodeUpdateJob.topology(
                raw,
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "pincodes-pg"));
        return env.executeAsync("pincodes-pg-restart");
    }

    private JobClient startLogs() throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<RawRecord> raw =
                JobSetup.rawStream(env, config, LogsCapability.LOGS, "pg", "logs-source");
        LogIngestJob.topology(
                raw,
                config,
                PostgresSettings.from(config),
                JobSetup.exactlyOnceSink(config, "logs-pg"));
        return env.executeAsync("logs-pg-restart");
    }

    private static Map<String, OrderStatus> finalStatus(List<OrderEvent> sent) {
        Map<String, List<OrderEvent>> byOrder =
                sent.stream()
                        .distinct()
                        .collect(Collectors.groupingBy(OrderEvent::orderId, Collectors.toList()));
        Map<String, OrderStatus> out = new HashMap<>();
        byOrder.forEach(
                (id, l) ->
                        out.put(
                                id,
                                OrderStatus.of(
                                        l.stream()
                                                .max(Comparator.comparingLong(OrderEvent::seq))
                                                .orElseThrow())));
        return out;
    }

    private long count(String sql) throws Exception {
        try (Connection c = Postgres.connect(config);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, OrderStatus> orderProjection() throws Exception {
        Map<String, OrderStatus> rows = new HashMap<>();
        try (Connection c = Postgres.connect(config);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT order_id, status, event_type, last_seq, updated_at"
                                        + " FROM order_status")) {
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

    private Map<String, String> pincodeProjection() throws Exception {
        Map<String, String> m = new HashMap<>();
        try (Connection c = Postgres.connect(config);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT lower(email), pincode FROM users WHERE pincode IS NOT NULL")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    private Set<String> logMessages() throws Exception {
        Set<String> m = new HashSet<>();
        try (Connection c = Postgres.connect(config);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT message FROM app_logs")) {
            while (rs.next()) {
                m.add(rs.getString(1));
            }
        }
        return m;
    }
}
