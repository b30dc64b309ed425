package dev.shoppulse.sql.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample report, sales per day and product over PostgreSQL {@code sales}: the per-day shard
 * query the job runs, the whole-range query (the single-shard baseline and the tests' oracle), and
 * a deterministic seeder sized by rows per day.
 */
public final class SalesReport {
    private SalesReport() {}

    public static final String HEADER = "day,product,orders,units,revenue_cents";

    static final String SHARD =
            "SELECT sold_on, product, count(DISTINCT order_id), sum(quantity), sum(amount_cents)"
                    + " FROM sales WHERE sold_on = ? GROUP BY sold_on, product ORDER BY product";

    static final String RANGE =
            "SELECT sold_on, product, count(DISTINCT order_id), sum(quantity), sum(amount_cents)"
                    + " FROM sales WHERE sold_on BETWEEN ? AND ?"
                    + " GROUP BY sold_on, product ORDER BY sold_on, product";

    /** One day's CSV lines (no header), products in order. */
    public static List<String> shard(Connection c, LocalDate day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SHARD)) {
            ps.setObject(1, day);
            return lines(ps);
        }
    }

    /** The whole range's CSV lines in one query, day then product order. */
    public static List<String> range(Connection c, LocalDate from, LocalDate to)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RANGE)) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            return lines(ps);
        }
    }

    /** The complete file content for a range: header plus every line, newline-terminated. */
    public static String csv(Connection c, LocalDate from, LocalDate to) throws SQLException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        range(c, from, to).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    private static List<String> lines(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(
                        rs.getObject(1, LocalDate.class)
                                + ","
                                + Csv.cell(rs.getString(2))
                                + ","
                                + rs.getLong(3)
                                + ","
                                + rs.getLong(4)
                                + ","
                                + rs.getLong(5));
            }
        }
        return out;
    }

    /**
     * Seeds {@code rowsPerDay} order lines for every day from {@code from} for {@code days} days
     * (about three lines per order, 40 products), deterministically, skipping lines that exist.
     */
    public static long seed(Connection c, LocalDate from, int days, int rowsPerDay)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO sales (order_id, line_no, sold_on, product, quantity,"
                                + " amount_cents)"
                                + " SELECT 'o-' || to_char(d, 'YYYYMMDD') || '-' || (i / 3),"
                                + " i % 3, d::date,"
                                + " 'p-' || lpad(((i * 7919 + extract(doy FROM d)::int) % 40)::text,"
                                + " 2, '0'),"
                                + " 1 + (i * 31) % 5, 100 + (i * 104729) % 9900"
                                + " FROM generate_series(?::date, ?::date, interval '1 day') d,"
                                + " generate_series(0, ? - 1) i"
                                + " ON CONFLICT DO NOTHING")) {
            ps.setObject(1, from);
            ps.setObject(2, from.plusDays(days - 1L));
            ps.setInt(3, rowsPerDay);
            return ps.executeUpdate();
        }
    }
}
