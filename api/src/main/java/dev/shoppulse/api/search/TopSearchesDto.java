package dev.shoppulse.api.search;

import dev.shoppulse.common.events.TopSearches;
import java.time.Instant;
import java.util.List;

/** The body of {@code GET /v1/top-searches}. */
public record TopSearchesDto(
        Instant windowStart,
        Instant windowEnd,
        Instant generatedAt,
        boolean provisional,
        List<EntryDto> entries) {

    /** One ranked product. */
    public record EntryDto(int rank, String productId, String name, String category, long count) {}

    static TopSearchesDto of(TopSearches t) {
        return new TopSearchesDto(
                t.windowStart(),
                t.windowEnd(),
                t.generatedAt(),
                t.provisional(),
                t.entries().stream()
                        .map(
                                e ->
                                        new EntryDto(
                                                e.rank(),
                                                e.productId(),
                                                e.name(),
                                                e.category(),
                                                e.count()))
                        .toList());
    }
}
