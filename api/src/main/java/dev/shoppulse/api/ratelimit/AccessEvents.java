package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import java.time.Duration;

/**
 * Ships one {@link ApiRequestEvent} per request to Kafka without ever making a request wait: a
 * BEST_EFFORT {@link Publisher} (the request thread only offers to a bounded queue, a full queue
 * drops and counts, one background thread hands events to the producer, whose blocking is capped by
 * a small {@code max.block.ms}). Metering tolerates a lost event; a stuck API does not.
 */
public final class AccessEvents implements AutoCloseable {
    private final Publisher<ApiRequestEvent> publisher;
    private final RateLimitMetrics metrics;

    public AccessEvents(String bootstrap, String topic, int capacity, RateLimitMetrics metrics) {
        this.metrics = metrics;
        this.publisher =
                Publisher.builder(RateLimitCapability.API_REQUESTS, Publisher.Profile.BEST_EFFORT)
                        .bootstrap(bootstrap)
                        .topicName(topic)
                        .queueCapacity(capacity)
                        .ackTimeout(Duration.ofSeconds(10))
                        .onOutcome(ex -> metrics.inc(ex == null ? "events.sent" : "events.failed"))
                        .build();
    }

    /** Never blocks: a full queue drops the event and counts it. */
    public void emit(ApiRequestEvent e) {
        if (publisher.offer(e.clientId(), e)) {
            metrics.inc("events.queued");
        } else {
            metrics.inc("events.dropped");
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
