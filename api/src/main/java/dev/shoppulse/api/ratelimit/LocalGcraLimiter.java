package dev.shoppulse.api.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The same GCRA, in this instance's memory, for when Redis cannot answer and the policy is
 * fail-open. Its clock is the monotonic {@link System#nanoTime()}: it only compares instants of
 * this one JVM, so wall-clock skew cannot matter here either.
 */
public final class LocalGcraLimiter implements Limiter {
    /** Beyond this many subjects the table is cleared; an outage is short, memory is not free. */
    private static final int MAX_SUBJECTS = 100_000;

    private final LongSupplier nanoClock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private static final class State {
        long tatMicros = Long.MIN_VALUE;
        int inflight;
    }

    public LocalGcraLimiter() {
        this(System::nanoTime);
    }

    LocalGcraLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public Decision acquire(String subject, Policy policy, int concurrency) {
        if (states.size() > MAX_SUBJECTS) {
            states.clear();
        }
        State s = states.computeIfAbsent(subject, k -> new State());
        long now = nanoClock.getAsLong() / 1000;
        long interval = policy.intervalMicros();
        long tau = interval * policy.burst();
        synchronized (s) {
            long tat = Math.max(s.tatMicros, now);
            long newTat = tat + interval;
            long allowAt = newTat - tau;
            if (allowAt > now) {
                return new Decision(
                        false,
                        0,
                        allowAt - now,
                        tat - now,
                        Decision.Reason.RATE,
                        Decision.Source.LOCAL,
                        null);
            }
            long remaining = (now + tau - newTat) / interval;
            if (concurrency > 0 && s.inflight >= concurrency) {
                return new Decision(
                        false,
                        remaining,
                        1_000_000,
                        tat - now,
                        Decision.Reason.CONCURRENCY,
                        Decision.Source.LOCAL,
                        null);
            }
            s.tatMicros = newTat;
            String lease = null;
            if (concurrency > 0) {
                s.inflight++;
                lease = "local";
            }
            return new Decision(
                    true,
                    remaining,
                    0,
                    newTat - now,
                    Decision.Reason.OK,
                    Decision.Source.LOCAL,
                    lease);
        }
    }

    @Override
    public void release(String subject, String leaseId) {
        State s = states.get(subject);
        if (s != null) {
            synchronized (s) {
                s.inflight = Math.max(0, s.inflight - 1);
            }
        }
    }
}
