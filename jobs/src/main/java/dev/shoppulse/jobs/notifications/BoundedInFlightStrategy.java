package dev.shoppulse.jobs.notifications;

import java.util.function.BooleanSupplier;
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
 *
 * <p>The one time-based "not yet" is a pause (a 429's Retry-After, a lost call log): the dispatcher
 * hands its waiting notifications back to the writer's buffer, this strategy blocks while {@code
 * paused} says so, and the dispatcher posts a mail to the writer's mailbox when the pause ends, so
 * the writer is always re-asked. Nothing waits in flight during a pause, so checkpoints do not.
 */
final class BoundedInFlightStrategy implements RateLimitingStrategy {
    private final int maxInFlight;
    private volatile BooleanSupplier paused = () -> false;
    private boolean draining;
    private int inFlight;

    BoundedInFlightStrategy(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** Where to ask whether every call is paused; set once the dispatcher exists. */
    void pausedBy(BooleanSupplier paused) {
        this.paused = paused;
    }

    /** While a checkpoint waits for the requests in flight, no new one is started. */
    void draining(boolean on) {
        this.draining = on;
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
        return inFlight + request.getBatchSize() > maxInFlight
                || paused.getAsBoolean()
                // Only with something in flight, whose answer re-asks: never a wait for nothing.
                || (draining && inFlight > 0);
    }

    @Override
    public int getMaxBatchSize() {
        return 1;
    }
}
