package dev.shoppulse.jobs.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.serde.DeadLetter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Dead letters after the parse step still cite the request's Kafka position. */
class MeteringDeadLettersTest {

    @Test
    void aRequestRejectedAfterParsingCitesItsPosition() {
        ShopPulseConfig config = ShopPulseConfig.defaults();
        ApiRequestEvent e =
                new ApiRequestEvent(
                        "r1",
                        "c1",
                        "free",
                        "GET",
                        "/v1/quotes",
                        200,
                        "allowed",
                        100,
                        Instant.EPOCH);
        DeadLetter d =
                RequestMeteringJob.rejections(config)
                        .deadLetter(
                                new SourcedApiRequest(e, "api-requests", 1, 7),
                                "why",
                                "event-time");
        assertThat(d.position()).isEqualTo(config.topic(RateLimitCapability.API_REQUESTS) + "/1@7");
        assertThat(d.stage()).isEqualTo("event-time");
    }
}
