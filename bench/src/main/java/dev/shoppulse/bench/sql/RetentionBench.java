package dev.shoppulse.bench.sql;

import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.jobs.logs.LogMaintenance;
import dev.shoppulse.sql.LogPartitions;
import dev.shoppulse.sql.LogSql;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * {@code ./shoppulse bench retention}: 30 days × 1 M log rows, twice: in the day-partitioned {@code
 * app_logs} and in a plain table with the same columns and indexes. Retiring the oldest day: the
 * production maintenance run ({@link LogPartitions#run}: detach + drop of the retired day; the days
 * ahead exist already, as the maintenance pre-creates them) vs {@code DELETE ... WHERE logged_at <
 * boundary} and the {@code VACUUM} that must follow it, same run. Throughout, a writer inserts
 * batches into today's rows (of the table being maintained) on a fixed schedule; its latency is
 * measured from each insert's scheduled start, so an insert queued behind a lock also delays, and
 * counts, the ones due after it.
 *
 * <p>Loaded with COPY into index-less tables, indexed afterwards (the migration's index
 * definitions), then VACUUM ANALYZE and CHECKPOINT, so that neither timed step pays for the load.
 * Flags: {@code --rows-per-day N} (default 1 000 000), {@code --days N} (30), {@code --retire N}
 * (maintenance runs, one day each, default 3), {@code --writer-rows N} (rows per insert, 50),
 * {@code --writer-every-ms N} (20).
 */
public final class RetentionBench implements Benchmark {
    /** Writer latencies are counted from the start of a maintenance step to this long after it. */
    private static final Duration AFTERMATH = Duration.ofSeconds(1);

    /** One insert of the writer: when it was due, when it ended. */
    record Insert(long dueNanos, long endNanos) {
        double latencyMs() {
            return (endNanos - dueNanos) / 1e6;
        }
    }

    /** Inserts today's rows into one table on a fixed schedule until stopped. */
    static final class Writer implements AutoCloseable {
        final List<Insert> inserts = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> done;

        Writer(BenchDb db, String table, Instant today, int rows, long everyMs) {
            done =
                    thread.submit(
                            () -> {
                                write(db, table, today, rows, everyMs);
                                return null;
                            });
        }

        private void write(BenchDb db, String table, Instant today, int rows, long everyMs)
                throws Exception {
            StringBuilder sql =
                    new StringBuilder(
                            "INSERT INTO "
                                    + table
                                    + " (logged_at, service, level, message, source_partition,"
                                    + " source_offset) VALUES ");
            for (int k = 0; k < rows; k++) {
                sql.append(k == 0 ? "" : ",").append("(?, 'svc-w', 'INFO', ?, 1, ?)");
            }
            sql.append(" ON CONFLICT DO NOTHING");
            long offset = 0;
            try (Connection c = db.connect();
                    PreparedStatement ps = c.prepareStatement(sql.toString())) {
                long due = System.nanoTime();
                while (!stop.get()) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    Timestamp at = Timestamp.from(today.plusMillis(offset % 86_400_000L));
                    for (int k = 0; k < rows; k++) {
                        ps.setTimestamp(3 * k + 1, at);
                        ps.setString(3 * k + 2, "request " + offset + " served");
                        ps.setLong(3 * k + 3, offset++);
                    }
                    ps.executeUpdate();
                    synchronized (inserts) {
                        inserts.add(new Insert(due, System.nanoTime()));
                    }
                    due += everyMs * 1_000_000L;
                }
            }
        }

        /** Latencies of the inserts that were due or running within [from, to]. */
        double[] during(long fromNanos, long toNanos) {
            synchronized (inserts) {
                return inserts.stream()
                        .filter(i -> i.endNanos() >= fromNanos && i.dueNanos() <= toNanos)
                        .mapToDouble(Insert::latencyMs)
                        .sorted()
                        .toArray();
            }
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            done.get();
            thread.shutdown();
        }
    }

    static double[] concat(double[] a, double[] b) {
        return Arrays.stream(new double[][] {a, b})
                .flatMapToDouble(Arrays::stream)
                .sorted()
                .toArray();
    }

    /** Waits (up to 2 min) until no other session's snapshot predates now; the nanos waited. */
    static long awaitHorizon(Connection c) throws Exception {
        long start = System.nanoTime();
        long xid;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT txid_current()")) {
            rs.next();
            xid = rs.getLong(1);
        }
        while (System.nanoTime() - start < Duration.ofMinutes(2).toNanos()) {
            try (Statement st = c.createStatement();
                    ResultSet rs =
                            st.executeQuery(
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                            + " current_database() AND pid <> pg_backend_pid()"
                                            + " AND backend_xmin IS NOT NULL AND"
                                            + " age(backend_xmin) >= age("
                                            + xid
                                            + "::text::xid)")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        return System.nanoTime() - start;
    }

    static long deadRows(Connection c) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid ="
                                        + " 'app_logs_flat'::regclass")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int k = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
    }

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int perDay = 1_000_000;
        int days = 30;
        int retire = 3;
        int writerRows = 50;
        long writerEveryMs = 20;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--rows-per-day" -> perDay = Integer.parseInt(args[++k]);
                case "--days" -> days = Integer.parseInt(args[++k]);
                case "--retire" -> retire = Integer.parseInt(args[++k]);
                case "--writer-rows" -> writerRows = Integer.parseInt(args[++k]);
                case "--writer-every-ms" -> writerEveryMs = Long.parseLong(args[++k]);
                default -> {}
            }
        }
        Result result = new Result();
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        Instant today =
                LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        // Keeps exactly `days` days (today included): the oldest is retired tomorrow.
        LogPartitions partitions = new LogPartitions(days - 1, 0, LogMaintenance.LOCK_TIMEOUT_MS);
        try (BenchDb db = new BenchDb(config, "retention");
                Connection c = db.connect()) {
            long t0 = System.nanoTime();
            load(db, c, now, perDay, days, retire);
            long partBefore = partitionedBytes(c);
            long flatBefore = BenchDb.tableBytes(c, "app_logs_flat");
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d rows x2 (%d days x %,d) in %.1f s; partitioned %,d bytes, plain"
                            + " %,d bytes%n",
                    (long) perDay * days,
                    days,
                    perDay,
                    (System.nanoTime() - t0) / 1e9,
                    partBefore,
                    flatBefore);

            // Ours: the production maintenance run, one retired day per run.
            double[] dropMs = new double[retire];
            List<double[]> ourWriter = new ArrayList<>();
            double idleP99;
            try (Writer w = new Writer(db, "app_logs", today, writerRows, writerEveryMs)) {
                Thread.sleep(3000); // warm-up: connection, plan, JIT
                long idleFrom = System.nanoTime();
                Thread.sleep(3000);
                idleP99 = percentile(w.during(idleFrom, System.nanoTime()), 0.99);
                for (int d = 1; d <= retire; d++) {
                    long start = System.nanoTime();
                    LogPartitions.Report r = partitions.run(c, now.plus(Duration.ofDays(d)));
                    long end = System.nanoTime();
                    dropMs[d - 1] = (end - start) / 1e6;
                    System.out.printf(
                            Locale.ROOT,
                            "maintenance run %d: %.1f ms (%d dropped, %d created)%n",
                            d,
                            dropMs[d - 1],
                            r.dropped(),
                            r.created());
                    if (r.dropped() != 1 || r.created() != 0) {
                        throw new IllegalStateException("expected one retired day, got " + r);
                    }
                    Thread.sleep(AFTERMATH.toMillis());
                    double[] during = w.during(start, end + AFTERMATH.toNanos());
                    System.out.printf(
                            Locale.ROOT,
                            "  writer: %d inserts, p50 %.1f, max %.1f ms%n",
                            during.length,
                            percentile(during, 0.5),
                            percentile(during, 1.0));
                    ourWriter.add(during);
                }
            }
            double[] ours = ourWriter.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
            double dropMedian = Arrays.stream(dropMs).sorted().toArray()[retire / 2];
            long partAfter = partitionedBytes(c);

            // Baseline: DELETE the oldest day from the plain table, then VACUUM it.
            Instant boundary = LogPartitions.boundary(now.plus(Duration.ofDays(1)), days - 1);
            double deleteMs;
            double vacuumMs;
            long deleted;
            double[] theirs;
            try (Writer w = new Writer(db, "app_logs_flat", today, writerRows, writerEveryMs)) {
                Thread.sleep(3000);
                long start = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    deleted =
                            st.executeUpdate(
                                    "DELETE FROM app_logs_flat WHERE logged_at < '"
                                            + boundary
                                            + "'");
                }
                long mid = System.nanoTime();
                // VACUUM can only remove the rows once no snapshot in the database still sees
                // them; on a shared server another session's long query would turn it into a
                // scan that removes nothing. Waiting for that is not part of the VACUUM's time.
                long waited = awaitHorizon(c);
                long vacuumStart = System.nanoTime();
                // The deleted rows still occupy the heap and indexes until VACUUM; that work is
                // part of removing them, a partition drop needs none.
                BenchDb.exec(c, "VACUUM app_logs_flat");
                long end = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "  (waited %.1f s for older snapshots before VACUUM; dead rows left after"
                                + " it: %,d)%n",
                        waited / 1e9,
                        deadRows(c));
                deleteMs = (mid - start) / 1e6;
                vacuumMs = (end - vacuumStart) / 1e6;
                Thread.sleep(AFTERMATH.toMillis());
                theirs =
                        concat(
                                w.during(start, mid),
                                w.during(vacuumStart, end + AFTERMATH.toNanos()));
            }
            long flatAfter = BenchDb.tableBytes(c, "app_logs_flat");

            System.out.printf(
                    Locale.ROOT,
                    "ours:   maintenance run (detach + drop of a day) median %.1f"
                            + " ms of %d; writer during it: %d inserts, p50 %.1f / p99 %.1f / max"
                            + " %.1f ms (idle p99 %.1f ms); bytes %,d -> %,d%n",
                    dropMedian,
                    retire,
                    ours.length,
                    percentile(ours, 0.5),
                    percentile(ours, 0.99),
                    percentile(ours, 1.0),
                    idleP99,
                    partBefore,
                    partAfter);
            System.out.printf(
                    Locale.ROOT,
                    "DELETE: %.1f ms (%,d rows) + VACUUM %.1f ms; writer during it: %d inserts,"
                            + " p50 %.1f / p99 %.1f / max %.1f ms; bytes %,d -> %,d (the file does"
                            + " not shrink)%n",
                    deleteMs,
                    deleted,
                    vacuumMs,
                    theirs.length,
                    percentile(theirs, 0.5),
                    percentile(theirs, 0.99),
                    percentile(theirs, 1.0),
                    flatBefore,
                    flatAfter);
            result.put("vs_delete_and_vacuum", (deleteMs + vacuumMs) / dropMedian);
            result.put("writer_p99_ms", percentile(ours, 0.99));
            result.put("rows_per_day", perDay);
            result.put("vs_delete", deleteMs / dropMedian);
            result.put("drop_ms", dropMedian);
            result.put("delete_ms", deleteMs);
            result.put("vacuum_ms", vacuumMs);
            result.put("writer_max_ms", percentile(ours, 1.0));
            result.put("writer_idle_p99_ms", idleP99);
            result.put("delete_writer_p99_ms", percentile(theirs, 0.99));
            result.put("days", days);
            result.put("table_bytes_after", partAfter);
            result.put("plain_table_bytes_after", flatAfter);
        }
        return result;
    }

    /**
     * Creates the window's day partitions and a plain twin, fills both with COPY (two connections
     * at once) before any index exists, then builds the indexes the migrations define.
     */
    private static void load(
            BenchDb db, Connection c, Instant now, int perDay, int days, int retire)
            throws Exception {
        // The window plus the days the timed runs move into: those runs then only retire a day
        // (what DELETE is compared with); creating a day is the same work either way.
        new LogPartitions(days - 1, retire, LogMaintenance.LOCK_TIMEOUT_MS).run(c, now);
        BenchDb.exec(c, "CREATE TABLE app_logs_flat (LIKE app_logs INCLUDING DEFAULTS)");
        BenchDb.exec(c, "DROP INDEX app_logs_service_time");
        BenchDb.exec(c, "DROP INDEX app_logs_source");
        LocalDate last = LocalDate.ofInstant(now, ZoneOffset.UTC);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (boolean flat : new boolean[] {false, true}) {
                loads.add(
                        pool.submit(
                                () -> {
                                    try (Connection lc = db.connect()) {
                                        for (int d = 0; d < days; d++) {
                                            LocalDate day = last.minusDays(d);
                                            copyDay(
                                                    lc,
                                                    flat ? "app_logs_flat" : LogSql.partition(day),
                                                    day,
                                                    perDay);
                                        }
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : loads) {
                f.get();
            }
            // The migrations' indexes: on app_logs they are created on every partition.
            List<Future<?>> indexes = new ArrayList<>();
            for (String ddl :
                    List.of(
                            "CREATE INDEX app_logs_service_time ON app_logs (service, logged_at);"
                                    + " CREATE UNIQUE INDEX app_logs_source ON app_logs"
                                    + " (logged_at, source_partition, source_offset)",
                            "CREATE INDEX ON app_logs_flat (service, logged_at);"
                                    + " CREATE UNIQUE INDEX ON app_logs_flat"
                                    + " (logged_at, source_partition, source_offset)")) {
                indexes.add(
                        pool.submit(
                                () -> {
                                    try (Connection ic = db.connect()) {
                                        BenchDb.exec(ic, ddl);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : indexes) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        BenchDb.exec(c, "VACUUM ANALYZE app_logs");
        BenchDb.exec(c, "VACUUM ANALYZE app_logs_flat");
        BenchDb.exec(c, "CHECKPOINT");
    }

    /** One day of rows, spread evenly over the day, streamed as CSV into COPY. */
    private static void copyDay(Connection c, String table, LocalDate day, int perDay)
            throws Exception {
        long dayStartMs = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long base = day.toEpochDay() * (long) perDay;
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "COPY "
                                + table
                                + " (logged_at, service, level, message, source_partition,"
                                + " source_offset) FROM STDIN WITH (FORMAT csv)",
                        new DayRows(dayStartMs, base, perDay));
    }

    /** The CSV rows of one day, generated as they are read. */
    static final class DayRows extends InputStream {
        private final long dayStartMs;
        private final long base;
        private final int rows;
        private int next;
        private byte[] chunk = new byte[0];
        private int pos;

        DayRows(long dayStartMs, long base, int rows) {
            this.dayStartMs = dayStartMs;
            this.base = base;
            this.rows = rows;
        }

        private boolean fill() {
            if (next >= rows) {
                return false;
            }
            StringBuilder sb = new StringBuilder(64 * 1024 + 256);
            while (next < rows && sb.length() < 64 * 1024) {
                long at = dayStartMs + (long) next * 86_400_000L / rows;
                long g = base + next;
                sb.append(Instant.ofEpochMilli(at))
                        .append(",svc-")
                        .append(g % 8)
                        .append(",INFO,request ")
                        .append(g)
                        .append(" served in ")
                        .append(g % 500)
                        .append(" ms,0,")
                        .append(g)
                        .append('\n');
                next++;
            }
            chunk = sb.toString().getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos >= chunk.length && !fill()) {
                return -1;
            }
            return chunk[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= chunk.length && !fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
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
