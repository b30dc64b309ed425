package dev.shoppulse.jobs.metering;

import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.jobs.flink.RawRecord;

/** An API request event with the Kafka position it was read from, so a rejection can cite it. */
public record SourcedApiRequest(ApiRequestEvent event, String topic, int partition, long offset) {

    public static SourcedApiRequest of(ApiRequestEvent event, RawRecord raw) {
        return new SourcedApiRequest(event, raw.topic(), raw.partition(), raw.offset());
    }
}
