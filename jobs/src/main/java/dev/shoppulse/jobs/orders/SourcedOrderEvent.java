package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.jobs.flink.RawRecord;

/** An order event with the Kafka position it was read from, so a later rejection can cite it. */
public record SourcedOrderEvent(OrderEvent event, String topic, int partition, long offset) {

    public static SourcedOrderEvent of(OrderEvent event, RawRecord raw) {
        return new SourcedOrderEvent(event, raw.topic(), raw.partition(), raw.offset());
    }

    public String orderId() {
        return event.orderId();
    }
}
