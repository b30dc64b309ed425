package dev.shoppulse.jobs.flink;

import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.common.serde.DeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows to PostgreSQL in batches under the poison guard and emits, as its output, a {@link
 * DeadLetter} for each row that the database (or the binding) rejects on its data; good rows of the
 * same batch are still written ({@link Bisect}).
 *
 * <p>Why not the connector's {@code JdbcSink}: a sink cannot emit dead letters, and its failure
 * handling turned one unstorable timestamp into a fatal TaskExecutor error that took down every job
 * sharing the TaskManager. Here a data error costs one dead letter, a transient one (connection,
 * conflict, shutdown, timeout) is retried on a fresh connection and then fails the task, which
 * Flink restarts as before.
 *
 * <p>At-least-once: the buffer is flushed when full, every {@code intervalMs}, and before every
 * checkpoint barrier leaves the operator, so a checkpoint never covers an unwritten row and needs
 * no state; dead letters emitted by that flush travel before the barrier and so belong to the
 * checkpoint (exactly once in a transactional DLQ). The statement must make replays harmless.
 */
public final class GuardedJdbcWriter<T> extends AbstractStreamOperator<DeadLetter>
        implements OneInputStreamOperator<T, DeadLetter>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(GuardedJdbcWriter.class);
    private static final int ATTEMPTS = 3;

    private final PostgresSettings postgres;
    private final JdbcRows<T> rows;
    private final Rejections<T> rejections;
    private final String stage;
    private final int batchSize;
    private final long intervalMs;
    private transient List<T> buffer;
    private transient SimpleJdbcConnectionProvider connections;
    private transient GuardMetrics metrics;
    private transient boolean timerSet;

    public GuardedJdbcWriter(
            PostgresSettings postgres,
            JdbcRows<T> rows,
            Rejections<T> rejections,
            String stage,
            int batchSize,
            long intervalMs) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
        }
        this.postgres = postgres;
        this.rows = rows;
        this.rejections = rejections;
        this.stage = stage;
        this.batchSize = batchSize;
        this.intervalMs = Math.max(1, intervalMs);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(batchSize);
        connections = new SimpleJdbcConnectionProvider(PostgresConnection.options(postgres));
        metrics = new GuardMetrics(getMetricGroup());
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        long start = metrics.start();
        buffer.add(element.getValue());
        metrics.done(start);
        if (buffer.size() >= batchSize) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            long at = getProcessingTimeService().getCurrentProcessingTime() + intervalMs;
            getProcessingTimeService().registerTimer(at, this::onInterval);
        }
    }

    private void onInterval(long time) throws Exception {
        timerSet = false;
        flush();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() throws Exception {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (connections != null) {
                connections.closeConnection();
            }
        } finally {
            super.close();
        }
    }

    /** Writes the buffer; rows rejected on their data leave as dead letters. */
    private void flush() throws Exception {
        if (buffer.isEmpty()) {
            return;
        }
        List<T> batch = buffer;
        buffer = new ArrayList<>(batchSize);
        // Timed as a batch: one write for up to batch-size records, not one record's cost.
        long start = metrics.start();
        try {
            Bisect.write(batch, this::executeWithRetries, this::reject);
        } finally {
            metrics.batchDone(start);
        }
    }

    private void reject(T row, Exception failure) {
        metrics.deadLettered();
        String reason = Failures.reason(failure, Rejections.MAX_REASON_CHARS);
        LOG.warn("{}: dead-lettering a row the database rejects: {}", stage, reason);
        output.collect(new StreamRecord<>(rejections.deadLetter(row, reason, stage)));
    }

    private void executeWithRetries(List<T> batch) throws Exception {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Connection c =
                        attempt == 1
                                ? connections.getOrEstablishConnection()
                                : connections.reestablishConnection();
                execute(c, batch);
                return;
            } catch (Exception e) {
                if (Failures.isData(e)) {
                    throw e;
                }
                // A dropped connection or a conflict: retry on a fresh connection (the statement
                // is idempotent); a persistent one fails the task and Flink restarts it.
                last = e;
                LOG.warn("{}: batch attempt {} failed: {}", stage, attempt, e.getMessage());
            }
        }
        throw last;
    }

    /** One transaction for the batch, so a failure writes none of it and bisecting is exact. */
    private void execute(Connection c, List<T> batch) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(rows.sql())) {
            for (T row : batch) {
                rows.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }
}
