package dev.shoppulse.jobs.search;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.sql.SearchSql;
import java.io.Serializable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Product names and categories from PostgreSQL {@code products}, looked up for the ten products of
 * a ranking and cached for {@code search.product-cache-ttl}. A ranking is worth publishing without
 * names, so a database outage degrades to null names instead of failing the job.
 */
public final class ProductCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProductCatalog.class);

    /**
     * Where the catalogue lives; serializable so a sink can carry it, without the password, which
     * is read from the environment when the connection opens.
     */
    public record Source(PostgresSettings postgres, Duration cacheTtl) implements Serializable {
        public static Source from(ShopPulseConfig c) {
            return new Source(
                    PostgresSettings.from(c),
                    c.getDuration(SearchCapability.SEARCH_PRODUCT_CACHE_TTL));
        }
    }

    /** A product's name and category; either may be null when unknown. */
    public record Product(String name, String category) {}

    private record Cached(Product product, long until) {}

    private static final Product UNKNOWN = new Product(null, null);

    private final Source source;
    private final Map<String, Cached> cache = new HashMap<>();
    private Connection connection;

    public ProductCatalog(Source source) {
        this.source = source;
    }

    public Map<String, Product> lookup(Collection<String> ids) {
        long now = System.currentTimeMillis();
        Map<String, Product> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Cached c = cache.get(id);
            if (c != null && c.until() > now) {
                out.put(id, c.product());
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            Map<String, Product> found = query(missing);
            if (found != null) {
                long until = now + source.cacheTtl().toMillis();
                for (String id : missing) {
                    Product p = found.getOrDefault(id, UNKNOWN);
                    cache.put(id, new Cached(p, until));
                    out.put(id, p);
                }
            }
            if (cache.size() > 100_000) {
                cache.clear();
            }
        }
        return out;
    }

    private Map<String, Product> query(List<String> ids) {
        try {
            if (connection == null || connection.isClosed()) {
                connection =
                        DriverManager.getConnection(
                                source.postgres().urlWithSchema(),
                                source.postgres().user(),
                                PostgresSettings.passwordFromEnvironment());
            }
            try (PreparedStatement ps = connection.prepareStatement(SearchSql.PRODUCT_NAMES)) {
                Array arr = connection.createArrayOf("text", ids.toArray());
                ps.setArray(1, arr);
                Map<String, Product> found = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(
                                rs.getString("product_id"),
                                new Product(rs.getString("name"), rs.getString("category")));
                    }
                }
                return found;
            }
        } catch (SQLException e) {
            LOG.warn("product lookup failed ({}); publishing without names", e.getMessage());
            close();
            return null;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing a broken connection: nothing to keep.
            }
            connection = null;
        }
    }
}
