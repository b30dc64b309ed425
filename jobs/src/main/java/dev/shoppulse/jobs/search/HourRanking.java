package dev.shoppulse.jobs.search;

import java.util.Arrays;
import java.util.Objects;

/**
 * One hour's top products as the merge step emits them, before names are attached. Arrays (not
 * lists) keep it a Flink POJO without Kryo.
 *
 * @param windowStart start of the hour, epoch ms
 * @param windowEnd end of the hour (exclusive), epoch ms
 * @param provisional true while the hour is open
 * @param productIds rank 1 first
 * @param counts the count of each product, same order
 */
public record HourRanking(
        long windowStart, long windowEnd, boolean provisional, String[] productIds, long[] counts) {

    public HourRanking {
        Objects.requireNonNull(productIds, "productIds");
        Objects.requireNonNull(counts, "counts");
        if (productIds.length != counts.length) {
            throw new IllegalArgumentException("productIds and counts differ in length");
        }
    }

    public int size() {
        return productIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HourRanking r
                && windowStart == r.windowStart
                && windowEnd == r.windowEnd
                && provisional == r.provisional
                && Arrays.equals(productIds, r.productIds)
                && Arrays.equals(counts, r.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, windowEnd, provisional)
                + 31 * Arrays.hashCode(productIds)
                + 17 * Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("HourRanking[" + windowStart);
        b.append(provisional ? " provisional" : " final");
        for (int i = 0; i < productIds.length; i++) {
            b.append(' ').append(productIds[i]).append('=').append(counts[i]);
        }
        return b.append(']').toString();
    }
}
