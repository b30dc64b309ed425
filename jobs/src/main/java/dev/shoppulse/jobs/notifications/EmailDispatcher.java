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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to the provider under the shared call budget: one thread takes the most
 * urgent ready notification, waits for a permit from the {@link CallLimiter}, and sends it with its
 * {@code Idempotency-Key}; answers are handled by {@link RetryPolicy} (429 → back to the queue
 * after Retry-After; 5xx/timeouts → exponential backoff with jitter; permanent → dead letter).
 *
 * <p>A notification counts as done only once it is delivered or dead-lettered, so the sink writer
 * keeps it in flight (and Flink's checkpoint waits for it) until then: nothing is acknowledged
 * before it is safe.
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
            Counter throttleWaitMs) {}

    /** One notification on its way, with its retry bookkeeping. */
    private static final class Delivery {
        final Notification notification;
        final long seq;
        final Runnable done;
        final Consumer<Exception> fatal;
        int failures;

        Delivery(Notification n, long seq, Runnable done, Consumer<Exception> fatal) {
            this.notification = n;
            this.seq = seq;
            this.done = done;
            this.fatal = fatal;
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
    private volatile boolean closed;

    EmailDispatcher(
            URI provider,
            Duration requestTimeout,
            CallLimiter limiter,
            RetryPolicy policy,
            DeadLetters deadLetters,
            Metrics metrics) {
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

    /** Starts delivering; {@code done} runs once delivered or dead-lettered, from any thread. */
    void submit(Notification n, Runnable done, Consumer<Exception> fatal) {
        inFlight.incrementAndGet();
        ready.add(
                new Delivery(
                        n,
                        seq.incrementAndGet(),
                        () -> {
                            inFlight.decrementAndGet();
                            done.run();
                        },
                        fatal));
    }

    private void acquireLoop() {
        while (!closed) {
            Delivery d;
            try {
                d = ready.poll(100, TimeUnit.MILLISECONDS);
                if (d == null) {
                    continue;
                }
                String callId = callId(d);
                long waited = 0;
                long wait;
                while ((wait = permit(callId)) > 0) {
                    Delivery head = ready.peek();
                    if (head != null && URGENCY.compare(head, d) < 0) {
                        // A more urgent notification arrived while this one waited: swap.
                        ready.add(d);
                        d = ready.take();
                        callId = callId(d);
                    }
                    // Redis serializes the subtasks' attempts, so waking exactly at expiry is fair
                    // enough.
                    long sleep = Math.min(wait, 250);
                    Thread.sleep(sleep);
                    waited += sleep;
                }
                metrics.throttleWaitMs().inc(waited);
                send(d, callId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("email dispatcher loop failed; continuing", e);
            }
        }
    }

    private String callId(Delivery d) {
        return d.notification.notificationId() + "#" + instance + "-" + callSeq.incrementAndGet();
    }

    /** 0 when a permit was taken; Redis trouble means waiting, never calling without one. */
    private long permit(String callId) {
        try {
            return limiter.tryAcquire(callId);
        } catch (RuntimeException e) {
            LOG.warn("call budget unavailable ({}); waiting", e.toString());
            return 500;
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
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenCompleteAsync((resp, err) -> onAnswer(d, callId, resp, err), answers);
        } catch (RuntimeException e) {
            onAnswer(d, callId, null, e);
        }
    }

    private void onAnswer(Delivery d, String callId, HttpResponse<String> resp, Throwable err) {
        try {
            limiter.completed(callId);
        } catch (RuntimeException e) {
            // The call keeps counting until its lease ends: safe, only slower.
            LOG.warn("could not mark call {} answered: {}", callId, e.toString());
        }
        int status = err != null ? -1 : resp.statusCode();
        String detail =
                err != null
                        ? String.valueOf(err)
                        : abbreviate(resp.body() == null ? "" : resp.body());
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
            d.done.run();
        } else if (decision instanceof RetryPolicy.Retry r) {
            metrics.retries().inc();
            if (status == 429) {
                metrics.rateLimited().inc();
            }
            if (r.counts()) {
                d.failures++;
            }
            if (closed) {
                return;
            }
            // A few ms past Retry-After: never early, even with the provider's rounding.
            delays.schedule(() -> ready.add(d), r.delay().toMillis() + 5, TimeUnit.MILLISECONDS);
        } else if (decision instanceof RetryPolicy.GiveUp g) {
            try {
                deadLetters.write(d.notification, g.reason());
                metrics.deadLettered().inc();
                d.done.run();
            } catch (Exception e) {
                d.fatal.accept(e);
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
