package dev.shoppulse.jobs.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.ApiRequestEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The counting and the abuse rule, without Flink. */
class MeterCountTest {

    private static ApiRequestEvent event(int status) {
        return new ApiRequestEvent(
                "r", "c", "t", "POST", "/v1/quotes", status, "allowed", 10, Instant.EPOCH);
    }

    @Test
    void countsRequestsAndOnlyTooManyRequestsAsLimited() {
        CountRequests agg = new CountRequests();
        Counts c = agg.createAccumulator();
        for (int status : new int[] {200, 429, 401, 403, 429, 503}) {
            c = agg.add(event(status), c);
        }
        assertThat(c).isEqualTo(new Counts(6, 2));
        assertThat(agg.merge(c, new Counts(1, 1))).isEqualTo(new Counts(7, 3));
    }

    @Test
    void abuseIsSustainedLimitingWithinTheMinuteWindow() {
        assertThat(new MeterCount("c", "1m", 0, 100, 30).abusive(30)).isTrue();
        assertThat(new MeterCount("c", "1m", 0, 100, 29).abusive(30)).isFalse();
        // Longer windows never block on their own: a day of moderate 429s is not abuse.
        assertThat(new MeterCount("c", "1h", 0, 100, 90).abusive(30)).isFalse();
    }
}
