package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.jobs.flink.RawRecord;

/** A profile update with the Kafka position it was read from, so a rejection can cite it. */
public record SourcedProfileUpdate(ProfileUpdated event, String topic, int partition, long offset) {

    public static SourcedProfileUpdate of(ProfileUpdated event, RawRecord raw) {
        return new SourcedProfileUpdate(event, raw.topic(), raw.partition(), raw.offset());
    }

    public String userId() {
        return event.userId();
    }
}
