package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The GCRA bound on a controlled clock, for any arrival pattern. */
class LocalGcraLimiterProperties {

    @Property(tries = 200)
    void neverAdmitsMoreThanBurstPlusRateTimesElapsed(
            @ForAll @IntRange(min = 1, max = 500) int limit,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @IntRange(min = 1, max = 5000) int requests,
            @ForAll @IntRange(min = 0, max = 20_000) int stepMicros) {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        LocalGcraLimiter limiter = new LocalGcraLimiter(nanos::get);
        Policy p = new Policy("p", limit, Duration.ofSeconds(1), burst, 0);
        long admitted = 0;
        long start = nanos.get();
        long last = start;
        for (int i = 0; i < requests; i++) {
            last = nanos.get();
            if (limiter.acquire("k", p, 0).allowed()) {
                admitted++;
            }
            nanos.addAndGet(stepMicros * 1000L);
        }
        long elapsedMicros = (nanos.get() - start) / 1000;
        assertThat(admitted).isLessThanOrEqualTo(burst + elapsedMicros / p.intervalMicros());
        // And a caller at least as fast as the rate gets all it earned (±1 for the arrivals'
        // granularity). With a burst of 1, or slower arrivals, a full bucket discards idle
        // time by design, as a token bucket does.
        if (burst >= 2 && stepMicros <= p.intervalMicros()) {
            long earned = burst + (last - start) / 1000 / p.intervalMicros();
            assertThat(admitted).isGreaterThanOrEqualTo(Math.min(requests, earned) - 1);
        }
    }
}
