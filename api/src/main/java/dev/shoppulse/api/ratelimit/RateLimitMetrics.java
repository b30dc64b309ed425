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

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
