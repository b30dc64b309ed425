package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dead letters of the coalescer still cite the update's Kafka position. */
class NotificationDeadLettersTest {

    @Test
    void anUpdateRejectedByTheCoalescerCitesItsPosition() {
        ShopPulseConfig config = ShopPulseConfig.defaults();
        ProfileUpdated u =
                new ProfileUpdated("e1", "u1", "u1@example.com", List.of("name"), Instant.EPOCH);
        DeadLetter d =
                NotificationJob.rejections(config, NotificationSettings.from(config))
                        .deadLetter(
                                new SourcedProfileUpdate(u, "profile-updates", 1, 7),
                                "why",
                                "coalesce");
        assertThat(d.position())
                .isEqualTo(config.topic(NotificationsCapability.PROFILE_UPDATES) + "/1@7");
        assertThat(new String(d.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("u1");
    }
}
