package dev.shoppulse.api.reports;

import dev.shoppulse.common.reports.ReportFiles;
import dev.shoppulse.sql.reports.ReportStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired reports and their files on a schedule, a bounded batch per transaction: the files
 * are deleted before the rows' deletion commits, so a crash in between leaves an expired row
 * (invisible, swept next time) and never an orphaned file. Safe on several instances: rows one
 * sweep holds are skipped by the others.
 */
public final class ReportSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSweep.class);

    static final int MAX_BATCHES = 20;

    private final DataSource db;
    private final ReportFiles files;
    private final int batch;
    private final AtomicLong deleted = new AtomicLong();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "report-sweep");
                        t.setDaemon(true);
                        return t;
                    });

    public ReportSweep(DataSource db, ReportFiles files, Duration interval, int batch) {
        this.db = db;
        this.files = files;
        this.batch = Math.max(1, batch);
        long every = Math.max(100, interval.toMillis());
        timer.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            sweep();
        } catch (Exception e) {
            LOG.warn("expired reports not swept (next run retries): {}", e.toString());
        }
    }

    /**
     * Deletes expired reports batch by batch (each batch its own transaction) until none is left or
     * {@link #MAX_BATCHES} ran, so one run's work is bounded; returns how many it deleted.
     */
    public int sweep() throws SQLException {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int n = sweepBatch();
            total += n;
            if (n < batch) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("deleted {} expired reports", total);
        }
        return total;
    }

    private int sweepBatch() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> ids = ReportStore.deleteExpired(c, batch);
                for (String id : ids) {
                    files.delete(id);
                }
                c.commit();
                deleted.addAndGet(ids.size());
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Reports this sweep deleted since it started. */
    public long deleted() {
        return deleted.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
