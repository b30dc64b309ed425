package dev.shoppulse.jobs.pincodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Dead letters of the batch writer still cite the update's Kafka position. */
class PincodeDeadLettersTest {

    @Test
    void anUpdateTheDatabaseRejectsCitesItsPosition() {
        ShopPulseConfig config = ShopPulseConfig.defaults();
        PincodeUpdate u = new PincodeUpdate("a@x.in", "560001", Instant.EPOCH);
        PincodeBatch batch = PincodeBatch.of(java.util.List.of(new SourcedPincodeUpdate(u, 1, 7)));
        DeadLetter d =
                PincodeUpdateJob.rejections(config)
                        .deadLetter(batch.sourced().get(0), "why", "update-users");
        assertThat(d.position())
                .isEqualTo(config.topic(PincodesCapability.PINCODE_UPDATES) + "/1@7");
    }
}
