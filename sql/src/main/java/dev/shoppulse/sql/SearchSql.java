package dev.shoppulse.sql;

/**
 * The queries around searches: the product lookup the top-searches job runs, and the old way of
 * ranking (the heavy query and its materialized view), kept for comparison.
 */
public final class SearchSql {
    private SearchSql() {}

    /** Names and categories of a set of products. Parameter: text[] of product ids. */
    public static final String PRODUCT_NAMES =
            "SELECT p.product_id, p.name, c.name AS category FROM products p"
                    + " LEFT JOIN categories c ON c.category_id = p.category_id"
                    + " WHERE p.product_id = ANY (?)";

    /**
     * The old way: rank on every page load. Joins every search of the period with its product and
     * category, groups and sorts. Parameters: from (inclusive), to (exclusive) timestamps.
     */
    public static final String HEAVY_TOP10 =
            "SELECT p.product_id, p.name, c.name AS category, count(*) AS searches"
                    + " FROM searches s"
                    + " JOIN products p ON p.product_id = s.product_id"
                    + " JOIN categories c ON c.category_id = p.category_id"
                    + " WHERE s.occurred_at >= ? AND s.occurred_at < ?"
                    + " GROUP BY p.product_id, p.name, c.name"
                    + " ORDER BY searches DESC, p.product_id"
                    + " LIMIT 10";

    /** The old way, cached: one hour from the materialized view. Parameter: hour start. */
    public static final String VIEW_TOP10 =
            "SELECT rank, product_id, name, category, searches FROM top_searches_hourly"
                    + " WHERE hour_start = ? ORDER BY rank";

    /** Run hourly (e.g. by pg_cron); readers keep reading the old rows while it runs. */
    public static final String REFRESH_VIEW =
            "REFRESH MATERIALIZED VIEW CONCURRENTLY top_searches_hourly";
}
