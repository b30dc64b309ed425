package dev.shoppulse.jobs.notifications;

import java.time.Duration;

/** A budget of provider calls shared by every caller; Redis-backed in production. */
public interface CallLimiter {

    /** Why a permit was refused (or {@link #GRANTED}). */
    enum Outcome {
        /** A permit was taken. */
        GRANTED,
        /** The ceiling is full: a logged call leaves the window after the wait. */
        THROTTLED,
        /** Every caller waits: the provider asked for it (429 + Retry-After). */
        PAUSED,
        /**
         * The shared call log was found missing (a Redis restart without persistence, a flush, an
         * eviction) or is new: nobody calls until calls logged before can no longer share a
         * provider window with new ones.
         */
        LOST
    }

    /** The answer to one request for a permit. */
    record Permit(Outcome outcome, long waitMs) {
        static final Permit GRANTED = new Permit(Outcome.GRANTED, 0);

        boolean granted() {
            return outcome == Outcome.GRANTED;
        }
    }

    /**
     * Takes a permit for one call named {@code callId} (unique per attempt), or says how many
     * milliseconds to wait before asking again and why.
     */
    Permit tryAcquire(String callId);

    /** The call has been answered (or failed); from now on it counts from this moment. */
    void completed(String callId);

    /**
     * Makes every caller wait at least {@code delay} from now (a 429's Retry-After, already
     * clamped); a shorter pause than one already set changes nothing. Returns the pause left in ms.
     */
    long pause(Duration delay);
}
