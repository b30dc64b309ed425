package dev.shoppulse.jobs.search;

import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.jobs.flink.RawRecord;

/**
 * A search with the Kafka position it was read from, so a rejection (a bad event time, a search too
 * late to count) can cite it; partition and offset are {@code -1} for generated input.
 */
public record SourcedSearchEvent(SearchEvent event, String topic, int partition, long offset) {

    public static SourcedSearchEvent of(SearchEvent event, RawRecord raw) {
        return new SourcedSearchEvent(event, raw.topic(), raw.partition(), raw.offset());
    }

    /** A search that did not come from Kafka (a benchmark's generator). */
    public static SourcedSearchEvent unsourced(SearchEvent event) {
        return new SourcedSearchEvent(event, null, -1, -1);
    }
}
