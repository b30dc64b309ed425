package dev.shoppulse.bench.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The bench's utilization figure: whole windows from the first call while a backlog exists. */
class NotificationsBenchTest {

    @Test
    void fullBurstsAtEveryWindowStartAreFullUtilization() {
        // 5 windows of 1000 ms, 10 calls at the start of each, then 10 more that end the backlog.
        long[] calls =
                LongStream.range(0, 60).map(i -> (i / 10) * 1000 + i % 10).sorted().toArray();
        assertThat(NotificationsBench.utilization(calls, 1000, 10)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aSenderThatLagsTenPercentPerWindowShowsIt() {
        // One call every 110 ms against a limit of 10 per 1000 ms: ~0.91 of the budget.
        long[] calls = LongStream.range(0, 200).map(i -> i * 110).toArray();
        assertThat(NotificationsBench.utilization(calls, 1000, 10)).isCloseTo(0.909, within(0.01));
    }

    @Test
    void rateUtilizationChargesEveryMillisecondOfSlack() {
        // Bursts of 10 every 1010 ms instead of every 1000 ms: ~0.99 of the budget.
        long[] calls = LongStream.range(0, 60).map(i -> (i / 10) * 1010 + i % 10).toArray();
        assertThat(NotificationsBench.rateUtilization(calls, 1000, 10))
                .isCloseTo(50.0 / (5059.0 / 1000 * 10), within(1e-9));
        assertThat(NotificationsBench.utilization(calls, 1000, 10)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void noCallsIsZero() {
        assertThat(NotificationsBench.utilization(new long[0], 1000, 10)).isZero();
    }
}
