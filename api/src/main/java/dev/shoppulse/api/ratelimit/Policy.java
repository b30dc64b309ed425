package dev.shoppulse.api.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit: {@code limit} requests per {@code window}, {@code burst} of them at once, and at most
 * {@code concurrency} in flight on the expensive endpoint (0 = no concurrency limit).
 *
 * <p>As GCRA: one request is "earned" every emission interval {@code window / limit}; a subject may
 * run up to {@code burst} intervals ahead. Over any span {@code e}, at most {@code burst + e /
 * interval} requests are admitted.
 */
public record Policy(String name, int limit, Duration window, int burst, int concurrency) {
    public Policy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        if (limit <= 0 || burst <= 0 || concurrency < 0) {
            throw new IllegalArgumentException(
                    "policy "
                            + name
                            + ": limit and burst must be > 0 and concurrency >= 0, got "
                            + limit
                            + "/"
                            + burst
                            + "/"
                            + concurrency);
        }
        if (window.toNanos() / limit < 1000) {
            throw new IllegalArgumentException(
                    "policy " + name + ": emission interval below 1 µs; raise the window");
        }
    }

    /** Microseconds between two requests at the sustained rate. */
    public long intervalMicros() {
        return window.toNanos() / 1000 / limit;
    }

    /** This policy shared by {@code instances} instances that cannot coordinate (fail-open). */
    public Policy dividedBy(int instances) {
        if (instances <= 1) {
            return this;
        }
        return new Policy(
                name,
                Math.max(1, limit / instances),
                window,
                Math.max(1, burst / instances),
                Math.max(concurrency == 0 ? 0 : 1, concurrency / instances));
    }

    /** The {@code RateLimit-Policy} field value (draft-ietf-httpapi-ratelimit-headers). */
    public String header() {
        return "\"" + name + "\";q=" + limit + ";w=" + Math.max(1, window.toSeconds());
    }
}
