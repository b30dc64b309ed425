package dev.shoppulse.jobs.pincodes;

import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.sql.PincodeBatches;
import dev.shoppulse.sql.PincodeBatches.Outcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link PincodeBatch} with ONE {@code UPDATE ... FROM unnest(...)} statement and emits
 * the updates whose email no user has, so they can be reported.
 *
 * <p>Why an operator rather than the connector's {@code JdbcSink}: a sink is the end of the graph,
 * but the issue wants unknown emails reported as a side output, which needs the statement's result.
 * The connection still comes from the JDBC connector ({@link SimpleJdbcConnectionProvider}, same
 * {@link JdbcConnectionOptions} as every ShopPulse JDBC sink). The write happens inside {@code
 * processElement}, so a checkpoint barrier only passes after the batches before it are in
 * PostgreSQL (at-least-once; the guarded statement makes it idempotent).
 */
public final class PincodeBatchWriter extends ProcessFunction<PincodeBatch, PincodeUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PincodeBatchWriter.class);
    private static final int ATTEMPTS = 3;

    private final JdbcConnectionOptions options;
    private transient SimpleJdbcConnectionProvider connections;
    private transient Counter updated;
    private transient Counter stale;
    private transient Counter unknown;
    private transient Counter batches;

    public PincodeBatchWriter(JdbcConnectionOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext ctx) {
        connections = new SimpleJdbcConnectionProvider(options);
        MetricGroup m = getRuntimeContext().getMetricGroup().addGroup("pincodes");
        updated = m.counter("updated");
        stale = m.counter("stale");
        unknown = m.counter("unknown");
        batches = m.counter("batches");
    }

    @Override
    public void processElement(PincodeBatch batch, Context ctx, Collector<PincodeUpdate> out)
            throws Exception {
        List<PincodeUpdate> updates = batch.updates();
        List<Outcome> outcomes = write(updates);
        batches.inc();
        for (int k = 0; k < updates.size(); k++) {
            switch (outcomes.get(k)) {
                case UPDATED -> updated.inc();
                case STALE -> stale.inc();
                case UNKNOWN -> {
                    unknown.inc();
                    out.collect(updates.get(k));
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
                return PincodeBatches.apply(c, updates);
            } catch (SQLException e) {
                // A dropped connection or a serialization hiccup: retry on a fresh connection; the
                // statement is idempotent. Anything persistent fails the task and Flink restarts.
                last = e;
                LOG.warn("pincode batch attempt {} failed: {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    @Override
    public void close() {
        if (connections != null) {
            connections.closeConnection();
        }
    }
}
