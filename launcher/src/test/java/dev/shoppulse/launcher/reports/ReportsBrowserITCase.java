package dev.shoppulse.launcher.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoppulse.api.ApiServer;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.testing.KafkaBroker;
import dev.shoppulse.common.testing.TestServices;
import dev.shoppulse.jobs.reports.ReportJob;
import dev.shoppulse.jobs.reports.ShardHook;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.reports.SalesReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /reports.html} in headless Chromium against the real API and ReportJob: request a report,
 * watch the bar move and reach 100% (with a reload in the middle), download the file and compare it
 * with an oracle aggregated in Java from the raw sales rows.
 */
class ReportsBrowserITCase {
    static final String KEY = "key-browser-0123456789";
    static final LocalDate FROM = LocalDate.parse("2026-04-01");
    static final int DAYS = 6;

    @TempDir Path tmp;
    private ShopPulseConfig config;
    private ApiServer api;
    private JobClient job;

    @BeforeEach
    void setUp() throws Exception {
        String in = KafkaBroker.uniqueTopic("report-requests");
        String dlq = KafkaBroker.uniqueTopic("report-requests-dlq");
        String ready = KafkaBroker.uniqueTopic("report-ready");
        KafkaBroker.shared().createTopics(1, in, dlq, ready);
        Files.createDirectories(tmp.resolve("store"));
        config =
                TestServices.isolated()
                        .with(Settings.API_PORT, 0)
                        .with(Settings.topicSetting(ReportsCapability.REPORT_REQUESTS.name()), in)
                        .with(
                                Settings.topicSetting(ReportsCapability.REPORT_REQUESTS_DLQ.name()),
                                dlq)
                        .with(Settings.topicSetting(ReportsCapability.REPORT_READY.name()), ready)
                        .with(RateLimitCapability.RATELIMIT_TIERS, "t:100000:10000:100")
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                "browser:t:" + KEY + ":reports")
                        .with(ReportsCapability.REPORTS_STORE_DIR, tmp.resolve("store").toString())
                        .with(ReportsCapability.REPORTS_SHARD_PAUSE, "500ms")
                        .with(ReportsCapability.REPORTS_SSE_POLL, "100ms")
                        .with(Settings.CHECKPOINT_INTERVAL, "1s");
        Migrations.apply(config);
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA))) {
            SalesReport.seed(c, FROM.minusDays(2), DAYS + 4, 250);
        }
        Configuration conf = ReportJob.flinkConfiguration(config);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        ReportJob.build(env, config, ShardHook.NONE);
        job = env.executeAsync("reports-browser-it");
        api = ApiServer.start(config);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) {
            api.close();
        }
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        TestServices.cleanUp(config);
    }

    @Test
    @Timeout(150)
    void requestWatchTheBarReachFullAndDownloadTheOracle() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of(Chromium.BINARY)),
                "needs Debian's chromium at " + Chromium.BINARY + " (.ci/run installs it)");
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        String page = "http://127.0.0.1:" + api.port() + "/reports.html";
        try (Chromium chromium = Chromium.start(Files.createDirectories(tmp.resolve("profile")))) {
            chromium.allowDownloads(downloads);
            Chromium.Endpoint tab = chromium.open(page);
            await().atMost(Duration.ofSeconds(20)).until(() -> ready(tab));
            // The user enters the key once; the page keeps it in localStorage.
            tab.eval(
                    "document.getElementById('key').value = '"
                            + KEY
                            + "'; document.getElementById('save-key').click(); true");
            await().atMost(Duration.ofSeconds(20)).until(() -> loaded(tab));

            tab.eval(
                    "document.getElementById('from').value = '"
                            + FROM
                            + "'; document.getElementById('to').value = '"
                            + FROM.plusDays(DAYS - 1)
                            + "'; document.getElementById('submit').click(); true");

            Set<Integer> seen = new LinkedHashSet<>();
            boolean[] reloaded = {false};
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                Optional<String[]> row = row(tab);
                                if (row.isEmpty()) {
                                    return false;
                                }
                                String[] r = row.get();
                                int progress = Integer.parseInt(r[1]);
                                seen.add(progress);
                                if (!reloaded[0] && progress > 0 && progress < 100) {
                                    // The user reloads mid-report: the list and the live bar
                                    // come back, and no second report is started.
                                    reloaded[0] = true;
                                    tab.eval("location.reload(); true");
                                    await().atMost(Duration.ofSeconds(20)).until(() -> loaded(tab));
                                    return false;
                                }
                                return r[0].equals("SUCCEEDED") && r[2].equals("100%");
                            });
            assertThat(reloaded[0]).as("the page was reloaded while the report ran").isTrue();
            assertThat(seen)
                    .as("the bar moved through intermediate values")
                    .anyMatch(p -> p > 0 && p < 100);
            assertThat(tab.eval("document.querySelectorAll('tr[data-id]').length").asInt())
                    .as("one report, not one per reload")
                    .isEqualTo(1);

            tab.eval("document.querySelector('button.download').click(); true");
            await().atMost(Duration.ofSeconds(30))
                    .alias(
                            "download; page says: "
                                    + tab.eval("document.getElementById('message').textContent"))
                    .until(() -> downloaded(downloads).isPresent());
            Path file = downloaded(downloads).get();
            assertThat(file.getFileName().toString()).matches("report-[0-9a-f]+\\.csv");
            String content = Files.readString(file);
            assertThat(content).isEqualTo(oracle());
        }
    }

    private static boolean ready(Chromium.Endpoint tab) throws Exception {
        return tab.eval("location.href.startsWith('http') && document.readyState === 'complete'")
                .asBoolean();
    }

    private static boolean loaded(Chromium.Endpoint tab) {
        try {
            return "true".equals(tab.eval("document.body.dataset.loaded || ''").asText());
        } catch (Exception e) {
            return false; // the page is navigating
        }
    }

    /** status, progress and bar width of the first report row. */
    private static Optional<String[]> row(Chromium.Endpoint tab) {
        try {
            JsonNode v =
                    tab.eval(
                            "(() => { const tr = document.querySelector('tr[data-id]');"
                                    + " return tr ? [tr.dataset.status, tr.dataset.progress,"
                                    + " tr.querySelector('.bar>div').style.width] : null })()");
            if (!v.isArray()) {
                return Optional.empty();
            }
            return Optional.of(
                    new String[] {v.get(0).asText(), v.get(1).asText(), v.get(2).asText()});
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> downloaded(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".crdownload")).findFirst();
        }
    }

    /** The expected file, aggregated here from the raw rows rather than by the report's SQL. */
    private String oracle() throws Exception {
        Map<String, long[]> sums = new TreeMap<>();
        Map<String, Set<String>> orders = new TreeMap<>();
        try (Connection c = TestServices.postgres(config.get(Settings.POSTGRES_SCHEMA));
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT sold_on, product, order_id, quantity, amount_cents"
                                        + " FROM sales")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = rs.getObject(1, LocalDate.class);
                    if (day.isBefore(FROM) || day.isAfter(FROM.plusDays(DAYS - 1))) {
                        continue;
                    }
                    String k = day + "," + rs.getString(2);
                    long[] s = sums.computeIfAbsent(k, x -> new long[2]);
                    s[0] += rs.getInt(4);
                    s[1] += rs.getLong(5);
                    orders.computeIfAbsent(k, x -> new HashSet<>()).add(rs.getString(3));
                }
            }
        }
        StringBuilder b = new StringBuilder("day,product,orders,units,revenue_cents\n");
        sums.forEach(
                (k, s) ->
                        b.append(k)
                                .append(',')
                                .append(orders.get(k).size())
                                .append(',')
                                .append(s[0])
                                .append(',')
                                .append(s[1])
                                .append('\n'));
        return b.toString();
    }
}
