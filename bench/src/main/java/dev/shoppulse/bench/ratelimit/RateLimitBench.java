package dev.shoppulse.bench.ratelimit;

import dev.shoppulse.api.ratelimit.Bucket4jLimiter;
import dev.shoppulse.api.ratelimit.Decision;
import dev.shoppulse.api.ratelimit.Limiter;
import dev.shoppulse.api.ratelimit.Policy;
import dev.shoppulse.api.ratelimit.RateLimiting;
import dev.shoppulse.api.ratelimit.RedisGcraLimiter;
import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./shoppulse bench ratelimit [-- --seconds 5 --threads 64]}: decisions per second and
 * decision latency of our GCRA limiter and of Bucket4j-Jedis, on the same Redis in the same run, at
 * 64 concurrent callers, over many keys and over one hot key; plus whether the hot key was ever
 * over-admitted.
 */
public final class RateLimitBench implements Benchmark {
    private static final int KEYS = 100_000;

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public String description() {
        return "limiter decisions/s and p50/p99 at 64 callers, many keys and one hot key, vs"
                + " Bucket4j-Jedis";
    }

    /** One scenario's figures. */
    record Run(
            String limiter,
            String keys,
            long decisions,
            long admitted,
            double seconds,
            long p50Micros,
            long p99Micros,
            long overAdmitted) {
        double perSecond() {
            return decisions / seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-10s %-9s decisions/s=%9.0f p50=%6.3f ms p99=%6.3f ms admitted=%d"
                            + " over_admitted=%d",
                    limiter,
                    keys,
                    perSecond(),
                    p50Micros / 1000.0,
                    p99Micros / 1000.0,
                    admitted,
                    overAdmitted);
        }
    }

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int threads = intArg(args, "--threads", 64);
        String prefix = "spbench-rl-" + UUID.randomUUID().toString().substring(0, 8);
        RedisSettings rs = RedisSettings.from(config.with(Settings.REDIS_KEY_PREFIX, prefix));
        // Many keys: each sees few requests, so most are admitted; one hot key: 2000/s, burst
        // 100, so most of 64 callers' requests are refused and the bound is tight.
        Policy many = new Policy("many", 100, Duration.ofSeconds(1), 10, 0);
        Policy hot = new Policy("hot", 2000, Duration.ofSeconds(1), 100, 0);
        List<Run> runs = new ArrayList<>();
        try (Redis redis = RateLimiting.limiterClient(rs, Duration.ofSeconds(2))) {
            Limiter ours = new RedisGcraLimiter(redis, Duration.ofSeconds(30));
            // Bucket4j is a third-party adapter that takes a bare Jedis client.
            Limiter bucket4j = new Bucket4jLimiter(redis.client(), prefix);
            // Warm both up (JIT, pool, script cache) before measuring.
            measure("warm-up", ours, many, false, threads, 1);
            measure("warm-up", bucket4j, many, false, threads, 1);
            for (boolean hotKey : new boolean[] {false, true}) {
                runs.add(measure("shoppulse", ours, hotKey ? hot : many, hotKey, threads, seconds));
                runs.add(
                        measure(
                                "bucket4j",
                                bucket4j,
                                hotKey ? hot : many,
                                hotKey,
                                threads,
                                seconds));
            }
        } finally {
            deleteKeys(rs, prefix);
        }
        System.out.printf(
                "ratelimit bench: %d callers, %d s per scenario, Redis %s:%d%n",
                threads, seconds, rs.host(), rs.port());
        runs.forEach(r -> System.out.println("  " + r.line()));
        Run oursMany = runs.get(0);
        Run b4jMany = runs.get(1);
        Run oursHot = runs.get(2);
        Run b4jHot = runs.get(3);
        System.out.printf(
                Locale.ROOT,
                "  ours / bucket4j: many keys %.2fx, hot key %.2fx%n",
                oursMany.perSecond() / b4jMany.perSecond(),
                oursHot.perSecond() / b4jHot.perSecond());
        return new Result(name())
                .put("decisions_per_s", Math.round(oursMany.perSecond()))
                .put("hot_key_decisions_per_s", Math.round(oursHot.perSecond()))
                .put("p50_ms", oursMany.p50Micros() / 1000.0)
                .put("p99_ms", Math.max(oursMany.p99Micros(), oursHot.p99Micros()) / 1000.0)
                .put("vs_bucket4j", oursMany.perSecond() / b4jMany.perSecond())
                .put("vs_bucket4j_hot", oursHot.perSecond() / b4jHot.perSecond())
                .put("over_admitted", oursMany.overAdmitted() + oursHot.overAdmitted());
    }

    private static Run measure(
            String label, Limiter limiter, Policy policy, boolean hotKey, int threads, int seconds)
            throws InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 6);
        AtomicLong admitted = new AtomicLong();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th =
                    new Thread(
                            () -> {
                                long[] lat = new long[1 << 16];
                                int n = 0;
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                while (System.nanoTime() < end) {
                                    String key =
                                            hotKey
                                                    ? runId + ":hot"
                                                    : runId + ":k" + random.nextInt(KEYS);
                                    long s = System.nanoTime();
                                    Decision d = limiter.acquire(key, policy, 0);
                                    long took = System.nanoTime() - s;
                                    if (n == lat.length) {
                                        lat = Arrays.copyOf(lat, n * 2);
                                    }
                                    lat[n++] = took;
                                    if (d.allowed()) {
                                        admitted.incrementAndGet();
                                    }
                                }
                                latencies[me] = lat;
                                counts[me] = n;
                                done.countDown();
                            },
                            "bench-" + t);
            th.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        long over = 0;
        if (hotKey) {
            long bound = policy.burst() + (long) (elapsed * 1_000_000 / policy.intervalMicros());
            over = Math.max(0, admitted.get() - bound);
        }
        return new Run(
                label,
                hotKey ? "hot-key" : "many-keys",
                total,
                admitted.get(),
                elapsed,
                total == 0 ? 0 : all[(int) (0.50 * (total - 1))] / 1000,
                total == 0 ? 0 : all[(int) (0.99 * (total - 1))] / 1000,
                over);
    }

    private static void deleteKeys(RedisSettings rs, String prefix) {
        try (Redis r = Redis.open(rs)) {
            r.deleteMatching(prefix + ":*");
        }
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }
}
