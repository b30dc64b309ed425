package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.jobs.flink.RawRecord;

/**
 * A pincode update with the Kafka position it was read from, so the writer's rejection can cite it;
 * partition and offset are {@code -1} when the position is unknown (an update restored from a
 * savepoint taken before positions were kept).
 */
public record SourcedPincodeUpdate(PincodeUpdate update, int partition, long offset) {

    public static SourcedPincodeUpdate of(PincodeUpdate update, RawRecord raw) {
        return new SourcedPincodeUpdate(update, raw.partition(), raw.offset());
    }

    public String email() {
        return update.email();
    }
}
