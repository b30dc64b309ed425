package dev.shoppulse.bench;

import dev.shoppulse.bench.notifications.NotificationsBench;
import dev.shoppulse.bench.orders.OrdersBenchmark;
import dev.shoppulse.bench.ratelimit.RateLimitBench;
import dev.shoppulse.bench.reports.ReportsBench;
import dev.shoppulse.bench.search.TopSearchesBench;
import dev.shoppulse.bench.sql.BulkUpdateBench;
import dev.shoppulse.bench.sql.CommentsBench;
import dev.shoppulse.bench.sql.RetentionBench;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.launcher.LocalServices;
import dev.shoppulse.launcher.StopDeadline;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code ./shoppulse bench NAME [--setting value ...] [-- benchmark flags]}: starts the local
 * services (in-JVM Kafka; Redis and PostgreSQL as in the local run), runs one benchmark, prints its
 * RESULT line last.
 */
public final class BenchMain {
    private BenchMain() {}

    /** A benchmark's NAME on the command line, its line in the usage text, and its maker. */
    record Entry(String name, String description, Supplier<Benchmark> maker) {}

    /** Every benchmark; a new capability adds its own here. */
    static final List<Entry> BENCHMARKS =
            List.of(
                    new Entry(
                            "orders",
                            "order sequencing (Flink, exactly-once) vs copy loop vs Kafka Streams",
                            OrdersBenchmark::new),
                    new Entry(
                            "ratelimit",
                            "limiter decisions/s vs Redis's ceiling for the same script, p50/p99 at 64 and 8"
                                    + " callers, vs the per-call path and Bucket4j-Jedis",
                            RateLimitBench::new),
                    new Entry(
                            "bulk-update",
                            "pincode updates on a 1M-row table: per-row, JDBC batch, unnest, COPY, chosen",
                            BulkUpdateBench::new),
                    new Entry(
                            "comments",
                            "1M nested comments: thread page and insert p99 vs recursive CTE",
                            CommentsBench::new),
                    new Entry(
                            "retention",
                            "30 days x 1M logs: drop the oldest day partition vs DELETE + VACUUM, writer p99",
                            RetentionBench::new),
                    new Entry(
                            "notifications",
                            "20K profile updates from 10K users under a time-scaled provider limit",
                            NotificationsBench::new),
                    new Entry(
                            "top-searches",
                            "TopSearchesJob vs Flink SQL Window Top-N; API vs heavy SQL vs materialized view",
                            TopSearchesBench::new),
                    new Entry(
                            "reports",
                            "POST /v1/reports accept p99 under 50 requesters; shard-parallel speed-up",
                            ReportsBench::new));

    public static void main(String[] args) throws Exception {
        Map<String, Entry> byName =
                BENCHMARKS.stream().collect(Collectors.toMap(Entry::name, Function.identity()));
        Entry bench = args.length == 0 ? null : byName.get(args[0]);
        if (bench == null) {
            System.err.println("usage: ./shoppulse bench NAME; benchmarks:");
            BENCHMARKS.forEach(b -> System.err.printf("  %-14s %s%n", b.name(), b.description()));
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int split = Arrays.asList(rest).indexOf("--");
        String[] settings = split < 0 ? rest : Arrays.copyOfRange(rest, 0, split);
        String[] own = split < 0 ? new String[0] : Arrays.copyOfRange(rest, split + 1, rest.length);
        ShopPulseConfig base = ShopPulseConfig.load(settings);
        // Ctrl-C: whatever the benchmark is doing, the JVM is gone within the stop bound (its
        // LocalCluster cancels and awaits with a deadline; this halts what even that cannot end).
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () ->
                                        StopDeadline.arm(
                                                "benchmark " + bench.name() + " (Ctrl-C)",
                                                StopDeadline.BOUND,
                                                List::of,
                                                true),
                                "bench-stop"));
        Result result;
        StopDeadline stopping;
        try (LocalServices services = LocalServices.start(base)) {
            result = bench.maker().get().run(services.config(), own);
            stopping =
                    StopDeadline.arm(
                            "benchmark " + bench.name() + "'s stop",
                            StopDeadline.BOUND,
                            List::of,
                            true);
        }
        System.out.println(result.line(bench.name()));
        stopping.close();
        StopDeadline.arm("exit", Duration.ofSeconds(10), List::of, true);
        System.exit(0);
    }
}
