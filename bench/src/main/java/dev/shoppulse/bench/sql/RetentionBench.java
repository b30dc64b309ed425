package dev.shoppulse.bench.sql;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.sql.LogPartitions;
import dev.shoppulse.sql.LogSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * {@code ./shoppulse bench retention}: 30 days of log rows, twice: in the day-partitioned {@code
 * app_logs} and in a plain table with the same indexes plus one on logged_at. Retiring the oldest
 * day: the maintenance run (detach + drop of one partition) vs {@code DELETE ... WHERE logged_at <
 * boundary}, same run. Flag: {@code --rows-per-day N} (default 200 000).
 */
public final class RetentionBench implements Benchmark {
    private static final int DAYS = 30;

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public String description() {
        return "30 days of logs: drop the oldest day partition vs DELETE";
    }

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int perDay = 200_000;
        for (int k = 0; k < args.length; k++) {
            if (args[k].equals("--rows-per-day")) {
                perDay = Integer.parseInt(args[++k]);
            }
        }
        Result result = new Result(name());
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        LogPartitions partitions = new LogPartitions(DAYS - 1, 0, 5000);
        try (BenchDb db = new BenchDb(config, "retention");
                Connection c = db.connect()) {
            partitions.run(c, now);
            BenchDb.exec(c, "CREATE TABLE app_logs_flat (LIKE app_logs INCLUDING DEFAULTS)");
            BenchDb.exec(c, "CREATE INDEX ON app_logs_flat (service, logged_at)");
            BenchDb.exec(c, "CREATE INDEX ON app_logs_flat (logged_at)");
            long t0 = System.nanoTime();
            String rows =
                    " SELECT timestamptz '2026-11-27 23:59:59+00' - g * interval '"
                            + (86_400.0 * DAYS / (perDay * (long) DAYS))
                            + " seconds', 'svc-' || (g % 8), 'INFO',"
                            + " 'request ' || g || ' served in ' || (g % 500) || ' ms'"
                            + " FROM generate_series(0, "
                            + ((long) perDay * DAYS - 1)
                            + ") g";
            BenchDb.exec(c, "INSERT INTO app_logs" + rows);
            BenchDb.exec(c, "INSERT INTO app_logs_flat" + rows);
            BenchDb.exec(c, "VACUUM ANALYZE app_logs");
            BenchDb.exec(c, "VACUUM ANALYZE app_logs_flat");
            long partBefore = partitionedBytes(c);
            long flatBefore = BenchDb.tableBytes(c, "app_logs_flat");
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d rows x2 in %.1f s; partitioned %,d bytes, plain %,d bytes%n",
                    (long) perDay * DAYS,
                    (System.nanoTime() - t0) / 1e9,
                    partBefore,
                    flatBefore);

            Instant tomorrow = now.plus(Duration.ofDays(1));
            Instant boundary = LogPartitions.boundary(tomorrow, DAYS - 1);
            String oldest =
                    LogSql.partition(LocalDate.ofInstant(boundary, ZoneOffset.UTC).minusDays(1));
            // What the maintenance run does for a retired day (it also pre-creates tomorrow,
            // which is not part of removing a day, so it is not timed).
            long start = System.nanoTime();
            BenchDb.exec(c, "SET lock_timeout = 5000");
            BenchDb.exec(c, LogSql.detach(oldest));
            BenchDb.exec(c, LogSql.drop(oldest));
            double dropMs = (System.nanoTime() - start) / 1e6;
            LogPartitions.Report report = partitions.run(c, tomorrow);

            start = System.nanoTime();
            long deleted;
            try (Statement st = c.createStatement()) {
                deleted =
                        st.executeUpdate(
                                "DELETE FROM app_logs_flat WHERE logged_at < '" + boundary + "'");
            }
            double deleteMs = (System.nanoTime() - start) / 1e6;
            // The deleted rows still occupy the heap and indexes until VACUUM; that work is part
            // of removing them, partition drop needs none.
            start = System.nanoTime();
            BenchDb.exec(c, "VACUUM app_logs_flat");
            double vacuumMs = (System.nanoTime() - start) / 1e6;

            long partAfter = partitionedBytes(c);
            long flatAfter = BenchDb.tableBytes(c, "app_logs_flat");
            System.out.printf(
                    Locale.ROOT,
                    "partition detach+drop of %s: %.1f ms (then maintenance: %d dropped, %d"
                            + " created); bytes %,d -> %,d%n",
                    oldest,
                    dropMs,
                    report.dropped(),
                    report.created(),
                    partBefore,
                    partAfter);
            System.out.printf(
                    Locale.ROOT,
                    "DELETE:         %.1f ms (%,d rows); bytes %,d -> %,d (dead rows stay until"
                            + " VACUUM, and the file does not shrink)%n",
                    deleteMs,
                    deleted,
                    flatBefore,
                    flatAfter);
            System.out.printf(Locale.ROOT, "VACUUM after DELETE: %.1f ms%n", vacuumMs);
            result.put("vs_delete", deleteMs / dropMs);
            result.put("vs_delete_and_vacuum", (deleteMs + vacuumMs) / dropMs);
            result.put("table_bytes_after", partAfter);
            result.put("drop_ms", dropMs);
            result.put("delete_ms", deleteMs);
            result.put("plain_table_bytes_after", flatAfter);
        }
        return result;
    }

    static long partitionedBytes(Connection c) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)"
                                        + " FROM pg_inherits WHERE inhparent ="
                                        + " 'app_logs'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
