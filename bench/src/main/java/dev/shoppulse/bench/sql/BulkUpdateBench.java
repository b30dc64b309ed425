package dev.shoppulse.bench.sql;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.sql.PincodeBatches;
import dev.shoppulse.sql.PincodeBatches.Method;
import dev.shoppulse.sql.PincodeSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code ./shoppulse bench bulk-update}: pincode updates for 1 K, 10 K and 100 K distinct emails on
 * a 1 M-row users table, every way in the same run: one statement per email (auto-commit, the naive
 * loop), a JDBC batch of those statements in one transaction, the guarded statement fed by {@code
 * unnest} arrays, the same statement fed by COPY into a temporary table, and {@code chosen}: what
 * {@link PincodeBatches#apply(Connection, List, int)} picks at {@code pincodes.copy-threshold}.
 * Each figure is the median of several batches, the ways interleaved (rotating order) so that drift
 * on a shared machine hits them alike.
 *
 * <p>Flags: {@code --users N}, {@code --sizes 1000,10000,100000}, {@code --reps N} (batches per way
 * and size; default 15 at 1 K down to 3 from 20 K), {@code --per-row-100k} (time the whole per-row
 * loop at sizes over 10 K; by default it is timed on the first 10 K rows of each batch, its rate
 * does not depend on the batch size), {@code --ways unnest,copy,chosen} (a subset, for exploring;
 * {@code vs_fastest_min} is then over that subset).
 */
public final class BulkUpdateBench implements Benchmark {
    private static final int PER_ROW_SAMPLE = 10_000;
    private static final int PER_ROW_REPS = 3;
    private static final List<String> ALL_WAYS =
            List.of("per-row", "jdbc-batch", "unnest", "copy", "chosen");

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int users = 1_000_000;
        boolean perRowFull = false;
        int reps = 0;
        int[] sizes = {1_000, 10_000, 100_000};
        List<String> ways = ALL_WAYS;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--users" -> users = Integer.parseInt(args[++k]);
                case "--per-row-100k" -> perRowFull = true;
                case "--reps" -> reps = Integer.parseInt(args[++k]);
                case "--sizes" ->
                        sizes =
                                Arrays.stream(args[++k].split(","))
                                        .mapToInt(Integer::parseInt)
                                        .toArray();
                case "--ways" -> ways = List.of(args[++k].split(","));
                default -> {}
            }
        }
        int threshold = config.getInt(PincodesCapability.PINCODES_COPY_THRESHOLD);
        Result result = new Result();
        try (BenchDb db = new BenchDb(config, "bulk");
                Connection c = db.connect()) {
            long t0 = System.nanoTime();
            BenchDb.exec(
                    c,
                    "INSERT INTO users (email) SELECT 'User' || g || '@Example.in'"
                            + " FROM generate_series(1, "
                            + users
                            + ") g");
            BenchDb.exec(c, "VACUUM ANALYZE users");
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d users in %.1f s; copy threshold %,d%n",
                    users,
                    (System.nanoTime() - t0) / 1e9,
                    threshold);

            Random random = new Random(7);
            long[] clock = {1_800_000_000L};
            // Warm-up (not recorded): plans cached, pages in memory, both ways exercised.
            for (Method m : Method.values()) {
                PincodeBatches.apply(c, updates(random, users, 10_000, clock[0]++), m);
            }

            double fastestMin = Double.MAX_VALUE;
            System.out.printf(
                    "%-10s %8s %5s %14s %s%n", "way", "rows", "reps", "rows/s (median)", "");
            for (int n : sizes) {
                int r = reps > 0 ? reps : Math.max(5, Math.min(21, 100_000 / n));
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                ways.forEach(w -> rates.put(w, new ArrayList<>()));
                Method chosen = null;
                for (int rep = 0; rep < r; rep++) {
                    for (int w = 0; w < ways.size(); w++) {
                        String way = ways.get((w + rep) % ways.size());
                        if (way.equals("per-row") && rep >= PER_ROW_REPS) {
                            continue; // a baseline, not a candidate: a few batches suffice
                        }
                        List<PincodeUpdate> batch = updates(random, users, n, clock[0]++);
                        boolean sampled =
                                way.equals("per-row") && n > PER_ROW_SAMPLE && !perRowFull;
                        if (sampled) {
                            batch = batch.subList(0, PER_ROW_SAMPLE);
                        }
                        long start = System.nanoTime();
                        switch (way) {
                            case "per-row" -> perRow(c, batch);
                            case "jdbc-batch" -> jdbcBatch(c, batch);
                            case "unnest" -> PincodeBatches.apply(c, batch, Method.UNNEST);
                            case "copy" -> PincodeBatches.apply(c, batch, Method.COPY);
                            default -> chosen = PincodeBatches.apply(c, batch, threshold).method();
                        }
                        rates.get(way).add(batch.size() / ((System.nanoTime() - start) / 1e9));
                    }
                }
                String size = label(n);
                double fastest = 0;
                for (String way : ways) {
                    double median = median(rates.get(way));
                    String note =
                            way.equals("chosen") && chosen != null
                                    ? "(" + chosen.name().toLowerCase(Locale.ROOT) + ")"
                                    : way.equals("per-row") && n > PER_ROW_SAMPLE && !perRowFull
                                            ? "(first " + PER_ROW_SAMPLE + " rows of each batch)"
                                            : "";
                    System.out.printf(
                            Locale.ROOT,
                            "%-10s %8d %5d %14.0f %s%n",
                            way,
                            n,
                            rates.get(way).size(),
                            median,
                            note);
                    result.put(way.replace('-', '_') + "_" + size + "_rows_per_s", median);
                    if (!way.equals("chosen")) {
                        fastest = Math.max(fastest, median);
                    }
                }
                if (chosen == null) {
                    continue;
                }
                double chosenRate = median(rates.get("chosen"));
                result.put("chosen_" + size + "_method", chosen.name().toLowerCase(Locale.ROOT));
                result.put("chosen_" + size + "_vs_fastest", chosenRate / fastest);
                fastestMin = Math.min(fastestMin, chosenRate / fastest);
                if (n == 10_000 && rates.containsKey("per-row")) {
                    result.put("vs_per_row_10k", chosenRate / median(rates.get("per-row")));
                }
            }
            if (fastestMin < Double.MAX_VALUE) {
                result.put("vs_fastest_min", fastestMin);
            }
            result.put("copy_threshold", threshold);
        }
        return result;
    }

    static String label(int n) {
        return n % 1000 == 0 ? (n / 1000) + "k" : Integer.toString(n);
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** n distinct existing users with new pincodes, all newer than anything written before. */
    static List<PincodeUpdate> updates(Random random, int users, int n, long second) {
        List<PincodeUpdate> out = new ArrayList<>(n);
        Set<Integer> seen = new HashSet<>();
        while (out.size() < n) {
            int id = 1 + random.nextInt(users);
            if (seen.add(id)) {
                out.add(
                        new PincodeUpdate(
                                "user" + id + "@example.in",
                                String.valueOf(100000 + random.nextInt(899999)),
                                Instant.ofEpochSecond(second)));
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, PincodeUpdate u) throws Exception {
        Timestamp at = Timestamp.from(u.occurredAt());
        ps.setString(1, u.pincode());
        ps.setTimestamp(2, at);
        ps.setString(3, u.email());
        ps.setTimestamp(4, at);
        ps.setString(5, u.pincode());
    }

    static void perRow(Connection c, List<PincodeUpdate> batch) throws Exception {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.UPDATE_ONE)) {
            for (PincodeUpdate u : batch) {
                bind(ps, u);
                ps.executeUpdate();
            }
        }
    }

    static void jdbcBatch(Connection c, List<PincodeUpdate> batch) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(PincodeSql.UPDATE_ONE)) {
            for (PincodeUpdate u : PincodeBatches.lastWriterWins(batch)) {
                bind(ps, u);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }
}
