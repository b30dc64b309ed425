package dev.shoppulse.api.reports;

import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.common.serde.Json;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Report progress streams (SSE): a small scheduler polls each stream's report through the {@link
 * ReportStatusReader} and pushes its status when it changes; a client holds at most {@code
 * maxStreams} streams at once.
 */
public final class ReportEventStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportEventStream.class);

    private final ReportStatusReader reader;
    private final ReportLimits limits;
    private final Clock clock;

    /** Open streams per client; an entry goes when its count returns to zero. */
    private final ConcurrentHashMap<String, Integer> openStreams = new ConcurrentHashMap<>();

    private final ScheduledExecutorService streams =
            Executors.newScheduledThreadPool(
                    2,
                    r -> {
                        Thread t = new Thread(r, "report-sse");
                        t.setDaemon(true);
                        return t;
                    });

    public ReportEventStream(ReportStatusReader reader, ReportLimits limits, Clock clock) {
        this.reader = reader;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Takes one of the client's stream slots, or 429; {@link #stream} gives it back when the stream
     * ends.
     */
    public void reserve(String clientId) {
        boolean[] over = {false};
        openStreams.compute(
                clientId,
                (k, n) -> {
                    int open = n == null ? 0 : n;
                    if (open >= limits.maxStreams()) {
                        over[0] = true;
                        return n;
                    }
                    return open + 1;
                });
        if (over[0]) {
            throw new ApiException(
                    429,
                    "too-many-streams",
                    "Too many open streams",
                    "at most "
                            + limits.maxStreams()
                            + " progress streams per client are open at once; close one",
                    Map.of("Retry-After", "5"));
        }
    }

    private void release(String clientId) {
        openStreams.computeIfPresent(clientId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * Pushes one {@code status} event (id = the report's version) whenever the status changes,
     * starting after {@code lastEventId}, and ends the stream after a final state. Events carry the
     * whole status, so a reconnecting page loses nothing by skipping versions.
     *
     * @param owner the client whose {@link #reserve reserved} slot this stream holds, or null
     * @param lastEventId the client's Last-Event-ID header, or null
     */
    public void stream(SseClient sse, String owner, String id, String lastEventId) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release =
                () -> {
                    if (owner != null && released.compareAndSet(false, true)) {
                        release(owner);
                    }
                };
        AtomicInteger last = new AtomicInteger(-1);
        if (lastEventId != null) {
            try {
                last.set(Integer.parseInt(lastEventId.trim()));
            } catch (NumberFormatException e) {
                // An id we never sent: start from the current state.
            }
        }
        sse.keepAlive();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        AtomicInteger ticks = new AtomicInteger();
        Liveness liveness = new Liveness(sse);
        Runnable poll = () -> pollOnce(sse, liveness, id, last, ticks, task, release);
        long every = Math.max(10, limits.ssePoll().toMillis());
        task.set(streams.scheduleWithFixedDelay(poll, 0, every, TimeUnit.MILLISECONDS));
        sse.onClose(() -> end(task, release));
    }

    private void pollOnce(
            SseClient sse,
            Liveness liveness,
            String id,
            AtomicInteger last,
            AtomicInteger ticks,
            AtomicReference<ScheduledFuture<?>> task,
            Runnable release) {
        // The store is read outside the stream's lock: a slow read (bounded by the pool's wait)
        // delays only this stream's next event, never the container finishing the request.
        Optional<ReportRow> row;
        try {
            row = liveness.live() ? reader.load(id) : null;
        } catch (RuntimeException e) {
            synchronized (liveness) {
                failed(sse, id, e, task, release);
            }
            return;
        }
        // Every write happens while the container cannot finish the request (its completion
        // waits for this lock), so no write meets a recycled response.
        synchronized (liveness) {
            try {
                if (row == null || !liveness.live()) {
                    // Not sse.close(): completing the stream of a request the container has
                    // already finished makes Javalin resume it, and each step of that fails on
                    // the recycled response.
                    end(task, release);
                    return;
                }
                if (row.isEmpty()) {
                    sse.close();
                    end(task, release);
                    return;
                }
                ReportRow r = row.get();
                if (r.version() > last.get()) {
                    sse.sendEvent(
                            "status",
                            Json.writeString(ReportDto.of(r, clock.instant())),
                            Integer.toString(r.version()));
                    last.set(r.version());
                } else if (ticks.incrementAndGet() % 50 == 0) {
                    sse.sendComment("keep-alive");
                }
                if (r.isFinal()) {
                    sse.close();
                    end(task, release);
                }
            } catch (RuntimeException e) {
                failed(sse, id, e, task, release);
            }
        }
    }

    /** Ends a stream whose poll failed; the caller holds the stream's lock. */
    private void failed(
            SseClient sse,
            String id,
            RuntimeException e,
            AtomicReference<ScheduledFuture<?>> task,
            Runnable release) {
        // A stream has no problem response to carry a store failure to the log.
        if (e instanceof ApiException a && a.getCause() != null) {
            LOG.warn("report {} stream ended: {}", id, a.getMessage(), a.getCause());
        } else {
            LOG.debug("report {} stream ended", id, e);
        }
        sse.close();
        end(task, release);
    }

    /**
     * Whether a stream's request is still the container's to answer. Javalin does not tell a stream
     * that its client went away; the servlet container does, through the request's async context,
     * which exists once the handler has returned. Its callbacks take this object's lock, which the
     * poll holds while it writes.
     */
    private static final class Liveness implements AsyncListener {
        private final SseClient sse;
        private boolean finished;
        private boolean listening;

        Liveness(SseClient sse) {
            this.sse = sse;
        }

        synchronized boolean live() {
            if (finished || sse.terminated()) {
                return false;
            }
            try {
                HttpServletRequest req = sse.ctx().req();
                if (!listening && req.isAsyncStarted()) {
                    req.getAsyncContext().addListener(this);
                    listening = true;
                }
                // Before the async start the handler has not returned: the request is ours.
                return true;
            } catch (RuntimeException recycled) {
                finished = true;
                return false;
            }
        }

        @Override
        public synchronized void onComplete(AsyncEvent event) {
            finished = true;
        }

        @Override
        public synchronized void onError(AsyncEvent event) {
            finished = true;
        }

        @Override
        public synchronized void onTimeout(AsyncEvent event) {
            finished = true;
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    private static void end(AtomicReference<ScheduledFuture<?>> task, Runnable release) {
        ScheduledFuture<?> f = task.get();
        if (f != null) {
            f.cancel(false);
        }
        release.run();
    }

    @Override
    public void close() {
        streams.shutdownNow();
    }
}
