package dev.shoppulse.common.validation;

import java.io.Serializable;
import java.time.Instant;

/**
 * The part of an event's domain that depends on processing time (e.g. "not more than an hour ahead
 * of now"), checked where the event enters a job; static field domains are checked by the record's
 * constructor.
 *
 * @param <T> the event type
 */
@FunctionalInterface
public interface Domain<T> extends Serializable {

    /**
     * Why {@code event} is outside the domain at processing time {@code now}, or null if inside.
     */
    String violation(T event, Instant now);

    /** The domain that accepts every event the constructor accepted. */
    static <T> Domain<T> any() {
        return (e, now) -> null;
    }

    /** This domain and then {@code other}: the first violation wins. */
    default Domain<T> and(Domain<? super T> other) {
        Domain<T> self = this;
        return (e, now) -> {
            String v = self.violation(e, now);
            return v != null ? v : other.violation(e, now);
        };
    }
}
