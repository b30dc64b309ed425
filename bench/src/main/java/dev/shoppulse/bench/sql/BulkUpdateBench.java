package dev.shoppulse.bench.sql;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.sql.PincodeBatches;
import dev.shoppulse.sql.PincodeSql;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * {@code ./shoppulse bench bulk-update}: pincode updates for 1 K, 10 K and 100 K emails on a 1
 * M-row users table, four ways in the same run: one statement per email (auto-commit, today's
 * loop), a JDBC batch of those statements in one transaction, ShopPulse's one {@code UPDATE ...
 * FROM unnest}, and COPY into a temporary table + {@code UPDATE ... FROM}. Flags: {@code --users
 * N}, {@code --per-row-100k} (also time the per-row loop at 100 K; slow).
 */
public final class BulkUpdateBench implements Benchmark {
    private static final int[] SIZES = {1_000, 10_000, 100_000};

    @Override
    public String name() {
        return "bulk-update";
    }

    @Override
    public String description() {
        return "pincode updates on a 1M-row table: per-row vs JDBC batch vs unnest vs COPY";
    }

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int users = 1_000_000;
        boolean perRow100k = false;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--users")) {
                users = Integer.parseInt(args[++k]);
            } else if (args[k].equals("--per-row-100k")) {
                perRow100k = true;
            }
        }
        Result result = new Result(name());
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
                    "loaded %,d users in %.1f s%n",
                    users,
                    (System.nanoTime() - t0) / 1e9);

            Random random = new Random(7);
            long clock = 1_800_000_000L;
            // Warm-up (not recorded): plans cached, pages in memory.
            PincodeBatches.apply(c, updates(random, users, 1_000, clock++));

            double unnest10k = 0;
            double perRow10k = 0;
            double unnest100k = 0;
            System.out.printf("%-10s %10s %14s%n", "variant", "rows", "rows/s");
            for (int n : SIZES) {
                for (String variant : List.of("per-row", "jdbc-batch", "unnest", "copy")) {
                    if (variant.equals("per-row") && n == 100_000 && !perRow100k) {
                        System.out.printf(
                                "%-10s %10d %14s%n", variant, n, "skipped (--per-row-100k)");
                        continue;
                    }
                    List<PincodeUpdate> batch = updates(random, users, n, clock++);
                    long start = System.nanoTime();
                    switch (variant) {
                        case "per-row" -> perRow(c, batch);
                        case "jdbc-batch" -> jdbcBatch(c, batch);
                        case "unnest" -> PincodeBatches.apply(c, batch);
                        default -> copy(c, batch);
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    double rate = n / s;
                    System.out.printf(Locale.ROOT, "%-10s %10d %14.0f%n", variant, n, rate);
                    result.put(variant.replace('-', '_') + "_" + (n / 1000) + "k_rows_per_s", rate);
                    if (n == 10_000 && variant.equals("unnest")) {
                        unnest10k = rate;
                    } else if (n == 10_000 && variant.equals("per-row")) {
                        perRow10k = rate;
                    } else if (n == 100_000 && variant.equals("unnest")) {
                        unnest100k = rate;
                    }
                }
            }
            result.put("rows_per_s", unnest100k);
            result.put("vs_per_row_10k", unnest10k / perRow10k);
        }
        return result;
    }

    /** n distinct existing users with new pincodes, all newer than anything written before. */
    static List<PincodeUpdate> updates(Random random, int users, int n, long second) {
        List<PincodeUpdate> out = new ArrayList<>(n);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
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

    static void copy(Connection c, List<PincodeUpdate> batch) throws Exception {
        c.setAutoCommit(false);
        try {
            BenchDb.exec(c, PincodeSql.NO_JIT); // same footing as the unnest variant
            BenchDb.exec(c, PincodeSql.COPY_STAGE);
            StringBuilder csv = new StringBuilder(batch.size() * 48);
            for (PincodeUpdate u : PincodeBatches.lastWriterWins(batch)) {
                csv.append('"')
                        .append(u.email().replace("\"", "\"\""))
                        .append("\",")
                        .append(u.pincode())
                        .append(',')
                        .append(u.occurredAt())
                        .append('\n');
            }
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(PincodeSql.COPY_IN, new StringReader(csv.toString()));
            BenchDb.exec(c, "ANALYZE pincode_stage");
            BenchDb.exec(c, PincodeSql.UPDATE_FROM_STAGE);
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }
}
