package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** GCRA semantics on a controlled clock: the bound, the burst, headers and Retry-After. */
class LocalGcraLimiterTest {

    @Test
    void burstThenRejectionWithRetryAfterOfOneInterval() {
        AtomicLong nanos = new AtomicLong(0);
        LocalGcraLimiter limiter = new LocalGcraLimiter(nanos::get);
        Policy p = new Policy("free", 60, Duration.ofMinutes(1), 5, 0);
        for (int i = 0; i < 5; i++) {
            Decision d = limiter.acquire("k", p, 0);
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(4 - i);
        }
        Decision no = limiter.acquire("k", p, 0);
        assertThat(no.allowed()).isFalse();
        assertThat(no.retryAfterMicros()).isEqualTo(1_000_000);
        assertThat(no.retryAfterSeconds()).isEqualTo(1);
        assertThat(no.header(p)).isEqualTo("\"free\";r=0;t=1");
        assertThat(p.header()).isEqualTo("\"free\";q=60;w=60");
        nanos.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire("k", p, 0).allowed()).isTrue();
    }

    @Test
    void concurrencySlotsAreTakenAndGivenBack() {
        LocalGcraLimiter limiter = new LocalGcraLimiter();
        Policy p = new Policy("p", 1000, Duration.ofSeconds(1), 100, 2);
        Decision a = limiter.acquire("k", p, 2);
        Decision b = limiter.acquire("k", p, 2);
        Decision c = limiter.acquire("k", p, 2);
        assertThat(a.allowed()).isTrue();
        assertThat(b.allowed()).isTrue();
        assertThat(c.allowed()).isFalse();
        assertThat(c.reason()).isEqualTo(Decision.Reason.CONCURRENCY);
        limiter.release("k", a.leaseId());
        assertThat(limiter.acquire("k", p, 2).allowed()).isTrue();
    }

    @Test
    void dividedPolicyKeepsAtLeastOne() {
        Policy p = new Policy("p", 100, Duration.ofMinutes(1), 10, 4);
        assertThat(p.dividedBy(4)).isEqualTo(new Policy("p", 25, Duration.ofMinutes(1), 2, 1));
        assertThat(p.dividedBy(1000).limit()).isEqualTo(1);
    }

    @Test
    void tiersParseAndRejectNonsense() {
        var tiers = Tiers.parse("free:60:10:2, pro:600:50:8", Duration.ofMinutes(1));
        assertThat(tiers.get("pro"))
                .isEqualTo(new Policy("pro", 600, Duration.ofMinutes(1), 50, 8));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Tiers.parse("free:60", Duration.ofMinutes(1)))
                .hasMessageContaining("name:limit:burst:concurrency");
    }
}
