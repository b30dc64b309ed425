package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.postgres.PostgresSettings;
import dev.shoppulse.jobs.flink.Bisect;
import dev.shoppulse.jobs.flink.Failures;
import dev.shoppulse.jobs.flink.GuardMetrics;
import dev.shoppulse.jobs.flink.GuardedKeyedFunction;
import dev.shoppulse.jobs.flink.PostgresConnection;
import dev.shoppulse.jobs.flink.Rejections;
import dev.shoppulse.sql.PincodeBatches;
import dev.shoppulse.sql.PincodeBatches.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link PincodeBatch} with ONE guarded {@code UPDATE ... FROM} statement, fed by
 * {@code unnest} arrays below {@code pincodes.copy-threshold} distinct emails and by COPY into a
 * temporary table from it on ({@link PincodeBatches#choose}), and emits the updates whose email no
 * user has, so they can be reported.
 *
 * <p>Why an operator rather than the connector's {@code JdbcSink}: a sink is the end of the graph,
 * but unknown emails are reported as a side output, which needs the statement's result. The
 * connection still comes from the JDBC connector ({@link SimpleJdbcConnectionProvider}, same {@link
 * PostgresConnection#options} as every ShopPulse JDBC writer, built in {@code open()} so the
 * password stays on the TaskManager). The write happens inside {@code processElement}, so a
 * checkpoint barrier only passes after the batches before it are in PostgreSQL (at-least-once; the
 * guarded statement makes it idempotent).
 *
 * <p>A batch the database rejects on data (a timestamp PostgreSQL cannot store, a NUL in a string)
 * is split ({@link Bisect}) so its good updates are still written and each bad one goes to {@link
 * GuardedKeyedFunction#DEAD_LETTERS}: restoring the batch from a checkpoint and failing again would
 * otherwise restart the job for ever.
 */
public final class PincodeBatchWriter extends ProcessFunction<PincodeBatch, PincodeUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PincodeBatchWriter.class);
    private static final int ATTEMPTS = 3;

    private final PostgresSettings postgres;
    private final Rejections<SourcedPincodeUpdate> rejections;
    private final int copyThreshold;
    private transient GuardMetrics guard;
    private transient SimpleJdbcConnectionProvider connections;
    private transient Counter updated;
    private transient Counter stale;
    private transient Counter unknown;
    private transient Counter batches;
    private transient Counter copied;

    public PincodeBatchWriter(
            PostgresSettings postgres,
            Rejections<SourcedPincodeUpdate> rejections,
            int copyThreshold) {
        PincodeBatches.choose(0, copyThreshold); // fails fast on a negative threshold
        this.postgres = postgres;
        this.rejections = rejections;
        this.copyThreshold = copyThreshold;
    }

    @Override
    public void open(OpenContext ctx) {
        connections = new SimpleJdbcConnectionProvider(PostgresConnection.options(postgres));
        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("pincodes");
        updated = m.counter("updated");
        stale = m.counter("stale");
        unknown = m.counter("unknown");
        batches = m.counter("batches");
        copied = m.counter("copy-statements");
        guard = new GuardMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(PincodeBatch batch, Context ctx, Collector<PincodeUpdate> out)
            throws Exception {
        long start = guard.start();
        try {
            Bisect.write(
                    batch.sourced(),
                    rows -> count(rows, write(updates(rows)), out),
                    (u, e) -> {
                        guard.deadLettered();
                        String reason = Failures.reason(e, Rejections.MAX_REASON_CHARS);
                        LOG.warn(
                                "dead-lettering a pincode update the database rejects: {}", reason);
                        ctx.output(
                                GuardedKeyedFunction.DEAD_LETTERS,
                                rejections.deadLetter(u, reason, "update-users"));
                    });
            batches.inc();
        } finally {
            // One statement (or a few, when split) for a whole batch: timed as a batch.
            guard.batchDone(start);
        }
    }

    private static List<PincodeUpdate> updates(List<SourcedPincodeUpdate> rows) {
        return rows.stream().map(SourcedPincodeUpdate::update).toList();
    }

    private void count(
            List<SourcedPincodeUpdate> updates,
            List<Outcome> outcomes,
            Collector<PincodeUpdate> out) {
        for (int k = 0; k < updates.size(); k++) {
            switch (outcomes.get(k)) {
                case UPDATED -> updated.inc();
                case STALE -> stale.inc();
                case UNKNOWN -> {
                    unknown.inc();
                    out.collect(updates.get(k).update());
                }
            }
        }
    }

    private List<Outcome> write(List<PincodeUpdate> updates) throws Exception {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Connection c =
                        attempt == 1
                                ? connections.getOrEstablishConnection()
                                : connections.reestablishConnection();
                c.setAutoCommit(true);
                PincodeBatches.Applied applied = PincodeBatches.apply(c, updates, copyThreshold);
                if (applied.method() == PincodeBatches.Method.COPY) {
                    copied.inc();
                }
                return applied.outcomes();
            } catch (SQLException e) {
                if (Failures.isData(e)) {
                    // The same rows fail the same way again: the caller splits the batch.
                    throw e;
                }
                // A dropped connection or a serialization hiccup: retry on a fresh connection; the
                // statement is idempotent. Anything persistent fails the task and Flink restarts.
                last = e;
                LOG.warn("pincode batch attempt {} failed: {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    /** Batches written through COPY so far (metric {@code pincodes.copy-statements}). */
    long copyStatements() {
        return copied.getCount();
    }

    @Override
    public void close() {
        if (connections != null) {
            connections.closeConnection();
        }
    }
}
