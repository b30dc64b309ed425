package dev.shoppulse.common.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The ranking of the most searched products of one hour, as the job publishes it to Redis and the
 * API serves it.
 *
 * @param windowStart start of the hour (inclusive)
 * @param windowEnd end of the hour (exclusive)
 * @param provisional true while the hour is still open and the ranking may change
 * @param generatedAt when this content was first computed; a replay writing the same entries keeps
 *     the earlier value
 * @param entries rank 1 first; at most {@code search.top-n}
 */
public record TopSearches(
        Instant windowStart,
        Instant windowEnd,
        boolean provisional,
        Instant generatedAt,
        List<Entry> entries) {

    public TopSearches {
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(generatedAt, "generatedAt");
        entries = List.copyOf(entries);
    }

    /**
     * One ranked product.
     *
     * @param rank 1-based; ties in count are broken by productId, ascending
     * @param productId the product
     * @param name its name from the products table, or null when unknown
     * @param category its category name, or null when unknown
     * @param count searches resolved to it in the hour
     */
    public record Entry(int rank, String productId, String name, String category, long count) {
        public Entry {
            Objects.requireNonNull(productId, "productId");
        }
    }
}
