package dev.shoppulse.bench.sql;

import dev.shoppulse.api.comments.CommentTree;
import dev.shoppulse.bench.Benchmark;
import dev.shoppulse.bench.Result;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.sql.CommentSql;
import dev.shoppulse.sql.CommentStore;
import java.io.StringReader;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * {@code ./shoppulse bench comments}: 1 M comments over 1 000 posts; p99 of a thread page
 * (materialized path, one index range scan) and of an insert, against the same page read from the
 * adjacency list with a recursive CTE, same table, same run. Flags: {@code --comments N}, {@code
 * --pages N}, {@code --inserts N}.
 */
public final class CommentsBench implements Benchmark {
    private static final int POSTS = 1000;
    private static final int LIMIT = 20;
    private static final int DEPTH = 3;
    private static final int FANOUT = 5;
    private static final int PAGE_ROWS = 2000;

    @Override
    public Result run(ShopPulseConfig config, String[] args) throws Exception {
        int comments = 1_000_000;
        int pages = 500;
        int inserts = 1000;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--comments" -> comments = Integer.parseInt(args[++k]);
                case "--pages" -> pages = Integer.parseInt(args[++k]);
                case "--inserts" -> inserts = Integer.parseInt(args[++k]);
                default -> throw new IllegalArgumentException("unknown flag " + args[k]);
            }
        }
        Result result = new Result();
        try (BenchDb db = new BenchDb(config, "comments");
                Connection c = db.connect()) {
            long t0 = System.nanoTime();
            load(c, comments, new Random(11));
            System.out.printf(
                    Locale.ROOT,
                    "loaded %,d comments on %d posts in %.1f s (%,d bytes)%n",
                    comments,
                    POSTS,
                    (System.nanoTime() - t0) / 1e9,
                    BenchDb.tableBytes(c, "comments"));

            Random random = new Random(5);
            // Warm-up, not recorded.
            measurePages(c, CommentSql.PAGE, 50, random);
            measurePages(c, CommentSql.PAGE_RECURSIVE, 50, random);
            double[] ours = measurePages(c, CommentSql.PAGE, pages, new Random(99));
            double[] cte = measurePages(c, CommentSql.PAGE_RECURSIVE, pages, new Random(99));
            double[] ins = measureInserts(c, inserts, comments, random);
            print("page (path, range scan)", ours);
            print("page (recursive CTE)", cte);
            print("insert", ins);
            result.put("page_p99_ms", pct(ours, 99));
            result.put("insert_p99_ms", pct(ins, 99));
            result.put("vs_recursive_cte", pct(cte, 99) / pct(ours, 99));
            result.put("page_p50_ms", pct(ours, 50));
            result.put("cte_page_p99_ms", pct(cte, 99));
        }
        return result;
    }

    /**
     * Bulk-loads comments with COPY. Each post gets every 1000th id; a fifth of the comments are
     * top level, the rest reply to a random earlier comment of the same post (skewed towards recent
     * ones, as conversations are), which gives deep and wide threads.
     */
    static void load(Connection c, int n, Random random) throws Exception {
        String[] paths = new String[n + 1];
        int[] depths = new int[n + 1];
        long[] roots = new long[n + 1];
        int[] replies = new int[n + 1];
        long[] parents = new long[n + 1];
        List<List<Integer>> byPost = new ArrayList<>();
        for (int p = 0; p < POSTS; p++) {
            byPost.add(new ArrayList<>());
        }
        for (int id = 1; id <= n; id++) {
            List<Integer> mine = byPost.get(id % POSTS);
            if (mine.isEmpty() || random.nextDouble() < 0.2) {
                paths[id] = CommentSql.label(id);
                roots[id] = id;
            } else {
                int pick =
                        mine.size()
                                - 1
                                - (int)
                                        Math.min(
                                                mine.size() - 1,
                                                Math.abs(random.nextGaussian() * 30));
                int parent = mine.get(pick);
                if (depths[parent] >= 31) {
                    parent = (int) roots[parent];
                }
                parents[id] = parent;
                paths[id] = paths[parent] + "." + CommentSql.label(id);
                depths[id] = depths[parent] + 1;
                roots[id] = roots[parent];
                replies[parent]++;
            }
            mine.add(id);
        }
        c.setAutoCommit(false);
        BenchDb.exec(c, "SET session_replication_role = replica"); // no FK trigger per row
        int chunk = 100_000;
        for (int from = 1; from <= n; from += chunk) {
            StringBuilder csv = new StringBuilder(chunk * 120);
            for (int id = from; id < Math.min(n + 1, from + chunk); id++) {
                csv.append(id)
                        .append(",post-")
                        .append(id % POSTS)
                        .append(',')
                        .append(parents[id] == 0 ? "" : Long.toString(parents[id]))
                        .append(',')
                        .append(roots[id])
                        .append(',')
                        .append(paths[id])
                        .append(',')
                        .append(depths[id])
                        .append(",user")
                        .append(id % 5000)
                        .append(",comment number ")
                        .append(id)
                        .append(" with some text to give the row a realistic size,")
                        .append(replies[id])
                        .append('\n');
            }
            c.unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            "COPY comments (comment_id, post_id, parent_id, root_id, path, depth,"
                                    + " author, body, reply_count) FROM STDIN WITH (FORMAT csv)",
                            new StringReader(csv.toString()));
        }
        BenchDb.exec(c, "SET session_replication_role = DEFAULT");
        BenchDb.exec(c, "SELECT setval('comment_ids', " + n + ")");
        c.commit();
        c.setAutoCommit(true);
        BenchDb.exec(c, "VACUUM ANALYZE comments");
    }

    /** Milliseconds per page: a first page or, half the time, the page after it. */
    static double[] measurePages(Connection c, String sql, int n, Random random) throws Exception {
        double[] ms = new double[n];
        for (int k = 0; k < n; k++) {
            String post = "post-" + random.nextInt(POSTS);
            long cursor = Long.MAX_VALUE;
            if (random.nextBoolean()) {
                List<CommentStore.Row> first =
                        CommentStore.page(c, sql, post, cursor, LIMIT, DEPTH, PAGE_ROWS);
                cursor =
                        first.stream()
                                .filter(r -> r.parentId() == null)
                                .mapToLong(CommentStore.Row::id)
                                .min()
                                .orElse(Long.MAX_VALUE);
            }
            long start = System.nanoTime();
            List<CommentStore.Row> rows =
                    CommentStore.page(c, sql, post, cursor, LIMIT, DEPTH, PAGE_ROWS);
            CommentTree.build(rows, DEPTH, FANOUT);
            ms[k] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    static double[] measureInserts(Connection c, int n, int comments, Random random)
            throws Exception {
        double[] ms = new double[n];
        for (int k = 0; k < n; k++) {
            long parent = 1 + random.nextInt(comments);
            boolean top = random.nextDouble() < 0.3;
            String post = "post-" + (parent % POSTS);
            long start = System.nanoTime();
            try {
                CommentStore.insert(
                        c, post, top ? null : parent, "bench", "a new comment " + k, 32);
            } catch (CommentStore.Rejected e) {
                // Too deep: counts as a (rejected) insert all the same.
            }
            ms[k] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static void print(String what, double[] ms) {
        System.out.printf(
                Locale.ROOT,
                "%-26s n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                what,
                ms.length,
                pct(ms, 50),
                pct(ms, 99),
                pct(ms, 100));
    }
}
