package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.serde.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to the provider under the shared call budget: one thread takes the most
 * urgent ready notification, waits for a permit from the {@link CallLimiter}, and sends it with its
 * {@code Idempotency-Key}; answers are handled by {@link RetryPolicy} (429 → every subtask pauses
 * for the clamped Retry-After; 5xx/timeouts → exponential backoff with jitter; permanent → dead
 * letter).
 *
 * <p>A notification counts as done only once it is delivered or dead-lettered, so the sink writer
 * keeps it in flight (and Flink's checkpoint waits for it) until then: nothing is acknowledged
 * before it is safe. Long waits are the exception: while every caller is paused (a 429's
 * Retry-After, a lost call log) a notification is handed back to the writer's buffer, which is
 * checkpointed, so a checkpoint never waits for a pause; the writer submits nothing new until the
 * pause ends ({@link #paused()}).
 *
 * <p>Provider answers are untrusted: the body is read up to {@link #MAX_BODY_BYTES}, an answer that
 * never ends times out, and nothing in the answer path may throw: an unexpected error hands the
 * notification back to be sent again under the same key.
 */
final class EmailDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmailDispatcher.class);

    /** Where notifications the provider refuses for good are written. */
    interface DeadLetters {
        void write(Notification notification, String reason) throws Exception;
    }

    /** The counters a dispatcher updates. */
    record Metrics(
            Counter sent,
            Counter retries,
            Counter rateLimited,
            Counter deadLettered,
            Counter throttleWaitMs,
            Counter callLogLost) {}

    /** How the writer learns what became of a notification; each is called at most once. */
    interface Outcome {
        /** Delivered or dead-lettered. */
        void done();

        /** Not sent yet: back to the writer's buffer, to be submitted again after a pause. */
        void handBack(Notification n);

        /** Could not even be dead-lettered: the job must fail over. */
        void fatal(Exception e);
    }

    /** The most of an answer's body that is read; the rest is dropped unread. */
    static final int MAX_BODY_BYTES = 4096;

    /** One notification on its way, with its retry bookkeeping. */
    private static final class Delivery {
        final Notification notification;
        final long seq;
        final Outcome outcome;
        final AtomicBoolean finished = new AtomicBoolean();
        int failures;

        Delivery(Notification n, long seq, Outcome outcome) {
            this.notification = n;
            this.seq = seq;
            this.outcome = outcome;
        }
    }

    /** Security-relevant first, then first come first served. */
    private static final Comparator<Delivery> URGENCY =
            Comparator.<Delivery>comparingInt(d -> d.notification.priority().ordinal())
                    .thenComparingLong(d -> d.seq);

    private final URI provider;
    private final Duration requestTimeout;
    private final CallLimiter limiter;
    private final RetryPolicy policy;
    private final DeadLetters deadLetters;
    private final Metrics metrics;
    private final HttpClient http;
    private final PriorityBlockingQueue<Delivery> ready = new PriorityBlockingQueue<>(64, URGENCY);
    private final ScheduledExecutorService delays;
    private final ExecutorService answers;
    private final Thread acquirer;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong callSeq = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final Runnable wake;
    private volatile long pausedUntilNanos = System.nanoTime();
    private volatile boolean closed;

    EmailDispatcher(
            URI provider,
            Duration requestTimeout,
            CallLimiter limiter,
            RetryPolicy policy,
            DeadLetters deadLetters,
            Metrics metrics,
            Runnable wake) {
        this.wake = Objects.requireNonNull(wake, "wake");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.requestTimeout = requestTimeout;
        this.limiter = limiter;
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.answers = Executors.newFixedThreadPool(2, r -> daemon(r, "email-answers"));
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "email-retries"));
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(requestTimeout)
                        .executor(answers)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        this.acquirer = daemon(this::acquireLoop, "email-permits");
        acquirer.start();
    }

    /** Notifications accepted and not yet delivered or dead-lettered. */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * True while every call waits (a pause this subtask learned of): the writer should not submit,
     * and {@code wake} runs when it ends.
     */
    boolean paused() {
        return System.nanoTime() - pausedUntilNanos < 0;
    }

    /** Starts delivering; exactly one of {@code outcome}'s methods runs, from any thread. */
    void submit(Notification n, Outcome outcome) {
        inFlight.incrementAndGet();
        ready.add(new Delivery(n, seq.incrementAndGet(), outcome));
    }

    private void acquireLoop() {
        while (!closed) {
            Delivery d = null;
            try {
                d = ready.poll(100, TimeUnit.MILLISECONDS);
                if (d == null) {
                    continue;
                }
                if (paused()) {
                    handBack(d);
                    continue;
                }
                String callId = callId(d);
                long waited = 0;
                CallLimiter.Permit permit;
                while (!(permit = permit(callId)).granted()) {
                    if (permit.outcome() != CallLimiter.Outcome.THROTTLED) {
                        break;
                    }
                    Delivery head = ready.peek();
                    if (head != null && URGENCY.compare(head, d) < 0) {
                        // A more urgent notification arrived while this one waited: swap.
                        ready.add(d);
                        d = ready.take();
                        callId = callId(d);
                    }
                    // Redis serializes the subtasks' attempts, so waking exactly at expiry is fair
                    // enough.
                    long sleep = Math.min(permit.waitMs(), 250);
                    Thread.sleep(sleep);
                    waited += sleep;
                }
                metrics.throttleWaitMs().inc(waited);
                if (!permit.granted()) {
                    if (permit.outcome() == CallLimiter.Outcome.LOST) {
                        metrics.callLogLost().inc();
                    }
                    pauseLocally(permit.waitMs());
                    handBack(d);
                    continue;
                }
                Delivery granted = d;
                d = null;
                send(granted, callId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (d != null) {
                    handBack(d);
                }
                return;
            } catch (RuntimeException e) {
                LOG.error("email dispatcher loop failed; continuing", e);
                if (d != null) {
                    handBack(d);
                }
            }
        }
    }

    private String callId(Delivery d) {
        return d.notification.notificationId() + "#" + instance + "-" + callSeq.incrementAndGet();
    }

    /** Redis trouble means pausing, never calling without a permit. */
    private CallLimiter.Permit permit(String callId) {
        try {
            return limiter.tryAcquire(callId);
        } catch (RuntimeException e) {
            LOG.warn("call budget unavailable ({}); waiting", e.toString());
            return new CallLimiter.Permit(CallLimiter.Outcome.PAUSED, 500);
        }
    }

    /** Nobody in this subtask calls for {@code ms}; the writer is woken when that ends. */
    private void pauseLocally(long ms) {
        long bounded = Math.max(1, Math.min(ms, TimeUnit.DAYS.toMillis(1)));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bounded);
        synchronized (this) {
            if (until - pausedUntilNanos > 0) {
                pausedUntilNanos = until;
            }
        }
        if (!closed) {
            try {
                delays.schedule(wake, bounded + 1, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closing: nobody is waiting any more.
            }
        }
    }

    private void handBack(Delivery d) {
        if (d.finished.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
            d.outcome.handBack(d.notification);
        }
    }

    private void finish(Delivery d) {
        if (d.finished.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
            d.outcome.done();
        }
    }

    private void send(Delivery d, String callId) {
        Notification n = d.notification;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", n.email());
        body.put("userId", n.userId());
        body.put("fields", n.fields());
        body.put("priority", n.priority().name());
        HttpRequest request =
                HttpRequest.newBuilder(provider)
                        .timeout(requestTimeout)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", n.notificationId())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
                        .build();
        try {
            http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES))
                    // A provider that sends headers but never finishes its body must not hold the
                    // notification for ever.
                    .orTimeout(requestTimeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((resp, err) -> onAnswer(d, callId, resp, err), answers);
        } catch (RuntimeException e) {
            onAnswer(d, callId, null, e);
        }
    }

    /** Never throws: whatever goes wrong, the notification is handed back, not lost. */
    private void onAnswer(Delivery d, String callId, HttpResponse<String> resp, Throwable err) {
        try {
            handleAnswer(d, callId, resp, err);
        } catch (Throwable t) {
            LOG.error(
                    "could not handle the provider's answer to {}; will send it again", callId, t);
            handBack(d);
        }
    }

    private void handleAnswer(Delivery d, String callId, HttpResponse<String> resp, Throwable err) {
        try {
            limiter.completed(callId);
        } catch (RuntimeException e) {
            // The call keeps counting until its lease ends: safe, only slower.
            LOG.warn("could not mark call {} answered: {}", callId, e.toString());
        }
        int status = err != null ? -1 : resp.statusCode();
        String detail =
                abbreviate(
                        err != null ? String.valueOf(err) : resp.body() == null ? "" : resp.body());
        String retryAfter =
                resp == null ? null : resp.headers().firstValue("Retry-After").orElse(null);
        RetryPolicy.Decision decision =
                policy.decide(
                        status,
                        retryAfter,
                        detail,
                        d.failures + 1,
                        Instant.now(),
                        ThreadLocalRandom.current());
        if (decision instanceof RetryPolicy.Done) {
            metrics.sent().inc();
            finish(d);
        } else if (decision instanceof RetryPolicy.Retry r && r.throttled()) {
            metrics.retries().inc();
            metrics.rateLimited().inc();
            // Every subtask honours it, not only this notification: the provider counts all.
            long left;
            try {
                left = limiter.pause(r.delay());
            } catch (RuntimeException e) {
                LOG.warn("could not share a provider pause: {}", e.toString());
                left = r.delay().toMillis();
            }
            // A few ms past Retry-After: never early, even with the provider's rounding.
            pauseLocally(Math.max(left, r.delay().toMillis()) + 5);
            handBack(d);
        } else if (decision instanceof RetryPolicy.Retry r) {
            metrics.retries().inc();
            if (r.counts()) {
                d.failures++;
            }
            if (closed) {
                return;
            }
            delays.schedule(() -> ready.add(d), r.delay().toMillis() + 5, TimeUnit.MILLISECONDS);
        } else if (decision instanceof RetryPolicy.GiveUp g) {
            try {
                deadLetters.write(d.notification, g.reason());
                metrics.deadLettered().inc();
                finish(d);
            } catch (Exception e) {
                if (d.finished.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                    d.outcome.fatal(e);
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        closed = true;
        acquirer.interrupt();
        delays.shutdownNow();
        answers.shutdownNow();
    }
}
