package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * One subtask of {@link EmailSink}: hands each notification to an {@link EmailDispatcher}.
 *
 * <p>Checkpoints during a provider pause: paused notifications come back into the buffer (which is
 * checkpointed) instead of waiting in flight, and while a checkpoint drains the in-flight requests
 * ({@link #flush(boolean)}) nothing new is submitted, so the barrier waits at most for the calls on
 * the wire (one request timeout) or a throttled permit (one window + lease), never for a pause.
 * Once a pause or a drain ends, {@link #redrive()} submits the buffer again: the base writer only
 * does that on a new record or a completed request, and during a pause there may be neither.
 */
final class EmailSinkWriter extends AsyncSinkWriter<Notification, Notification> {
    private static final Logger LOG = LoggerFactory.getLogger(EmailSinkWriter.class);

    /** The base writer's "submit what the strategy allows", which it keeps private. */
    private static final MethodHandle NON_BLOCKING_FLUSH = nonBlockingFlush();

    private final BoundedInFlightStrategy strategy;
    private final RedisClient redis;
    private final KafkaDeadLetters deadLetters;
    private final EmailDispatcher dispatcher;

    EmailSinkWriter(
            ElementConverter<Notification, Notification> converter,
            WriterInitContext context,
            NotificationSettings s,
            Collection<BufferedRequestState<Notification>> states) {
        this(converter, context, s, states, new BoundedInFlightStrategy(s.maxInFlight()));
    }

    private EmailSinkWriter(
            ElementConverter<Notification, Notification> converter,
            WriterInitContext context,
            NotificationSettings s,
            Collection<BufferedRequestState<Notification>> states,
            BoundedInFlightStrategy strategy) {
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
                        .setRateLimitingStrategy(strategy)
                        .build(),
                states);
        this.strategy = strategy;
        MetricGroup group = context.metricGroup().addGroup("notifications");
        MailboxExecutor mailbox = context.getMailboxExecutor();
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
                        s.retryPolicy(),
                        deadLetters,
                        new EmailDispatcher.Metrics(
                                group.counter("sent"),
                                group.counter("retries"),
                                group.counter("rateLimited"),
                                group.counter("dlq"),
                                group.counter("throttleWaitMs"),
                                group.counter("callLogLost")),
                        () -> wake(mailbox, this::redrive));
        strategy.pausedBy(dispatcher::paused);
        group.gauge("inFlight", (Gauge<Integer>) dispatcher::inFlight);
        group.gauge("paused", (Gauge<Integer>) () -> dispatcher.paused() ? 1 : 0);
    }

    /**
     * A mail that re-drives the writer: one blocked in {@code flush()} re-asks the strategy, an
     * idle one submits its buffer.
     */
    private static void wake(MailboxExecutor mailbox, Runnable redrive) {
        try {
            mailbox.execute(redrive::run, "notification pause over");
        } catch (RejectedExecutionException e) {
            // The task is closing: nobody waits.
        }
    }

    private static MethodHandle nonBlockingFlush() {
        try {
            return MethodHandles.privateLookupIn(AsyncSinkWriter.class, MethodHandles.lookup())
                    .findVirtual(
                            AsyncSinkWriter.class,
                            "nonBlockingFlush",
                            MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "AsyncSinkWriter.nonBlockingFlush not found ({}); after a pause the email sink"
                            + " resumes with the next record",
                    e.toString());
            return null;
        }
    }

    /** Submits what the strategy allows now (mailbox thread only). */
    private void redrive() {
        if (NON_BLOCKING_FLUSH == null) {
            return;
        }
        try {
            NON_BLOCKING_FLUSH.invoke((AsyncSinkWriter<?, ?>) this);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("could not resume the email sink", t);
        }
    }

    /**
     * Before a checkpoint ({@code endOfInput} false): waits for the requests in flight without
     * submitting new ones, then resumes; at the end of input: sends everything, as the base does.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (endOfInput) {
            super.flush(true);
            return;
        }
        strategy.draining(true);
        try {
            super.flush(false);
        } finally {
            strategy.draining(false);
        }
        redrive();
    }

    @Override
    protected void submitRequestEntries(
            List<Notification> entries, ResultHandler<Notification> result) {
        AtomicInteger remaining = new AtomicInteger(entries.size());
        List<Notification> handedBack = Collections.synchronizedList(new ArrayList<>());
        Runnable oneDone =
                () -> {
                    if (remaining.decrementAndGet() == 0) {
                        if (handedBack.isEmpty()) {
                            result.complete();
                        } else {
                            // Back to the head of the buffer, which the next checkpoint stores.
                            result.retryForEntries(List.copyOf(handedBack));
                        }
                    }
                };
        for (Notification n : entries) {
            dispatcher.submit(
                    n,
                    new EmailDispatcher.Outcome() {
                        @Override
                        public void done() {
                            oneDone.run();
                        }

                        @Override
                        public void handBack(Notification back) {
                            handedBack.add(back);
                            oneDone.run();
                        }

                        @Override
                        public void fatal(Exception e) {
                            result.completeExceptionally(e);
                        }
                    });
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
