package dev.shoppulse.api.ratelimit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of every limiter decision, fall-back and dropped access event, served as JSON by {@code
 * GET /metrics/ratelimit}.
 */
public final class RateLimitMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void inc(String name) {
        counters.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Counts one decision as {@code decisions.<source>.<reason>}. */
    public void decision(Decision d) {
        inc("decisions." + d.source().name().toLowerCase() + "." + d.reason().name().toLowerCase());
    }

    /** Upper bounds (ms) of the decision-latency buckets. */
    public static final long[] LATENCY_BUCKETS_MS = {1, 5, 10, 25, 50, 100, 250, 1000};

    /**
     * Counts one decision's latency as {@code decision.latency.le_<ms>ms} (the smallest bucket it
     * fits) or {@code decision.latency.over_1000ms}.
     */
    public void latency(long nanos) {
        for (long ms : LATENCY_BUCKETS_MS) {
            if (nanos <= ms * 1_000_000) {
                inc("decision.latency.le_" + ms + "ms");
                return;
            }
        }
        inc("decision.latency.over_1000ms");
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
