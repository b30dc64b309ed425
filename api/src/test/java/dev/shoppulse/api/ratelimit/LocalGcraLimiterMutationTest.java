package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The local GCRA's answers in detail, on a controlled clock (one request per second, burst 3). */
class LocalGcraLimiterMutationTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final LocalGcraLimiter limiter = new LocalGcraLimiter(nanos::get);
    private final Policy p = new Policy("p", 60, Duration.ofMinutes(1), 3, 1);

    private void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    @Test
    void anAllowedDecisionTellsRemainingAndWhenTheBurstIsFullAgain() {
        Decision first = limiter.acquire("k", p, 0);
        assertThat(first.allowed()).isTrue();
        assertThat(first.reason()).isEqualTo(Decision.Reason.OK);
        assertThat(first.source()).isEqualTo(Decision.Source.LOCAL);
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.resetMicros()).isEqualTo(1_000_000);
        assertThat(first.retryAfterMicros()).isZero();
        assertThat(first.leaseId()).isNull();
        Decision second = limiter.acquire("k", p, 0);
        assertThat(second.remaining()).isEqualTo(1);
        assertThat(second.resetMicros()).isEqualTo(2_000_000);
    }

    @Test
    void aRefusalTellsWhenTheNextRequestIsEarnedAndWhenTheBurstIsFull() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("k", p, 0).allowed()).isTrue();
        }
        advanceMillis(400);
        Decision no = limiter.acquire("k", p, 0);
        assertThat(no.allowed()).isFalse();
        assertThat(no.reason()).isEqualTo(Decision.Reason.RATE);
        assertThat(no.source()).isEqualTo(Decision.Source.LOCAL);
        assertThat(no.remaining()).isZero();
        assertThat(no.retryAfterMicros()).isEqualTo(600_000);
        assertThat(no.resetMicros()).isEqualTo(2_600_000);
        assertThat(no.leaseId()).isNull();
        // A refusal takes nothing: exactly at the earned instant one request passes.
        advanceMillis(600);
        Decision yes = limiter.acquire("k", p, 0);
        assertThat(yes.allowed()).isTrue();
        assertThat(yes.remaining()).isZero();
    }

    @Test
    void anIdleSubjectEarnsNoMoreThanItsBurst() {
        assertThat(limiter.acquire("k", p, 0).allowed()).isTrue();
        advanceMillis(3_600_000);
        assertThat(limiter.acquire("k", p, 0).remaining()).isEqualTo(2);
    }

    @Test
    void aSlotRefusalKeepsTheAllowanceAndReleaseNeverGoesBelowZero() {
        Decision held = limiter.acquire("k", p, 1);
        assertThat(held.allowed()).isTrue();
        assertThat(held.leaseId()).isEqualTo("local");
        Decision busy = limiter.acquire("k", p, 1);
        assertThat(busy.allowed()).isFalse();
        assertThat(busy.reason()).isEqualTo(Decision.Reason.CONCURRENCY);
        assertThat(busy.remaining()).isEqualTo(1);
        assertThat(busy.retryAfterMicros()).isEqualTo(1_000_000);
        assertThat(busy.resetMicros()).isEqualTo(1_000_000);
        assertThat(busy.leaseId()).isNull();
        // Two releases of one slot, then two slots' worth of requests: only one gets a slot.
        limiter.release("k", "local");
        limiter.release("k", "local");
        assertThat(limiter.acquire("k", p, 1).allowed()).isTrue();
        assertThat(limiter.acquire("k", p, 1).reason()).isEqualTo(Decision.Reason.CONCURRENCY);
        // Releasing for a subject never seen is harmless.
        limiter.release("other", "local");
        assertThat(limiter.acquire("other", p, 1).allowed()).isTrue();
    }

    @Test
    void subjectsAreLimitedSeparately() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a", p, 0);
        }
        assertThat(limiter.acquire("a", p, 0).allowed()).isFalse();
        assertThat(limiter.acquire("b", p, 0).allowed()).isTrue();
    }

    @Test
    void pastOneHundredThousandSubjectsTheTableStartsAfresh() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("first", p, 0);
        }
        assertThat(limiter.acquire("first", p, 0).allowed()).isFalse();
        for (int i = 0; i < 99_999; i++) {
            limiter.acquire("s" + i, p, 0);
        }
        // 100,000 subjects: still remembered.
        assertThat(limiter.acquire("first", p, 0).allowed()).isFalse();
        limiter.acquire("one-more", p, 0);
        // 100,001: the next decision clears the table first, so "first" has a fresh burst.
        assertThat(limiter.acquire("first", p, 0).remaining()).isEqualTo(2);
    }
}
