package dev.shoppulse.jobs.search;

import dev.shoppulse.common.events.SearchEvent;
import java.time.Duration;
import java.time.Instant;

/** Shared settings and builders of the search tests. */
final class SearchFixtures {
    private SearchFixtures() {}

    static final long HOUR = Duration.ofHours(1).toMillis();
    static final long MIN = Duration.ofMinutes(1).toMillis();
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    /** 1 h windows, 10 min lateness, provisional every minute, top 3 unless said otherwise. */
    static SearchSettings settings(int topN) {
        return settings(topN, Duration.ofMinutes(1));
    }

    static SearchSettings settings(int topN, Duration provisionalInterval) {
        return new SearchSettings(
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                provisionalInterval,
                topN,
                1024);
    }

    static long at(long offsetMs) {
        return T0.toEpochMilli() + offsetMs;
    }

    static SearchEvent search(String productId, long ts) {
        return new SearchEvent(
                "e-" + productId + "-" + ts + "-" + System.nanoTime(),
                "u-1",
                null,
                "q " + productId,
                productId,
                Instant.ofEpochMilli(ts));
    }

    static ProductHourCount count(String productId, long windowStart, long n) {
        return new ProductHourCount(productId, windowStart, windowStart + HOUR, n);
    }
}
