package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import redis.clients.jedis.RedisClient;

/** One subtask of {@link EmailSink}: hands each notification to an {@link EmailDispatcher}. */
final class EmailSinkWriter extends AsyncSinkWriter<Notification, Notification> {
    private final RedisClient redis;
    private final KafkaDeadLetters deadLetters;
    private final EmailDispatcher dispatcher;

    EmailSinkWriter(
            ElementConverter<Notification, Notification> converter,
            WriterInitContext context,
            NotificationSettings s,
            Collection<BufferedRequestState<Notification>> states) {
        super(
                converter,
                context,
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(1)
                        .setMaxBatchSizeInBytes(1 << 20)
                        .setMaxInFlightRequests(s.maxInFlight())
                        .setMaxBufferedRequests(s.maxInFlight() * 2)
                        .setMaxTimeInBufferMS(10)
                        .setMaxRecordSizeInBytes(1 << 20)
                        .setRequestTimeoutMS(7L * 24 * 3600 * 1000)
                        .setFailOnTimeout(false)
                        .setRateLimitingStrategy(new BoundedInFlightStrategy(s.maxInFlight()))
                        .build(),
                states);
        MetricGroup group = context.metricGroup().addGroup("notifications");
        this.redis = s.redis().connect();
        this.deadLetters = new KafkaDeadLetters(s);
        CallLimiter limiter =
                new SlidingLogLimiter(
                        redis,
                        s.redis().keys().notifyCallLog(),
                        s.limit(),
                        s.window(),
                        SlidingLogLimiter.marginFor(s.window()),
                        s.lease());
        this.dispatcher =
                new EmailDispatcher(
                        URI.create(s.providerUrl()),
                        s.requestTimeout(),
                        limiter,
                        new RetryPolicy(s.maxAttempts(), s.backoffBase(), s.backoffMax()),
                        deadLetters,
                        new EmailDispatcher.Metrics(
                                group.counter("sent"),
                                group.counter("retries"),
                                group.counter("rateLimited"),
                                group.counter("dlq"),
                                group.counter("throttleWaitMs")));
        group.gauge("inFlight", (Gauge<Integer>) dispatcher::inFlight);
    }

    @Override
    protected void submitRequestEntries(
            List<Notification> entries, ResultHandler<Notification> result) {
        AtomicInteger remaining = new AtomicInteger(entries.size());
        for (Notification n : entries) {
            dispatcher.submit(
                    n,
                    () -> {
                        if (remaining.decrementAndGet() == 0) {
                            result.complete();
                        }
                    },
                    result::completeExceptionally);
        }
    }

    @Override
    protected long getSizeInBytes(Notification n) {
        return 128L + n.email().length() + 16L * n.fields().size();
    }

    @Override
    public void close() {
        dispatcher.close();
        deadLetters.close();
        redis.close();
        super.close();
    }
}
