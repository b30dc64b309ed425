package dev.shoppulse.jobs.search;

/**
 * Searches for one product in one hour: a partial count from the pre-aggregation, or the hour's
 * running total from the window.
 *
 * @param productId the product
 * @param windowStart start of the hour, epoch ms
 * @param windowEnd end of the hour (exclusive), epoch ms
 * @param count searches counted
 */
public record ProductHourCount(String productId, long windowStart, long windowEnd, long count) {}
