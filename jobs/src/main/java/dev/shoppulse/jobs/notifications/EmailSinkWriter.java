package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.redis.Redis;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * One subtask of {@link EmailSink}: a checkpointed buffer of notifications in front of an {@link
 * EmailDispatcher}, which works on at most {@code notifications.max-in-flight} of them at once.
 *
 * <p>Why not Flink's {@code AsyncSinkWriter}: when its buffer is full and its rate-limiting
 * strategy blocks, {@code write()} waits on the task thread ({@code MailboxExecutor.yield()}), and
 * a yielding operator runs only its own mails, never the task's checkpoint mails. During a 429
 * storm the strategy blocked for every pause, so the writer sat in {@code write()} for the whole
 * storm and every checkpoint expired, unaligned or not.
 *
 * <p>Here the task thread never waits for a pause. A paused dispatcher hands its waiting
 * notifications back into the buffer, and while paused the writer takes input into the buffer
 * (which every checkpoint stores) up to {@link #MAX_BUFFERED}; a checkpoint then finds nothing in
 * flight. While calls are moving the writer takes one record per result, so the backlog stays in
 * Kafka and {@code write()} waits for one notification to finish: an answer or a throttled permit
 * (a window + lease), or during a 5xx outage its retries (at most the retry horizon, as before). A
 * checkpoint waits for the notifications in flight without submitting new ones, which is as long,
 * never a pause.
 */
final class EmailSinkWriter
        implements StatefulSinkWriter<Notification, BufferedRequestState<Notification>> {

    /**
     * The most notifications one subtask buffers (a few MB of state); only a pause fills it, and
     * beyond it {@code write()} waits for the pause to end, holding checkpoints until then.
     */
    static final int MAX_BUFFERED = 10_000;

    private final MailboxExecutor mailbox;
    private final int maxInFlight;
    private final Redis redis;
    private final KafkaDeadLetters deadLetters;
    private final EmailDispatcher dispatcher;
    private final Counter recordsSent;

    // Touched by the task thread only: the dispatcher's threads report through the mailbox.
    /** HIGH notifications, sent before any NORMAL one. */
    private final Deque<Notification> urgent = new ArrayDeque<>();

    private final Deque<Notification> normal = new ArrayDeque<>();
    private int inFlight;
    private long results;
    private boolean draining;

    EmailSinkWriter(
            WriterInitContext context,
            NotificationSettings s,
            Collection<BufferedRequestState<Notification>> states) {
        this.mailbox = context.getMailboxExecutor();
        this.maxInFlight = s.maxInFlight();
        this.recordsSent = context.metricGroup().getNumRecordsSendCounter();
        MetricGroup group = context.metricGroup().addGroup("notifications");
        Counter redisFailures = group.counter("redisFailures");
        this.redis = Redis.open(s.redis(), (operation, cause) -> redisFailures.inc());
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
                        () -> onMailbox(this::submit, "notification pause over"));
        for (BufferedRequestState<Notification> state : states) {
            for (RequestEntryWrapper<Notification> e : state.getBufferedRequestEntries()) {
                buffer(e.getRequestEntry(), false);
            }
        }
        group.gauge("inFlight", (Gauge<Integer>) dispatcher::inFlight);
        group.gauge("buffered", (Gauge<Integer>) this::buffered);
        group.gauge("paused", (Gauge<Integer>) () -> dispatcher.paused() ? 1 : 0);
    }

    @Override
    public void write(Notification n, Context context) throws InterruptedException {
        while (buffered() >= MAX_BUFFERED) {
            // Only a pause fills the buffer: wait for it to end and the buffer to move.
            submit();
            mailbox.yield();
        }
        buffer(n, false);
        submit();
        if (buffered() > maxInFlight && !dispatcher.paused()) {
            awaitOneResult();
        }
    }

    /**
     * Backpressure: one record in per result out while calls are moving; returns at once when a
     * pause starts, whose notifications come back to the buffer.
     */
    private void awaitOneResult() throws InterruptedException {
        long seen = results;
        while (results == seen && inFlight > 0 && !dispatcher.paused()) {
            mailbox.yield();
        }
    }

    /**
     * Before a checkpoint ({@code endOfInput} false): waits for the notifications in flight without
     * starting new ones, so the checkpoint stores every unfinished one in the buffer; a paused
     * dispatcher has already handed its waiting ones back. At the end of input: sends everything,
     * waiting out pauses.
     */
    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        if (endOfInput) {
            while (inFlight > 0 || buffered() > 0) {
                submit();
                mailbox.yield();
            }
            return;
        }
        draining = true;
        try {
            while (inFlight > 0) {
                mailbox.yield();
            }
        } finally {
            draining = false;
        }
        // After the snapshot, which must find nothing in flight: this mail runs once the
        // checkpoint's own mail has finished.
        onMailbox(this::submit, "notifications after checkpoint");
    }

    @Override
    public List<BufferedRequestState<Notification>> snapshotState(long checkpointId)
            throws IOException {
        if (inFlight > 0) {
            throw new IOException(inFlight + " notifications in flight at a checkpoint");
        }
        List<RequestEntryWrapper<Notification>> entries = new ArrayList<>(buffered());
        for (Notification n : urgent) {
            entries.add(new RequestEntryWrapper<>(n, sizeOf(n)));
        }
        for (Notification n : normal) {
            entries.add(new RequestEntryWrapper<>(n, sizeOf(n)));
        }
        return List.of(new BufferedRequestState<>(entries));
    }

    /** Hands the dispatcher what it may take now (task thread only). */
    private void submit() {
        while (!draining && inFlight < maxInFlight && buffered() > 0 && !dispatcher.paused()) {
            Notification n = urgent.isEmpty() ? normal.poll() : urgent.poll();
            inFlight++;
            dispatcher.submit(n, new Result());
        }
    }

    /** Reports one notification's fate to the task thread; its methods run on any thread. */
    private final class Result implements EmailDispatcher.Outcome {
        @Override
        public void done() {
            onMailbox(() -> finished(null), "notification delivered");
        }

        @Override
        public void handBack(Notification back) {
            onMailbox(() -> finished(back), "notification handed back");
        }

        @Override
        public void fatal(Exception e) {
            onMailbox(
                    () -> {
                        throw new IOException("a refused notification could not be written", e);
                    },
                    "notification dead letter failed");
        }
    }

    private void finished(Notification back) {
        inFlight--;
        results++;
        if (back == null) {
            recordsSent.inc();
        } else {
            // Ahead of its class, as it was before: it already waited its turn once.
            buffer(back, true);
        }
        submit();
    }

    private void buffer(Notification n, boolean atHead) {
        Deque<Notification> queue = n.priority() == Notification.Priority.HIGH ? urgent : normal;
        if (atHead) {
            queue.addFirst(n);
        } else {
            queue.addLast(n);
        }
    }

    private int buffered() {
        return urgent.size() + normal.size();
    }

    private void onMailbox(ThrowingRunnable<? extends Exception> action, String what) {
        try {
            mailbox.execute(action, what);
        } catch (RejectedExecutionException e) {
            // The task is closing: what was not finished is replayed from the last checkpoint.
        }
    }

    private static long sizeOf(Notification n) {
        return 128L + n.email().length() + 16L * n.fields().size();
    }

    @Override
    public void close() {
        dispatcher.close();
        deadLetters.close();
        redis.close();
    }
}
