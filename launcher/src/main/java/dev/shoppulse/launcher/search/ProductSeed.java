package dev.shoppulse.launcher.search;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * Fills {@code categories} and {@code products} with a generated catalogue (product {@code p<k>} is
 * the k-th most popular under {@link Zipf}), for the local run and the benchmark.
 */
public final class ProductSeed {
    private ProductSeed() {}

    static final String[] CATEGORIES = {
        "Shoes", "Books", "Kitchen", "Garden", "Toys", "Electronics", "Sports", "Beauty"
    };
    private static final String[] ADJECTIVES = {
        "Red",
        "Classic",
        "Compact",
        "Organic",
        "Smart",
        "Vintage",
        "Trail",
        "Cosy",
        "Pro",
        "Mini",
        "Bamboo",
        "Silver",
        "Wireless",
        "Linen",
        "Summer",
        "Urban"
    };
    private static final String[] NOUNS = {
        "Sneaker", "Novel", "Kettle", "Trowel", "Puzzle", "Headphones", "Yoga Mat", "Serum",
        "Backpack", "Lamp", "Mug", "Jacket", "Blender", "Notebook", "Bottle", "Speaker"
    };

    public static String productId(int rank) {
        return "p" + rank;
    }

    public static String name(int rank) {
        return ADJECTIVES[(rank * 7) % ADJECTIVES.length]
                + " "
                + NOUNS[(rank * 13 / 3) % NOUNS.length]
                + " #"
                + rank;
    }

    /** Replaces the catalogue with {@code n} products; returns how many were written. */
    public static long seed(Connection c, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE products, categories CASCADE");
        }
        StringBuilder cats = new StringBuilder();
        for (int i = 0; i < CATEGORIES.length; i++) {
            cats.append(i + 1).append('\t').append(CATEGORIES[i]).append('\n');
        }
        StringBuilder prods = new StringBuilder();
        for (int k = 1; k <= n; k++) {
            prods.append(productId(k))
                    .append('\t')
                    .append(name(k))
                    .append('\t')
                    .append(1 + k % CATEGORIES.length)
                    .append('\n');
        }
        try {
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY categories FROM STDIN", new StringReader(cats.toString()));
            return copy.copyIn("COPY products FROM STDIN", new StringReader(prods.toString()));
        } catch (java.io.IOException e) {
            throw new SQLException("could not copy the catalogue", e);
        }
    }
}
