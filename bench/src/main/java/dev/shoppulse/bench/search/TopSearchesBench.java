package dev.shoppulse.bench.search;

import dev.shoppulse.api.ApiServer;
import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.events.TopSearches;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.TopSearchesRedis;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.jobs.search.HourRanking;
import dev.shoppulse.jobs.search.SearchSettings;
import dev.shoppulse.jobs.search.TopSearchesJob;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.search.ProductSeed;
import dev.shoppulse.sql.Migrations;
import dev.shoppulse.sql.SearchSql;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.postgresql.PGConnection;

/**
 * {@code ./shoppulse bench top-searches [-- --events N --products N --zipf S --hours H --part
 * all|job|serving --rounds R --api-rate N --api-rate-high N --api-measure-s S]}.
 *
 * <p>Job: the same generated searches (default 10 M over 100 K products, Zipf s = 1.1, spread over
 * 4 hours of event time) through {@link TopSearchesJob} and through Flink SQL's Window Top-N on the
 * same local cluster, after a warm-up run of each, in rounds that alternate which goes first; the
 * best round of each is its figure. Both rankings must be identical in every round (checked by a
 * checksum accumulator).
 *
 * <p>Serving: {@code GET /v1/top-searches} (Redis) under open-loop load ({@link OpenLoopLoad}) at
 * 1,000 and 10,000 requests/s offered, through the rate limiter with an API key of a tier sized for
 * that load; p50/p99 of the heavy SQL query over the same searches in PostgreSQL and of its
 * materialized view for comparison.
 */
public final class TopSearchesBench implements Benchmark {
    static final String WINDOW_TOP_N_SQL =
            "SELECT window_start, productId, cnt, rn FROM ("
                    + " SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end"
                    + "   ORDER BY cnt DESC, productId ASC) AS rn FROM ("
                    + "  SELECT window_start, window_end, productId, COUNT(*) AS cnt"
                    + "  FROM TABLE(TUMBLE(TABLE searches, DESCRIPTOR(ts), INTERVAL '1' HOUR))"
                    + "  WHERE productId IS NOT NULL"
                    + "  GROUP BY window_start, window_end, productId))"
                    + " WHERE rn <= 10";

    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");

    @Override
    public Result run(ShopPulseConfig base, String[] args) throws Exception {
        long events = flag(args, "--events", 10_000_000L);
        int products = (int) flag(args, "--products", 100_000L);
        double zipfS = Double.parseDouble(flagText(args, "--zipf", "1.1"));
        int hours = (int) flag(args, "--hours", 4L);
        String part = flagText(args, "--part", "all");
        long spanMs = Duration.ofHours(hours).toMillis();
        ShopPulseConfig config =
                base.with(Settings.POSTGRES_SCHEMA, "sp_searchbench")
                        .with(Settings.REDIS_KEY_PREFIX, "spsearchbench")
                        .with(Settings.API_PORT, 0)
                        .with(Settings.CHECKPOINT_DIR, "file:///tmp/shoppulse/bench-checkpoints");
        SearchGenerator gen =
                new SearchGenerator(products, zipfS, START.toEpochMilli(), spanMs, events);
        System.out.printf(
                Locale.ROOT,
                "top-searches: %,d searches, %,d products, Zipf s=%.2f, %d h of event time,"
                        + " parallelism %d%n",
                events,
                products,
                zipfS,
                hours,
                config.getInt(Settings.FLINK_PARALLELISM));

        long warmupEvents = flag(args, "--warmup-events", 2_000_000L);
        int rounds = (int) flag(args, "--rounds", 2L);
        Result result = new Result().put("events", events);
        if (!part.equals("serving")) {
            double ours = 0;
            double sql = 0;
            double oursCpu = Double.MAX_VALUE;
            double sqlCpu = Double.MAX_VALUE;
            double sourceOnly;
            try (LocalCluster cluster = LocalCluster.start(config, 4)) {
                // Warm-up of the JIT, the heap and the cluster on a run of each, not measured.
                SearchGenerator small =
                        new SearchGenerator(
                                products, zipfS, START.toEpochMilli(), spanMs, warmupEvents);
                runOurs(cluster, config, small, warmupEvents);
                runSql(cluster, config, small, warmupEvents);
                // Rounds alternate which job goes first, so neither always pays for what the
                // other left behind (a heap still growing, RocksDB memory, compilation); the best
                // of each job's rounds is its figure.
                for (int round = 1; round <= rounds; round++) {
                    boolean oursFirst = round % 2 == 1;
                    Timed o = oursFirst ? runOurs(cluster, config, gen, events) : null;
                    Timed s = runSql(cluster, config, gen, events);
                    if (!oursFirst) {
                        o = runOurs(cluster, config, gen, events);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "job:      round %d (%s first): TopSearchesJob %,.0f searches/s"
                                    + " (%.1f s, %.1f CPU s); Flink SQL Window Top-N %,.0f"
                                    + " searches/s (%.1f s, %.1f CPU s); ratio %.2f (CPU %.2f);"
                                    + " same rankings: %s (%d rows)%n",
                            round,
                            oursFirst ? "ours" : "SQL",
                            events / o.seconds,
                            o.seconds,
                            o.cpuSeconds,
                            events / s.seconds,
                            s.seconds,
                            s.cpuSeconds,
                            s.seconds / o.seconds,
                            s.cpuSeconds / o.cpuSeconds,
                            o.checksum == s.checksum && o.rows == s.rows,
                            o.rows);
                    if (o.checksum != s.checksum || o.rows != s.rows || o.rows == 0) {
                        throw new IllegalStateException(
                                "the two jobs ranked differently: " + o + " vs " + s);
                    }
                    ours = Math.max(ours, events / o.seconds);
                    sql = Math.max(sql, events / s.seconds);
                    oursCpu = Math.min(oursCpu, o.cpuSeconds);
                    sqlCpu = Math.min(sqlCpu, s.cpuSeconds);
                }
                Timed floor = runSourceOnly(cluster, config, gen, events);
                sourceOnly = events / floor.seconds;
                System.out.printf(
                        Locale.ROOT,
                        "floor:    generator + watermarks alone %,.0f searches/s (%.1f s): the"
                                + " part both jobs share%n",
                        sourceOnly,
                        floor.seconds);
                System.out.printf(
                        Locale.ROOT,
                        "job:      best of %d: TopSearchesJob %,.0f searches/s, Flink SQL %,.0f"
                                + " searches/s, ratio %.2f%n",
                        rounds,
                        ours,
                        sql,
                        ours / sql);
            }
            result.put("events_per_s", Math.round(ours))
                    .put("flink_sql_events_per_s", Math.round(sql))
                    .put("vs_flink_sql", ours / sql)
                    .put("cpu_s", oursCpu)
                    .put("flink_sql_cpu_s", sqlCpu)
                    .put("cpu_vs_flink_sql", sqlCpu / oursCpu)
                    .put("source_only_events_per_s", Math.round(sourceOnly));
        }
        if (part.equals("job")) {
            return result;
        }
        double[] rates = {flag(args, "--api-rate", 1_000L), flag(args, "--api-rate-high", 10_000L)};
        int[] connections = {
            (int) flag(args, "--api-connections", 10L),
            (int) flag(args, "--api-connections-high", 20L)
        };
        Serving serving =
                serving(
                        config,
                        gen,
                        events,
                        products,
                        hours,
                        rates,
                        connections,
                        Duration.ofSeconds(flag(args, "--api-warmup-s", 10L)),
                        Duration.ofSeconds(flag(args, "--api-measure-s", 30L)));
        OpenLoopLoad.Outcome low = serving.api[0];
        OpenLoopLoad.Outcome high = serving.api[1];
        return result.put("api_rate", Math.round(low.offeredPerS()))
                .put("api_achieved_per_s", Math.round(low.achievedPerS()))
                .put("api_p50_ms", low.ms(50))
                .put("api_p99_ms", low.ms(99))
                .put("api_p999_ms", low.ms(99.9))
                .put("api_errors", low.errors())
                .put("api_rate_high", Math.round(high.offeredPerS()))
                .put("api_achieved_per_s_10k", Math.round(high.achievedPerS()))
                .put("api_p50_ms_10k", high.ms(50))
                .put("api_p99_ms_10k", high.ms(99))
                .put("api_p999_ms_10k", high.ms(99.9))
                .put("api_errors_10k", high.errors())
                .put("api_unsent_10k", high.unsent())
                .put("heavy_sql_p50_ms", serving.heavy[0])
                .put("heavy_sql_p99_ms", serving.heavy[1])
                .put("view_p50_ms", serving.view[0])
                .put("view_p99_ms", serving.view[1])
                .put("vs_heavy_sql", serving.heavy[0] / low.ms(50));
    }

    /** Wall time of one job and a checksum of its final rankings. */
    record Timed(double seconds, double cpuSeconds, long checksum, long rows) {}

    /** CPU time of this whole JVM so far (every thread: the jobs, JIT, GC, the Kafka broker). */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    private static Timed runOurs(
            LocalCluster cluster, ShopPulseConfig config, SearchGenerator gen, long events)
            throws Exception {
        SearchSettings settings = SearchSettings.from(config);
        return timed(
                cluster,
                config,
                "bench-top-searches-job",
                env -> {
                    DataStream<SearchEvent> searches = source(env, gen, events);
                    TopSearchesJob.rank(searches, settings)
                            .rankings()
                            .map(new ChecksumOurs())
                            .returns(Types.LONG)
                            .setParallelism(1)
                            .sinkTo(new DiscardingSink<>())
                            .setParallelism(1);
                });
    }

    /** The floor both jobs stand on: generating and time-stamping the searches, nothing else. */
    private static Timed runSourceOnly(
            LocalCluster cluster, ShopPulseConfig config, SearchGenerator gen, long events)
            throws Exception {
        return timed(
                cluster,
                config,
                "bench-source-only",
                env ->
                        source(env, gen, events)
                                .assignTimestampsAndWatermarks(
                                        WatermarkStrategy.<SearchEvent>forBoundedOutOfOrderness(
                                                        Duration.ofSeconds(30))
                                                .withTimestampAssigner(
                                                        (e, ts) -> e.occurredAt().toEpochMilli()))
                                .sinkTo(new DiscardingSink<>()));
    }

    private static Timed runSql(
            LocalCluster cluster, ShopPulseConfig config, SearchGenerator gen, long events)
            throws Exception {
        return timed(
                cluster,
                config,
                "bench-flink-sql-window-top-n",
                env -> {
                    DataStream<Row> rows =
                            source(env, gen, events)
                                    .assignTimestampsAndWatermarks(
                                            WatermarkStrategy.<SearchEvent>forBoundedOutOfOrderness(
                                                            config.getDuration(
                                                                    SearchCapability
                                                                            .SEARCH_MAX_OUT_OF_ORDERNESS))
                                                    .withTimestampAssigner(
                                                            (e, ts) ->
                                                                    e.occurredAt().toEpochMilli()))
                                    .map(e -> Row.of(e.productId()))
                                    .returns(
                                            Types.ROW_NAMED(
                                                    new String[] {"productId"}, Types.STRING));
                    StreamTableEnvironment t = StreamTableEnvironment.create(env);
                    Table searches =
                            t.fromDataStream(
                                    rows,
                                    Schema.newBuilder()
                                            .columnByMetadata(
                                                    "ts", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                                            .watermark("ts", "SOURCE_WATERMARK()")
                                            .build());
                    t.createTemporaryView("searches", searches);
                    t.toDataStream(t.sqlQuery(WINDOW_TOP_N_SQL))
                            .map(new ChecksumSql())
                            .returns(Types.LONG)
                            .setParallelism(1)
                            .sinkTo(new DiscardingSink<>())
                            .setParallelism(1);
                });
    }

    private static DataStream<SearchEvent> source(
            StreamExecutionEnvironment env, SearchGenerator gen, long events) {
        return env.fromSource(
                new DataGeneratorSource<>(gen, events, TypeInformation.of(SearchEvent.class)),
                WatermarkStrategy.noWatermarks(),
                "generated-searches");
    }

    private static Timed timed(
            LocalCluster cluster,
            ShopPulseConfig config,
            String name,
            Consumer<StreamExecutionEnvironment> wiring)
            throws Exception {
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        cluster.submit(config, name, wiring);
        List<JobClient> jobs = cluster.jobs();
        JobExecutionResult r = jobs.get(jobs.size() - 1).getJobExecutionResult().get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Long sum = r.getAccumulatorResult("checksum");
        Long rows = r.getAccumulatorResult("rows");
        double cpu = processCpuSeconds() - cpu0;
        return new Timed(seconds, cpu, sum == null ? 0 : sum, rows == null ? 0 : rows);
    }

    /** Order-independent checksum of ranking rows (hour, rank, product, count). */
    static long rowHash(long windowStart, long rank, String productId, long count) {
        return SearchGenerator.mix(
                windowStart * 31 + rank * 1_000_003L + productId.hashCode() * 7919L + count);
    }

    /** Sums the row hashes of a ranking stream into the job's accumulators. */
    abstract static class Checksum<T> extends RichMapFunction<T, Long> {
        private final LongCounter sum = new LongCounter();
        private final LongCounter rows = new LongCounter();

        @Override
        public void open(OpenContext ctx) {
            getRuntimeContext().addAccumulator("checksum", sum);
            getRuntimeContext().addAccumulator("rows", rows);
        }

        void row(long windowStart, long rank, String productId, long count) {
            sum.add(rowHash(windowStart, rank, productId, count));
            rows.add(1);
        }
    }

    /** Sums the row hashes of our final rankings. */
    static final class ChecksumOurs extends Checksum<HourRanking> {
        @Override
        public Long map(HourRanking r) {
            if (r.provisional()) {
                return 0L;
            }
            for (int i = 0; i < r.size(); i++) {
                row(r.windowStart(), i + 1, r.productIds()[i], r.counts()[i]);
            }
            return 1L;
        }
    }

    /** Sums the row hashes of the SQL Window Top-N rows. */
    static final class ChecksumSql extends Checksum<Row> {
        @Override
        public Long map(Row r) {
            java.time.LocalDateTime start = (java.time.LocalDateTime) r.getField(0);
            long startMs = start.toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            // Columns: window_start, product_id, cnt, rn.
            row(
                    startMs,
                    ((Number) r.getField(3)).longValue(),
                    (String) r.getField(1),
                    ((Number) r.getField(2)).longValue());
            return 1L;
        }
    }

    /** The API under open-loop load at each offered rate; p50 and p99 in ms of the SQL ways. */
    record Serving(OpenLoopLoad.Outcome[] api, double[] heavy, double[] view) {}

    /** The API's client and tier in the benchmark. */
    static final String BENCH_CLIENT = "top-searches-bench";

    static final String BENCH_TIER = "top-searches-bench";

    private Serving serving(
            ShopPulseConfig config,
            SearchGenerator gen,
            long events,
            int products,
            int hours,
            double[] rates,
            int[] connections,
            Duration warmup,
            Duration measureFor)
            throws Exception {
        Migrations.apply(config);
        Instant lastHour = START.plus(Duration.ofHours(hours - 1));
        double[] heavy;
        double[] view;
        TopSearches ranking;
        try (Connection c = Postgres.connect(config)) {
            ProductSeed.seed(c, products);
            long t0 = System.nanoTime();
            load(c, gen, events);
            System.out.printf(
                    Locale.ROOT,
                    "postgres: %,d searches loaded with COPY in %.1f s%n",
                    events,
                    (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            try (Statement st = c.createStatement()) {
                st.execute(SearchSql.REFRESH_VIEW);
            }
            System.out.printf(
                    Locale.ROOT,
                    "postgres: REFRESH MATERIALIZED VIEW CONCURRENTLY took %.1f s%n",
                    (System.nanoTime() - t0) / 1e9);

            // The old way's page load: rank every search in PostgreSQL (all 10 M rows).
            heavy =
                    measure(
                            2,
                            10,
                            () ->
                                    query(
                                            c,
                                            SearchSql.HEAVY_TOP10,
                                            START,
                                            START.plus(Duration.ofHours(hours))));
            view = measure(200, 2000, () -> query(c, SearchSql.VIEW_TOP10, lastHour, null));
            ranking = viewRanking(c, lastHour);
        }

        // The limiter stays on the path: every bench request carries an API key whose tier admits
        // twice the highest offered rate, so each one still costs the limiter's Redis round trip
        // but none is refused (anonymous callers get 3,000 a minute per IP, which the bench's
        // own calls used up once the machine was fast enough).
        String key = "bench-" + UUID.randomUUID();
        ShopPulseConfig apiConfig =
                config.with(
                                RateLimitCapability.RATELIMIT_TIERS,
                                config.get(RateLimitCapability.RATELIMIT_TIERS)
                                        + ","
                                        + BENCH_TIER
                                        + ":"
                                        + (long) (2 * rates[1] * 60)
                                        + ":"
                                        + (long) (2 * rates[1])
                                        + ":1")
                        .with(RateLimitCapability.RATELIMIT_WINDOW, "1m")
                        .with(
                                RateLimitCapability.RATELIMIT_CLIENTS,
                                BENCH_CLIENT + ":" + BENCH_TIER + ":" + key);
        try (Redis redis = Redis.open(RedisSettings.from(config));
                ApiServer api = ApiServer.start(apiConfig)) {
            new TopSearchesRedis(redis, config.getDuration(SearchCapability.SEARCH_RANKING_TTL))
                    .publish(ranking);
            HttpResponse<String> probe =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + api.port()
                                                                    + "/v1/top-searches"))
                                            .header("X-Api-Key", key)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            String policy = probe.headers().firstValue("RateLimit-Policy").orElse("");
            if (probe.statusCode() != 200 || !policy.contains(BENCH_TIER)) {
                throw new IllegalStateException(
                        "API probe: " + probe.statusCode() + " policy '" + policy + "'");
            }
            System.out.printf(
                    Locale.ROOT,
                    "serving:  API limited by tier %s (RateLimit-Policy: %s), %d-byte ranking%n",
                    BENCH_TIER,
                    policy,
                    probe.body().length());
            String request =
                    "GET /v1/top-searches HTTP/1.1\r\nHost: 127.0.0.1:"
                            + api.port()
                            + "\r\nX-Api-Key: "
                            + key
                            + "\r\nAccept: application/json\r\n\r\n";
            OpenLoopLoad.Outcome[] apiRuns = new OpenLoopLoad.Outcome[rates.length];
            for (int i = 0; i < rates.length; i++) {
                apiRuns[i] =
                        OpenLoopLoad.run(
                                "127.0.0.1",
                                api.port(),
                                request,
                                rates[i],
                                connections[i],
                                warmup,
                                measureFor);
                System.out.printf(
                        Locale.ROOT,
                        "serving:  API open loop, %d connections, %s: %s%n",
                        connections[i],
                        "warm-up "
                                + warmup.toSeconds()
                                + " s, measured "
                                + measureFor.toSeconds()
                                + " s",
                        apiRuns[i].describe());
            }
            System.out.printf(
                    Locale.ROOT,
                    "serving:  heavy SQL p50 %.1f ms p99 %.1f ms | materialized view p50 %.3f ms"
                            + " p99 %.3f ms (both closed loop, one JDBC connection)%n",
                    heavy[0],
                    heavy[1],
                    view[0],
                    view[1]);
            redis.del(
                    RedisSettings.from(config)
                            .keys()
                            .topSearchesHour(ranking.windowStart().toString()));
            redis.del(RedisSettings.from(config).keys().topSearchesLatest());
            return new Serving(apiRuns, heavy, view);
        }
    }

    private static void load(Connection c, SearchGenerator gen, long events) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX IF EXISTS searches_occurred_at");
            st.execute("TRUNCATE searches");
        }
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        StringBuilder b = new StringBuilder(32 << 20);
        for (long i = 0; i < events; i++) {
            b.append('e')
                    .append(i)
                    .append("\t\\N\ts")
                    .append(i % 100_000)
                    .append("\tq\t")
                    .append(gen.productId(i))
                    .append('\t')
                    .append(Instant.ofEpochMilli(gen.timestamp(i)))
                    .append('\n');
            if (b.length() > (30 << 20) || i == events - 1) {
                copy.copyIn("COPY searches FROM STDIN", new StringReader(b.toString()));
                b.setLength(0);
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX searches_occurred_at ON searches (occurred_at)");
            st.execute("ANALYZE searches");
        }
    }

    private static void query(Connection c, String sql, Instant from, Instant to) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(from));
            if (to != null) {
                ps.setTimestamp(2, Timestamp.from(to));
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                if (n == 0) {
                    throw new IllegalStateException("no ranking rows from " + sql);
                }
            }
        }
    }

    private static TopSearches viewRanking(Connection c, Instant hour) throws Exception {
        List<TopSearches.Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SearchSql.VIEW_TOP10)) {
            ps.setTimestamp(1, Timestamp.from(hour));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(
                            new TopSearches.Entry(
                                    rs.getInt("rank"),
                                    rs.getString("product_id"),
                                    rs.getString("name"),
                                    rs.getString("category"),
                                    rs.getLong("searches")));
                }
            }
        }
        return new TopSearches(hour, hour.plus(Duration.ofHours(1)), false, Instant.now(), entries);
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /** p50 and p99 in ms over {@code runs} calls after {@code warmup} unmeasured ones. */
    static double[] measure(int warmup, int runs, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {
            ms[(int) Math.floor(0.50 * (runs - 1))], ms[(int) Math.ceil(0.99 * (runs - 1))]
        };
    }

    private static long flag(String[] args, String name, long dflt) {
        return Long.parseLong(flagText(args, name, Long.toString(dflt)).replace("_", ""));
    }

    private static String flagText(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
