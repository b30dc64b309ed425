package dev.shoppulse.jobs.metering;

/** The running count of one client's window: the aggregate's accumulator (a POJO, not Kryo). */
public record Counts(long requests, long limited) {
    public static final Counts ZERO = new Counts(0, 0);

    public Counts plus(Counts o) {
        return new Counts(requests + o.requests, limited + o.limited);
    }
}
