package dev.shoppulse.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.api.reports.ReportSweep;
import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportFiles;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.Json;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.Outbox;
import dev.shoppulse.sql.reports.ReportStore;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between a commit and its Kafka publish, against real PostgreSQL and Kafka: the outbox
 * makes report requests and comment replies survive them, at least once on the wire and exactly
 * once for consumers that de-duplicate by id.
 */
@Timeout(90)
class OutboxCrashITCase {
    static final String ALICE = "key-alice-0123456789";

    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir Path store;
    private ShopPulseConfig config;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        config =
                KafkaBroker.shared()
                        .withFreshTopics(
                                TestServices.isolated(),
                                2,
                                ReportsCapability.REPORT_REQUESTS,
                                CommentsCapability.COMMENT_REPLIES)
                        .with(Settings.API_PORT, 0)
                        .with(RateLimitCapability.RATELIMIT_TIERS, "t:100000:10000:100")
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "alice:t:" + ALICE + ":reports+comments:write")
                        .with(ReportsCapability.REPORTS_STORE_DIR, store.toString())
                        .with(Settings.OUTBOX_POLL, "100ms")
                        .with(Settings.OUTBOX_MAX_BACKOFF, "500ms");
        Migrations.apply(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        TestServices.cleanUp(config);
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    @Test
    void committedWhileKafkaIsDownIsPublishedAfterRestartAndAFailedKeyStartsAFreshAttempt()
            throws Exception {
        // Fault: Kafka unreachable, then the API stops: the commits happened, the publishes not.
        ApiServer down;
        try (ServerSocket s = new ServerSocket(0)) {
            down =
                    ApiServer.start(
                            config.with(Settings.KAFKA_BOOTSTRAP, "127.0.0.1:" + s.getLocalPort()));
        }
        // Accepted although Kafka cannot acknowledge anything: the 202 no longer waits for it
        // (before the outbox this was a 503 after the publish timed out).
        HttpResponse<String> accepted = post(down, "/v1/reports", report(), "k-1");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String reportId = json(accepted).get("id").asText();
        HttpResponse<String> root = post(down, "/v1/posts/p1/comments", comment(null), null);
        assertThat(root.statusCode()).as(root.body()).isEqualTo(201);
        long rootId = json(root).get("id").asLong();
        HttpResponse<String> reply = post(down, "/v1/posts/p1/comments", comment(rootId), null);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        long replyId = json(reply).get("id").asLong();
        try (Connection c = db()) {
            assertThat(Outbox.pending(c)).isEqualTo(2);
        }
        down.close();
        try (Connection c = db()) {
            assertThat(Outbox.pending(c)).as("nothing was published").isEqualTo(2);
        }

        // Restart with Kafka back: the relay publishes what the crashed instance committed.
        ApiServer up = opened(ApiServer.start(config));
        Set<String> reports = reportIds(r -> r.contains(reportId));
        assertThat(reports).containsExactly(reportId);
        List<CommentReply> replies =
                decode(
                        KafkaBroker.shared()
                                .readCommitted(
                                        config.topic(CommentsCapability.COMMENT_REPLIES),
                                        all -> !all.isEmpty(),
                                        Duration.ofSeconds(30)),
                        CommentsCapability.COMMENT_REPLIES.codec()::decode);
        assertThat(replies).extracting(CommentReply::commentId).containsOnly(replyId);
        assertThat(replies.get(0).parentId()).isEqualTo(rootId);
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);

        // The job failed the report: the caller retries with the same key and gets a fresh
        // attempt (a new report, queued again), not the FAILED row.
        try (Connection c = db()) {
            assertThat(ReportStore.fail(c, reportId, "shard failed")).isPresent();
        }
        HttpResponse<String> retry = post(up, "/v1/reports", report(), "k-1");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        String retryId = json(retry).get("id").asText();
        assertThat(retryId).isNotEqualTo(reportId);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(json(retry).get("status").asText()).isEqualTo("QUEUED");
        // ...and that key now replays the new attempt.
        HttpResponse<String> replay = post(up, "/v1/reports", report(), "k-1");
        assertThat(json(replay).get("id").asText()).isEqualTo(retryId);
        assertThat(reportIds(r -> r.contains(retryId)))
                .containsExactlyInAnyOrder(reportId, retryId);
    }

    @Test
    void crashAfterPublishBeforeDeleteRepublishesAndConsumersSeeEachReportOnce() throws Exception {
        DataSource ds = Postgres.dataSource(config);
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 3; i++) {
                ids.add(queue(c, "crash-" + i));
            }
        }
        Publisher<?> kafka = opened(durable());
        AtomicInteger crashes = new AtomicInteger();
        // Fault: the relay dies after Kafka acknowledged the batch and before the DELETE commits.
        OutboxRelay crashing =
                new OutboxRelay(
                        ds,
                        List.of(kafka),
                        new OutboxRelay.Options(10, Duration.ofMillis(50), Duration.ofMillis(200)),
                        published -> {
                            crashes.incrementAndGet();
                            throw new IllegalStateException("injected crash before the delete");
                        });
        await().atMost(Duration.ofSeconds(30)).until(() -> crashes.get() >= 1);
        crashing.close();
        assertThat(pending()).as("the rolled-back batch is still waiting").isEqualTo(3);

        OutboxRelay restarted =
                opened(
                        new OutboxRelay(
                                ds,
                                List.of(kafka),
                                new OutboxRelay.Options(
                                        10, Duration.ofMillis(50), Duration.ofMillis(200)),
                                OutboxRelay.Hook.NONE));
        await().atMost(Duration.ofSeconds(30)).until(() -> pending() == 0);
        assertThat(restarted.published()).isEqualTo(3);

        // Each crashed round had sent the whole batch before it died (a round interrupted by the
        // close may have sent it too without counting): at least once on the wire ...
        int minimum = 3 * (crashes.get() + 1);
        List<ReportRequest> wire =
                decode(
                        KafkaBroker.shared()
                                .readCommitted(
                                        config.topic(ReportsCapability.REPORT_REQUESTS),
                                        all -> all.size() >= minimum,
                                        Duration.ofSeconds(30)),
                        ReportsCapability.REPORT_REQUESTS.codec()::decode);
        assertThat(wire).hasSizeGreaterThanOrEqualTo(minimum);
        // ... exactly once for a consumer that de-duplicates by report id.
        assertThat(wire.stream().map(ReportRequest::reportId).distinct())
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void twoRelaysNeverPublishTheSameRowTwice() throws Exception {
        DataSource ds = Postgres.dataSource(config);
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 120; i++) {
                ids.add(queue(c, "many-" + i));
            }
        }
        Publisher<?> kafka = opened(durable());
        OutboxRelay.Options small =
                new OutboxRelay.Options(7, Duration.ofMillis(20), Duration.ofMillis(200));
        OutboxRelay a = opened(new OutboxRelay(ds, List.of(kafka), small, OutboxRelay.Hook.NONE));
        OutboxRelay b = opened(new OutboxRelay(ds, List.of(kafka), small, OutboxRelay.Hook.NONE));
        await().atMost(Duration.ofSeconds(40)).until(() -> pending() == 0);
        assertThat(a.published() + b.published()).isEqualTo(120);
        List<ReportRequest> wire =
                decode(
                        KafkaBroker.shared()
                                .readCommitted(
                                        config.topic(ReportsCapability.REPORT_REQUESTS),
                                        all -> all.size() >= 120,
                                        Duration.ofSeconds(30)),
                        ReportsCapability.REPORT_REQUESTS.codec()::decode);
        assertThat(wire)
                .extracting(ReportRequest::reportId)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void sweepDeletesExpiredReportsAndTheirFilesOnly() throws Exception {
        DataSource ds = Postgres.dataSource(config);
        ReportFiles files = new ReportFiles(store);
        String expired;
        String live;
        try (Connection c = ds.getConnection()) {
            expired = create(c, "old", Instant.now().minusSeconds(60));
            live = create(c, "new", Instant.now().plusSeconds(3600));
        }
        for (String id : List.of(expired, live)) {
            Path part = files.part(id, LocalDate.of(2026, 1, 1));
            Files.createDirectories(part.getParent());
            Files.writeString(part, "x");
        }
        try (ReportSweep sweep = new ReportSweep(ds, files, Duration.ofHours(1), 1)) {
            assertThat(sweep.sweep()).isEqualTo(1);
            assertThat(sweep.sweep()).isZero();
        }
        try (Connection c = ds.getConnection()) {
            assertThat(ReportStore.find(c, expired)).isEmpty();
            assertThat(ReportStore.find(c, live)).isPresent();
        }
        assertThat(files.dir(expired)).doesNotExist();
        assertThat(files.dir(live)).exists();
    }

    private Publisher<ReportRequest> durable() {
        return Publisher.builder(ReportsCapability.REPORT_REQUESTS, Publisher.Profile.DURABLE)
                .bootstrap(KafkaBroker.shared().bootstrap())
                .topicName(config.topic(ReportsCapability.REPORT_REQUESTS))
                .build();
    }

    /** A new report for its own owner, with its request in the outbox. */
    private String queue(Connection c, String owner) throws SQLException {
        String id = owner.replace("-", "") + "x" + System.nanoTime();
        LocalDate day = LocalDate.of(2026, 1, 1);
        ReportStore.create(
                c,
                new ReportStore.NewReport(
                        id,
                        owner,
                        ReportRequest.SALES_BY_DAY_PRODUCT,
                        "{}",
                        "h",
                        null,
                        1,
                        Instant.now().plusSeconds(3600)),
                3,
                new Outbox.Message(
                        config.topic(ReportsCapability.REPORT_REQUESTS),
                        id,
                        ReportsCapability.REPORT_REQUESTS
                                .codec()
                                .encode(
                                        new ReportRequest(
                                                id,
                                                owner,
                                                ReportRequest.SALES_BY_DAY_PRODUCT,
                                                day,
                                                day,
                                                Instant.now()))));
        return id;
    }

    private static String create(Connection c, String owner, Instant expires) throws SQLException {
        String id = owner + System.nanoTime();
        ReportStore.create(
                c,
                new ReportStore.NewReport(
                        id, owner, ReportRequest.SALES_BY_DAY_PRODUCT, "{}", "h", null, 1, expires),
                3);
        return id;
    }

    private Set<String> reportIds(java.util.function.Predicate<Set<String>> done) {
        Set<String> ids = new HashSet<>();
        decode(
                        KafkaBroker.shared()
                                .readCommitted(
                                        config.topic(ReportsCapability.REPORT_REQUESTS),
                                        all -> {
                                            Set<String> seen = new HashSet<>();
                                            for (ConsumerRecord<byte[], byte[]> r : all) {
                                                seen.add(KafkaBroker.text(r.key()));
                                            }
                                            return done.test(seen);
                                        },
                                        Duration.ofSeconds(30)),
                        ReportsCapability.REPORT_REQUESTS.codec()::decode)
                .forEach(r -> ids.add(r.reportId()));
        return ids;
    }

    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] bytes) throws Exception;
    }

    private static <T> List<T> decode(
            List<ConsumerRecord<byte[], byte[]>> records, Decoder<T> decoder) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                out.add(decoder.decode(r.value()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    private long pending() throws SQLException {
        try (Connection c = db()) {
            return Outbox.pending(c);
        }
    }

    private Connection db() throws SQLException {
        return Postgres.connect(config);
    }

    private static String report() {
        return "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\"2026-01-01\",\"to\":\"2026-01-03\"}}";
    }

    private static String comment(Long parent) {
        return "{" + (parent == null ? "" : "\"parentId\":" + parent + ",") + "\"body\":\"hello\"}";
    }

    private HttpResponse<String> post(ApiServer api, String path, String body, String key)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("X-Api-Key", ALICE);
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }
}
