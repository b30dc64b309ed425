package dev.shoppulse.jobs.notifications;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * The email sink's {@link RateLimitingStrategy}: one notification per request and at most {@code
 * maxInFlight} in flight per subtask, whatever the provider answers.
 *
 * <p>A notification stays in flight while it waits for a global permit, for a Retry-After or a
 * backoff, so this cap is what turns a throttled or unavailable provider into backpressure: the
 * writer stops taking input, the coalescer and the source stop, and the backlog stays in Kafka. The
 * global ceiling itself cannot live in {@link #shouldBlock}: the writer only re-asks after a
 * request completes, so a time-based "not yet" with nothing in flight would never be re-asked.
 */
final class BoundedInFlightStrategy implements RateLimitingStrategy {
    private final int maxInFlight;
    private int inFlight;

    BoundedInFlightStrategy(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void registerInFlightRequest(RequestInfo request) {
        inFlight += request.getBatchSize();
    }

    @Override
    public void registerCompletedRequest(ResultInfo result) {
        inFlight -= result.getBatchSize();
    }

    @Override
    public boolean shouldBlock(RequestInfo request) {
        return inFlight + request.getBatchSize() > maxInFlight;
    }

    @Override
    public int getMaxBatchSize() {
        return 1;
    }
}
