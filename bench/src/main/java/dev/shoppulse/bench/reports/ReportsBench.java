package dev.shoppulse.bench.reports;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Flags;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.reports.SalesReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code ./shoppulse bench reports}: (1) accept latency of {@code POST /v1/reports} (row + quota +
 * de-duplication + outbox record in one PostgreSQL transaction, Redis cache; the outbox relay
 * publishes to Kafka after the answer) under 50 concurrent requesters, next to the same report
 * generated synchronously inside a request; (2) the report generation's shard-parallel speed-up:
 * the per-day shard queries the job's workers run, on {@code workers} threads, against the whole
 * range as one shard. Flags: {@code requesters=50}, {@code requests=20} (each), {@code days=28},
 * {@code rows=20000} (per day), {@code workers=4}.
 */
public final class ReportsBench implements Benchmark {
    @Override
    public Result run(ShopPulseConfig base, String[] args) throws Exception {
        Map<String, String> f = Flags.parse(args);
        int requesters = Integer.parseInt(f.getOrDefault("requesters", "50"));
        int requests = Integer.parseInt(f.getOrDefault("requests", "20"));
        int days = Integer.parseInt(f.getOrDefault("days", "28"));
        int rows = Integer.parseInt(f.getOrDefault("rows", "20000"));
        int workers = Integer.parseInt(f.getOrDefault("workers", "4"));

        String schema = base.get(Settings.POSTGRES_SCHEMA) + "_reports_bench";
        String topic = "report-requests-bench-" + System.nanoTime();
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", base.get(Settings.KAFKA_BOOTSTRAP)))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        StringBuilder clients = new StringBuilder();
        for (int i = 0; i < requesters; i++) {
            clients.append(i == 0 ? "" : ",")
                    .append("u")
                    .append(i)
                    .append(":t:key-user-")
                    .append(i)
                    .append(":reports");
        }
        ShopPulseConfig config =
                base.with(Settings.POSTGRES_SCHEMA, schema)
                        .with(Settings.API_PORT, 0)
                        .with(
                                Settings.topicSetting(ReportsCapability.REPORT_REQUESTS.name()),
                                topic)
                        .with(RateLimitCapability.RATELIMIT_TIERS, "t:1000000:100000:1000")
                        .with(RateLimitCapability.RATELIMIT_CLIENTS, clients.toString())
                        .with(
                                ReportsCapability.REPORTS_MAX_ACTIVE,
                                requests + 100 / requesters + 10)
                        .with(ReportsCapability.REPORTS_MAX_DAYS, 100000);
        dropSchema(config, schema);
        Migrations.apply(config);
        try {
            LocalDate from = LocalDate.parse("2026-01-01");
            try (Connection c = connect(config, schema)) {
                long t0 = System.nanoTime();
                SalesReport.seed(c, from, days, rows);
                try (Statement st = c.createStatement()) {
                    st.execute("ANALYZE sales");
                }
                System.out.printf(
                        "seeded %d days x %d order lines in %d ms%n",
                        days, rows, (System.nanoTime() - t0) / 1_000_000);
            }

            // --- generation: one shard vs day shards in parallel (median of 3) ---
            LocalDate to = from.plusDays(days - 1L);
            long[] single = new long[3];
            long[] parallel = new long[3];
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                conns.add(connect(config, schema));
            }
            try (Connection one = connect(config, schema)) {
                SalesReport.range(one, from, to); // warm the cache and the plan
                for (int k = 0; k < 3; k++) {
                    long t0 = System.nanoTime();
                    int lines = SalesReport.range(one, from, to).size();
                    single[k] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    List<Future<Integer>> parts = new ArrayList<>();
                    for (int d = 0; d < days; d++) {
                        LocalDate day = from.plusDays(d);
                        int w = d % workers;
                        parts.add(
                                pool.submit(
                                        () -> {
                                            Connection c = conns.get(w);
                                            synchronized (c) {
                                                return SalesReport.shard(c, day).size();
                                            }
                                        }));
                    }
                    int sum = 0;
                    for (Future<Integer> p : parts) {
                        sum += p.get();
                    }
                    parallel[k] = System.nanoTime() - t0;
                    if (sum != lines) {
                        throw new IllegalStateException(
                                "shards gave " + sum + " lines, not " + lines);
                    }
                }
            } finally {
                pool.shutdownNow();
                for (Connection c : conns) {
                    c.close();
                }
            }
            Arrays.sort(single);
            Arrays.sort(parallel);
            double singleMs = single[1] / 1e6;
            double parallelMs = parallel[1] / 1e6;
            double speedup = singleMs / parallelMs;
            System.out.printf(
                    "generation of %d days (%d lines in): one shard %.0f ms; %d day shards on %d"
                            + " workers %.0f ms; speed-up %.2f%n",
                    days, (long) days * rows, singleMs, days, workers, parallelMs, speedup);

            // --- accept latency ---
            double[] accept;
            AtomicInteger errors = new AtomicInteger();
            try (ApiServer api = ApiServer.start(config)) {
                HttpClient http =
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5))
                                .executor(Executors.newFixedThreadPool(requesters))
                                .build();
                String url = "http://127.0.0.1:" + api.port() + "/v1/reports";
                // Warm-up: connections, JIT, the producer's metadata.
                for (int i = 0; i < 100; i++) {
                    post(http, url, "key-user-" + (i % requesters), from.minusDays(1000 + i), 1);
                }
                accept = measure(http, url, requesters, requests, from, errors);
            }
            Arrays.sort(accept);
            double p50 = pct(accept, 0.50);
            double p99 = pct(accept, 0.99);
            double max = accept[accept.length - 1];
            System.out.printf(
                    "accept (202) under %d concurrent requesters, %d requests: p50 %.1f ms, p99"
                            + " %.1f ms, max %.1f ms, %d not 202%n",
                    requesters, accept.length, p50, p99, max, errors.get());
            System.out.printf(
                    "baseline: the same %d-day report generated synchronously in the request"
                            + " would answer after %.0f ms (one shard), so a caller waits %.0fx"
                            + " longer than for the 202%n",
                    days, singleMs, singleMs / p99);
            return new Result()
                    .put("accept_p99_ms", p99)
                    .put("accept_p50_ms", p50)
                    .put("accept_errors", errors.get())
                    .put("speedup", speedup)
                    .put("single_shard_ms", singleMs)
                    .put("parallel_ms", parallelMs)
                    .put("workers", workers)
                    .put("requesters", requesters);
        } finally {
            dropSchema(config, schema);
        }
    }

    private static double[] measure(
            HttpClient http,
            String url,
            int requesters,
            int requests,
            LocalDate from,
            AtomicInteger errors)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(requesters);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<double[]>> futures =
                    IntStream.range(0, requesters)
                            .mapToObj(
                                    u ->
                                            threads.submit(
                                                    () -> {
                                                        start.await();
                                                        double[] ms = new double[requests];
                                                        for (int k = 0; k < requests; k++) {
                                                            long t0 = System.nanoTime();
                                                            // A non-202 (e.g. 503 when the pool
                                                            // is exhausted) is counted, and its
                                                            // latency is part of the tail.
                                                            if (post(
                                                                            http,
                                                                            url,
                                                                            "key-user-" + u,
                                                                            from.plusDays(k),
                                                                            7)
                                                                    != 202) {
                                                                errors.incrementAndGet();
                                                            }
                                                            ms[k] = (System.nanoTime() - t0) / 1e6;
                                                        }
                                                        return ms;
                                                    }))
                            .collect(Collectors.toList());
            start.countDown();
            List<Double> all = new ArrayList<>();
            for (Future<double[]> fut : futures) {
                for (double d : fut.get()) {
                    all.add(d);
                }
            }
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        } finally {
            threads.shutdownNow();
        }
    }

    private static int post(HttpClient http, String url, String key, LocalDate from, int days)
            throws Exception {
        String body =
                "{\"type\":\"sales-by-day-product\",\"parameters\":{\"from\":\""
                        + from
                        + "\",\"to\":\""
                        + from.plusDays(days - 1L)
                        + "\"}}";
        HttpResponse<Void> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("X-Api-Key", key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
        return r.statusCode();
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static Connection connect(ShopPulseConfig config, String schema) throws Exception {
        return Postgres.dataSource(config, schema).getConnection();
    }

    private static void dropSchema(ShopPulseConfig config, String schema) throws Exception {
        try (Connection c = Postgres.dataSource(config, "public").getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
