package dev.shoppulse.jobs.notifications;

/** A budget of provider calls shared by every caller; Redis-backed in production. */
public interface CallLimiter {
    /**
     * Takes a permit for one call named {@code callId} (unique per attempt) and returns 0, or
     * returns how many milliseconds to wait before asking again.
     */
    long tryAcquire(String callId);

    /** The call has been answered (or failed); from now on it counts from this moment. */
    void completed(String callId);
}
