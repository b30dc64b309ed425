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
import java.util.stream.Collectors;

/**
 * {@code ./shoppulse bench NAME [--setting value ...] [-- benchmark flags]}: starts the local
 * services (in-JVM Kafka; Redis and PostgreSQL as in the local run), runs one benchmark, prints its
 * RESULT line last.
 */
public final class BenchMain {
    private BenchMain() {}

    /** Every benchmark; a new capability adds its own here. */
    static List<Benchmark> benchmarks() {
        return List.of(
                new OrdersBenchmark(),
                new RateLimitBench(),
                new BulkUpdateBench(),
                new CommentsBench(),
                new RetentionBench(),
                new NotificationsBench(),
                new TopSearchesBench(),
                new ReportsBench());
    }

    public static void main(String[] args) throws Exception {
        Map<String, Benchmark> byName =
                benchmarks().stream()
                        .collect(Collectors.toMap(Benchmark::name, Function.identity()));
        Benchmark bench = args.length == 0 ? null : byName.get(args[0]);
        if (bench == null) {
            System.err.println("usage: ./shoppulse bench NAME; benchmarks:");
            benchmarks().forEach(b -> System.err.printf("  %-14s %s%n", b.name(), b.description()));
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
            result = bench.run(services.config(), own);
            stopping =
                    StopDeadline.arm(
                            "benchmark " + bench.name() + "'s stop",
                            StopDeadline.BOUND,
                            List::of,
                            true);
        }
        System.out.println(result.line());
        stopping.close();
        StopDeadline.arm("exit", Duration.ofSeconds(10), List::of, true);
        System.exit(0);
    }
}
