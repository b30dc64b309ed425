package dev.shoppulse.api.outbox;

import dev.shoppulse.common.kafka.Publisher;
import dev.shoppulse.sql.Outbox;
import dev.shoppulse.sql.Outbox.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the transactional outbox to Kafka: one background thread per API instance claims a
 * bounded batch of the oldest rows ({@code FOR UPDATE SKIP LOCKED}, so several instances share the
 * work without publishing a row twice at the same time), sends them with the DURABLE profile,
 * deletes them and commits. A failed publish rolls back (the rows stay) and backs off exponentially
 * up to a maximum, so a Kafka outage costs one attempt per backoff, not a busy loop.
 *
 * <p>At least once: a crash after Kafka acknowledged and before the commit publishes the batch
 * again after the restart; consumers de-duplicate by the record's id.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    /** Relay settings. */
    public record Options(int batch, Duration poll, Duration maxBackoff) {
        public Options {
            if (batch < 1) {
                throw new IllegalArgumentException("outbox batch must be positive: " + batch);
            }
        }
    }

    /** Called after Kafka acknowledged a batch and before it is deleted (tests inject crashes). */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = published -> {};

        void afterPublish(List<Entry> published) throws Exception;
    }

    private final DataSource db;
    private final Map<String, Publisher<?>> publishers;
    private final Options options;
    private final Hook hook;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean running = true;

    /** Starts relaying; {@code publishers} are DURABLE and keyed by their deployed topic name. */
    public OutboxRelay(DataSource db, List<Publisher<?>> publishers, Options options, Hook hook) {
        this.db = db;
        this.options = options;
        this.hook = hook;
        Map<String, Publisher<?>> byTopic = new LinkedHashMap<>();
        for (Publisher<?> p : publishers) {
            if (p.profile() != Publisher.Profile.DURABLE) {
                throw new IllegalArgumentException(
                        "the outbox relay publishes durably; " + p.topicName() + " is BEST_EFFORT");
            }
            byTopic.put(p.topicName(), p);
        }
        this.publishers = Map.copyOf(byTopic);
        this.thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the relay to look now (after a commit added a record) instead of at its next poll. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            int n;
            try {
                n = relayOnce();
                backoff = 0;
            } catch (Exception e) {
                failures.incrementAndGet();
                lastError.set(e.toString());
                backoff =
                        Math.min(
                                options.maxBackoff().toMillis(),
                                Math.max(options.poll().toMillis(), backoff * 2));
                LOG.warn("outbox not published (retry in {} ms): {}", backoff, e.toString());
                pause(backoff, false);
                continue;
            }
            if (n < options.batch()) {
                pause(options.poll().toMillis(), true);
            }
        }
    }

    private void pause(long millis, boolean wakeable) {
        try {
            if (wakeable) {
                wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } else {
                Thread.sleep(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** One round: claim, publish, delete, commit; returns how many records it published. */
    int relayOnce() throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Entry> claimed = Outbox.claim(c, publishers.keySet(), options.batch());
                if (claimed.isEmpty()) {
                    c.commit();
                    return 0;
                }
                Map<String, List<Publisher.Keyed<byte[]>>> byTopic = new LinkedHashMap<>();
                for (Entry e : claimed) {
                    byTopic.computeIfAbsent(e.message().topic(), t -> new ArrayList<>())
                            .add(new Publisher.Keyed<>(e.message().key(), e.message().payload()));
                }
                for (Map.Entry<String, List<Publisher.Keyed<byte[]>>> t : byTopic.entrySet()) {
                    publishers.get(t.getKey()).sendAll(t.getValue());
                }
                hook.afterPublish(claimed);
                Outbox.delete(c, claimed);
                c.commit();
                published.addAndGet(claimed.size());
                return claimed.size();
            } catch (Exception e) {
                rollback(c);
                throw e;
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("outbox rollback failed: {}", e.toString());
        }
    }

    /** Records this relay published and deleted. */
    public long published() {
        return published.get();
    }

    /** Rounds that failed (Kafka or PostgreSQL unavailable). */
    public long failures() {
        return failures.get();
    }

    /** The last failure, or null. */
    public String lastError() {
        return lastError.get();
    }

    @Override
    public void close() {
        running = false;
        wake();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
