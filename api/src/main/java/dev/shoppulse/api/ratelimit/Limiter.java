package dev.shoppulse.api.ratelimit;

/** Decides whether a subject (a client or an IP) may make one more request under a policy. */
public interface Limiter {
    /**
     * Takes one request from {@code subject}'s allowance and, when {@code concurrency > 0}, one of
     * its in-flight slots; both or neither.
     */
    Decision acquire(String subject, Policy policy, int concurrency);

    /** Gives back the in-flight slot of a finished request. */
    void release(String subject, String leaseId);
}
