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
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.redis.Redis;
import dev.shoppulse.common.redis.RedisSettings;
import dev.shoppulse.common.redis.ScriptPipeline;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;

/**
 * {@code ./shoppulse bench ratelimit [-- --seconds 2 --rounds 3 --threads 64 --connections 2]}:
 * decisions per second and decision latency of our GCRA limiter, against Redis's own ceiling for
 * the very same script, measured in the same run, in alternating slices: EVALSHA of the limiter's
 * SHA with the limiter's arguments, driven 16 deep on a few pipelined connections (Jedis) and by
 * {@code redis-benchmark} when it is on the PATH. Also: the former one-connection-per-decision path
 * and Bucket4j-Jedis as baselines, 64 callers and 8 callers, many keys and one hot key, and an
 * oracle counting admissions beyond the policy on the hot key.
 */
public final class RateLimitBench implements Benchmark {
    private static final int KEYS = 100_000;

    /** One scenario's figures. */
    record Run(
            String limiter,
            String keys,
            int callers,
            long decisions,
            long admitted,
            double seconds,
            long p50Micros,
            long p99Micros,
            long overAdmitted,
            long[] sortedNanos) {
        double perSecond() {
            return decisions / seconds;
        }

        /** Several slices of one scenario as one: summed counts and time, pooled latencies. */
        static Run merge(List<Run> runs) {
            long[] all = runs.stream().flatMapToLong(r -> Arrays.stream(r.sortedNanos)).toArray();
            Arrays.sort(all);
            Run first = runs.get(0);
            return new Run(
                    first.limiter,
                    first.keys,
                    first.callers,
                    runs.stream().mapToLong(Run::decisions).sum(),
                    runs.stream().mapToLong(Run::admitted).sum(),
                    runs.stream().mapToDouble(Run::seconds).sum(),
                    percentile(all, 0.50) / 1000,
                    percentile(all, 0.99) / 1000,
                    runs.stream().mapToLong(Run::overAdmitted).sum(),
                    all);
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-10s %-9s %3d callers decisions/s=%9.0f p50=%6.3f ms p99=%6.3f ms"
                            + " admitted=%d over_admitted=%d",
                    limiter,
                    keys,
                    callers,
                    perSecond(),
                    p50Micros / 1000.0,
                    p99Micros / 1000.0,
                    admitted,
                    overAdmitted);
        }
    }

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 2);
        int rounds = intArg(args, "--rounds", 3);
        int threads = intArg(args, "--threads", 64);
        int fewCallers = intArg(args, "--few-callers", 8);
        int connections =
                intArg(
                        args,
                        "--connections",
                        config.getInt(RateLimitCapability.RATELIMIT_REDIS_CONNECTIONS));
        int depth = intArg(args, "--depth", 16);
        int ceilingConnections = intArg(args, "--ceiling-connections", 4);
        // Other connection counts to measure beside the default, in the same rounds (e.g. 1,4).
        int[] otherConnections = intsArg(args, "--compare-connections");
        String prefix = "spbench-rl-" + UUID.randomUUID().toString().substring(0, 8);
        RedisSettings rs = RedisSettings.from(config.with(Settings.REDIS_KEY_PREFIX, prefix));
        // Many keys: each sees few requests, so most are admitted; one hot key: 2000/s, burst
        // 100, so most of 64 callers' requests are refused and the bound is tight.
        Policy many = new Policy("many", 100, Duration.ofSeconds(1), 10, 0);
        Policy hot = new Policy("hot", 2000, Duration.ofSeconds(1), 100, 0);
        Duration lease = Duration.ofSeconds(30);
        // The ceiling and our limiter take turns, round after round, so that load from elsewhere
        // on a shared machine falls on both alike; each figure is the sum over the rounds.
        List<Run> oursMany = new ArrayList<>();
        List<Run> perCallMany = new ArrayList<>();
        List<Run> oursFew = new ArrayList<>();
        List<Run> perCallFew = new ArrayList<>();
        double[] jedisCeiling = new double[rounds];
        double[] toolCeiling = new double[rounds];
        Run b4jMany;
        Run oursHot;
        Run perCallHot;
        Run b4jHot;
        long batches = 0;
        long batchedCalls = 0;
        // Where the CPU goes: Redis's own (INFO cpu) and this JVM's, per call, by scenario.
        CpuUse toolCpu = new CpuUse();
        CpuUse oursCpu = new CpuUse();
        List<ScriptPipeline> others = new ArrayList<>();
        List<List<Run>> othersMany = new ArrayList<>();
        List<List<Run>> othersFew = new ArrayList<>();
        try (Redis redis = RateLimiting.limiterClient(rs, Duration.ofSeconds(2));
                ScriptPipeline pipeline =
                        RateLimiting.decisionPipeline(rs, Duration.ofSeconds(2), connections)) {
            pipeline.load(RedisGcraLimiter.GCRA);
            Limiter ours = new RedisGcraLimiter(pipeline, redis, lease);
            Limiter perCall = new RedisGcraLimiter(redis, lease);
            // Bucket4j is a third-party adapter that takes a bare Jedis client.
            Limiter bucket4j = new Bucket4jLimiter(redis.client(), prefix);
            List<Limiter> otherLimiters = new ArrayList<>();
            for (int c : otherConnections) {
                ScriptPipeline p = RateLimiting.decisionPipeline(rs, Duration.ofSeconds(2), c);
                others.add(p);
                otherLimiters.add(new RedisGcraLimiter(p, redis, lease));
                othersMany.add(new ArrayList<>());
                othersFew.add(new ArrayList<>());
                measure(
                        "warm-up",
                        otherLimiters.get(otherLimiters.size() - 1),
                        many,
                        false,
                        threads,
                        1);
            }
            // Warm everything up (JIT, pool, script cache) before measuring.
            measure("warm-up", ours, many, false, threads, 1);
            measure("warm-up", perCall, many, false, threads, 1);
            measure("warm-up", bucket4j, many, false, threads, 1);
            double estimate =
                    pipelinedCeiling(rs, prefix, many, lease, ceilingConnections, depth, 1);
            for (int r = 0; r < rounds; r++) {
                jedisCeiling[r] =
                        pipelinedCeiling(
                                rs, prefix, many, lease, ceilingConnections, depth, seconds);
                double[] before = cpu(redis);
                toolCeiling[r] =
                        redisBenchmarkCeiling(
                                rs, prefix, many, lease, depth, 1.5 * estimate, seconds);
                double[] after = cpu(redis);
                toolCpu.add(before, after, toolCeiling[r] * (after[2] - before[2]));
                perCallMany.add(measure("per-call", perCall, many, false, threads, seconds));
                perCallFew.add(measure("per-call", perCall, many, false, fewCallers, seconds));
                // The pipelined variants take turns in a rotating order, so none always runs
                // right after the same neighbour.
                int variants = 1 + otherConnections.length;
                for (int v = 0; v < variants; v++) {
                    int which = (v + r) % variants;
                    if (which == 0) {
                        long batchesBefore = pipeline.batches();
                        long callsBefore = pipeline.calls();
                        double[] start = cpu(redis);
                        oursMany.add(measure("pipelined", ours, many, false, threads, seconds));
                        oursCpu.add(start, cpu(redis), oursMany.get(r).decisions());
                        batches += pipeline.batches() - batchesBefore;
                        batchedCalls += pipeline.calls() - callsBefore;
                        oursFew.add(measure("pipelined", ours, many, false, fewCallers, seconds));
                    } else {
                        int i = which - 1;
                        String label = "piped-" + otherConnections[i] + "c";
                        Limiter l = otherLimiters.get(i);
                        othersMany.get(i).add(measure(label, l, many, false, threads, seconds));
                        othersFew.get(i).add(measure(label, l, many, false, fewCallers, seconds));
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "  round %d: ceiling Jedis %.0f/s, redis-benchmark %.0f/s; pipelined %.0f/s,"
                                + " per-call %.0f/s at %d callers%n",
                        r + 1,
                        jedisCeiling[r],
                        toolCeiling[r],
                        oursMany.get(r).perSecond(),
                        perCallMany.get(r).perSecond(),
                        threads);
            }
            b4jMany = measure("bucket4j", bucket4j, many, false, threads, seconds);
            oursHot = measure("pipelined", ours, hot, true, threads, 2 * seconds);
            perCallHot = measure("per-call", perCall, hot, true, threads, 2 * seconds);
            b4jHot = measure("bucket4j", bucket4j, hot, true, threads, 2 * seconds);
        } finally {
            others.forEach(ScriptPipeline::close);
            deleteKeys(rs, prefix);
        }
        double jedis = Arrays.stream(jedisCeiling).average().orElse(0);
        double tool = Arrays.stream(toolCeiling).average().orElse(0);
        double ceiling = Math.max(jedis, tool);
        Run oursManyAll = Run.merge(oursMany);
        Run perCallManyAll = Run.merge(perCallMany);
        Run oursFewAll = Run.merge(oursFew);
        Run perCallFewAll = Run.merge(perCallFew);
        System.out.printf(
                "ratelimit bench: %d and %d callers, %d rounds of %d s, %d pipelined connections,"
                        + " Redis %s:%d%n",
                threads, fewCallers, rounds, seconds, connections, rs.host(), rs.port());
        System.out.printf(
                Locale.ROOT,
                "  ceiling, same script: Jedis %d connections x %d deep %.0f/s, redis-benchmark 64"
                        + " connections x %d deep %s%n",
                ceilingConnections,
                depth,
                jedis,
                depth,
                tool > 0 ? String.format(Locale.ROOT, "%.0f/s", tool) : "n/a");
        for (Run r :
                List.of(
                        oursManyAll,
                        perCallManyAll,
                        b4jMany,
                        oursHot,
                        perCallHot,
                        b4jHot,
                        oursFewAll,
                        perCallFewAll)) {
            System.out.println("  " + r.line());
        }
        for (int i = 0; i < otherConnections.length; i++) {
            System.out.println("  " + Run.merge(othersMany.get(i)).line());
            System.out.println("  " + Run.merge(othersFew.get(i)).line());
        }
        double meanBatch = batches == 0 ? 0 : (double) batchedCalls / batches;
        System.out.printf(
                Locale.ROOT,
                "  CPU at %d callers, many keys: Redis busy %s (redis-benchmark), %s (pipelined);"
                        + " this JVM per decision: %.1f µs pipelined (callers' own work"
                        + " included)%n",
                threads,
                toolCpu.redis(),
                oursCpu.redis(),
                oursCpu.jvmMicrosPerCall());
        System.out.printf(
                Locale.ROOT,
                "  pipelined many keys at %d callers: %.1f decisions per round trip; vs ceiling"
                        + " %.2f, vs per-call %.2fx, vs bucket4j %.2fx (hot key %.2fx)%n",
                threads,
                meanBatch,
                oursManyAll.perSecond() / ceiling,
                oursManyAll.perSecond() / perCallManyAll.perSecond(),
                oursManyAll.perSecond() / b4jMany.perSecond(),
                oursHot.perSecond() / b4jHot.perSecond());
        return new Result()
                .put("decisions_per_s", Math.round(oursManyAll.perSecond()))
                .put("ceiling_decisions_per_s", Math.round(ceiling))
                .put("ceiling_jedis_per_s", Math.round(jedis))
                .put("ceiling_redis_benchmark_per_s", Math.round(tool))
                .put("vs_redis_ceiling", oursManyAll.perSecond() / ceiling)
                .put("vs_per_call", oursManyAll.perSecond() / perCallManyAll.perSecond())
                .put("per_call_vs_redis_ceiling", perCallManyAll.perSecond() / ceiling)
                .put("hot_key_decisions_per_s", Math.round(oursHot.perSecond()))
                .put("p50_ms", oursManyAll.p50Micros() / 1000.0)
                .put("p99_ms", Math.max(oursManyAll.p99Micros(), oursHot.p99Micros()) / 1000.0)
                .put("p50_ms_8", oursFewAll.p50Micros() / 1000.0)
                .put("p99_ms_8", oursFewAll.p99Micros() / 1000.0)
                .put("per_call_p99_ms_8", perCallFewAll.p99Micros() / 1000.0)
                .put("mean_batch", meanBatch)
                .put("redis_busy_ceiling", toolCpu.redisBusy())
                .put("redis_busy_pipelined", oursCpu.redisBusy())
                .put("jvm_us_per_decision", oursCpu.jvmMicrosPerCall())
                .put("vs_bucket4j", oursManyAll.perSecond() / b4jMany.perSecond())
                .put("vs_bucket4j_hot", oursHot.perSecond() / b4jHot.perSecond())
                .put("over_admitted", oursHot.overAdmitted() + perCallHot.overAdmitted());
    }

    /**
     * Redis's ceiling for the limiter's script: EVALSHA of the same SHA with the same arguments as
     * a many-keys decision, {@code depth} commands per round trip on each of {@code connections}
     * connections (one thread each), for {@code seconds}; returns calls per second.
     */
    static double pipelinedCeiling(
            RedisSettings rs,
            String prefix,
            Policy policy,
            Duration lease,
            int connections,
            int depth,
            int seconds)
            throws InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 6);
        byte[] sha = RedisGcraLimiter.GCRA.sha().getBytes(StandardCharsets.US_ASCII);
        String interval = Long.toString(policy.intervalMicros());
        String burst = Integer.toString(policy.burst());
        String leaseMicros = Long.toString(lease.toNanos() / 1000);
        AtomicLong calls = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        List<Throwable> errors = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t =
                    new Thread(
                            () -> {
                                int tmout = (int) rs.timeout().toMillis();
                                try (Connection conn =
                                        new Connection(
                                                new HostAndPort(rs.host(), rs.port()),
                                                DefaultJedisClientConfig.builder()
                                                        .socketTimeoutMillis(tmout)
                                                        .connectionTimeoutMillis(tmout)
                                                        .password(password())
                                                        .build())) {
                                    ThreadLocalRandom random = ThreadLocalRandom.current();
                                    long n = 0;
                                    while (System.nanoTime() < end) {
                                        for (int i = 0; i < depth; i++) {
                                            String subject = runId + ":k" + random.nextInt(KEYS);
                                            conn.sendCommand(
                                                    Protocol.Command.EVALSHA,
                                                    sha,
                                                    bytes("2"),
                                                    bytes(rs.keys().rateLimit(subject)),
                                                    bytes(rs.keys().inflight(subject)),
                                                    bytes(interval),
                                                    bytes(burst),
                                                    bytes("0"),
                                                    bytes(leaseMicros),
                                                    bytes(""));
                                        }
                                        List<Object> replies = conn.getMany(depth);
                                        for (Object r : replies) {
                                            if (r instanceof Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                        }
                                        n += depth;
                                    }
                                    calls.addAndGet(n);
                                } catch (RuntimeException e) {
                                    synchronized (errors) {
                                        errors.add(e);
                                    }
                                } finally {
                                    done.countDown();
                                }
                            },
                            "ceiling-" + c);
            t.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            throw new IllegalStateException("ceiling run failed", errors.get(0));
        }
        return calls.get() / elapsed;
    }

    /**
     * The same ceiling measured by {@code redis-benchmark} (64 connections, {@code depth} deep),
     * when it is on the PATH; 0 when it is not. Runs about {@code seconds} by sizing its request
     * count from the Jedis figure.
     */
    static double redisBenchmarkCeiling(
            RedisSettings rs,
            String prefix,
            Policy policy,
            Duration lease,
            int depth,
            double expectedPerSecond,
            int seconds)
            throws Exception {
        String tool = onPath("redis-benchmark");
        if (tool == null) {
            return 0;
        }
        List<String> cmd = new ArrayList<>();
        cmd.addAll(
                List.of(
                        tool,
                        "-h",
                        rs.host(),
                        "-p",
                        Integer.toString(rs.port()),
                        "-c",
                        "64",
                        "-P",
                        Integer.toString(depth),
                        "-n",
                        Long.toString(Math.max(50_000, (long) (expectedPerSecond * seconds))),
                        "-r",
                        Integer.toString(KEYS),
                        "--csv"));
        String password = password();
        if (password != null) {
            cmd.addAll(List.of("-a", password, "--no-auth-warning"));
        }
        // The limiter's own keys for a subject "rb:<n>", and its many-keys arguments.
        cmd.addAll(
                List.of(
                        "EVALSHA",
                        RedisGcraLimiter.GCRA.sha(),
                        "2",
                        rs.keys().rateLimit("rb:__rand_int__"),
                        rs.keys().inflight("rb:__rand_int__"),
                        Long.toString(policy.intervalMicros()),
                        Integer.toString(policy.burst()),
                        "0",
                        Long.toString(lease.toNanos() / 1000),
                        ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double rps = 0;
        List<String> output = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                String[] f = line.split("\",\"");
                if (f.length > 1 && f[0].startsWith("\"EVALSHA")) {
                    rps = Double.parseDouble(f[1].replace("\"", ""));
                }
            }
        }
        if (!p.waitFor(Math.max(60, seconds * 10L), TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (rps == 0) {
            System.out.println("  redis-benchmark gave no figure: " + output);
        }
        return rps;
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static String password() {
        String p = System.getenv(Settings.REDIS_PASSWORD.envName());
        return p == null || p.isEmpty() ? null : p;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Run measure(
            String label, Limiter limiter, Policy policy, boolean hotKey, int threads, int seconds)
            throws InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 6);
        AtomicLong admitted = new AtomicLong();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        // Hot key: when each admitted decision was asked for and answered, for the oracle.
        long[][] admittedSpans = new long[threads][];
        int[] admittedCounts = new int[threads];
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread th =
                    new Thread(
                            () -> {
                                long[] lat = new long[1 << 16];
                                long[] spans = new long[hotKey ? 1 << 12 : 0];
                                int n = 0;
                                int a = 0;
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                while (System.nanoTime() < end) {
                                    String key =
                                            hotKey
                                                    ? runId + ":hot"
                                                    : runId + ":k" + random.nextInt(KEYS);
                                    long s = System.nanoTime();
                                    Decision d = limiter.acquire(key, policy, 0);
                                    long e = System.nanoTime();
                                    if (n == lat.length) {
                                        lat = Arrays.copyOf(lat, n * 2);
                                    }
                                    lat[n++] = e - s;
                                    if (d.allowed()) {
                                        admitted.incrementAndGet();
                                        if (hotKey) {
                                            if (2 * a + 2 > spans.length) {
                                                spans = Arrays.copyOf(spans, spans.length * 2);
                                            }
                                            spans[2 * a] = s;
                                            spans[2 * a + 1] = e;
                                            a++;
                                        }
                                    }
                                }
                                latencies[me] = lat;
                                counts[me] = n;
                                admittedSpans[me] = spans;
                                admittedCounts[me] = a;
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
            over = Math.max(over, oracle(admittedSpans, admittedCounts, policy));
        }
        return new Run(
                label,
                hotKey ? "hot-key" : "many-keys",
                threads,
                total,
                admitted.get(),
                elapsed,
                percentile(all, 0.50) / 1000,
                percentile(all, 0.99) / 1000,
                over,
                all);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) (p * (sorted.length - 1))];
    }

    /**
     * The most admissions beyond the policy in any window: GCRA admits at most {@code burst + e /
     * interval} requests in any span {@code e} of Redis time. Each admission happened (on Redis)
     * between its caller's asking and its answer, so the admissions asked and answered within [t, t
     * + L] all fell in a span of at most L; they must number at most burst + L / interval. Checked
     * for every admission as t and windows of 10 ms, 100 ms and 1 s.
     */
    static long oracle(long[][] spans, int[] counts, Policy policy) {
        int total = Arrays.stream(counts).sum();
        long[][] byAsked = new long[total][];
        int k = 0;
        for (int t = 0; t < spans.length; t++) {
            for (int i = 0; i < counts[t]; i++) {
                byAsked[k++] = new long[] {spans[t][2 * i], spans[t][2 * i + 1]};
            }
        }
        Arrays.sort(byAsked, (x, y) -> Long.compare(x[0], y[0]));
        long worst = 0;
        long intervalNanos = policy.intervalMicros() * 1000;
        for (long window : new long[] {10_000_000L, 100_000_000L, 1_000_000_000L}) {
            long allowed = policy.burst() + window / intervalNanos;
            for (int i = 0; i < total; i++) {
                long from = byAsked[i][0];
                long to = from + window;
                long inside = 0;
                for (int j = i; j < total && byAsked[j][0] <= to; j++) {
                    if (byAsked[j][1] <= to) {
                        inside++;
                    }
                }
                worst = Math.max(worst, inside - allowed);
            }
        }
        return worst;
    }

    private static void deleteKeys(RedisSettings rs, String prefix) {
        try (Redis r = Redis.open(rs)) {
            r.deleteMatching(prefix + ":*");
        }
    }

    /**
     * Seconds of CPU Redis has used (INFO cpu, user + system), this JVM has used, and the wall
     * clock, now.
     */
    private static double[] cpu(Redis redis) {
        String info = redis.call("INFO cpu", r -> r.info("cpu"));
        double redisSeconds = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                redisSeconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        double jvmSeconds =
                ((com.sun.management.OperatingSystemMXBean)
                                        ManagementFactory.getOperatingSystemMXBean())
                                .getProcessCpuTime()
                        / 1e9;
        return new double[] {redisSeconds, jvmSeconds, System.nanoTime() / 1e9};
    }

    /** CPU used over some slices of one scenario, and the calls made in them. */
    static final class CpuUse {
        double redis;
        double jvm;
        double wall;
        double calls;

        void add(double[] before, double[] after, double callsMade) {
            redis += after[0] - before[0];
            jvm += after[1] - before[1];
            wall += after[2] - before[2];
            calls += callsMade;
        }

        /** Redis's CPU as a share of one core (Redis runs commands on one thread). */
        double redisBusy() {
            return wall == 0 ? 0 : redis / wall;
        }

        String redis() {
            return String.format(
                    Locale.ROOT,
                    "%.0f%% of a core, %.1f µs/call",
                    100 * redisBusy(),
                    calls == 0 ? 0 : redis * 1e6 / calls);
        }

        double jvmMicrosPerCall() {
            return calls == 0 ? 0 : jvm * 1e6 / calls;
        }
    }

    private static int[] intsArg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
            }
        }
        return new int[0];
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
