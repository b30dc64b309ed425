package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.sql.reports.ReportFiles;
import dev.shoppulse.sql.reports.ReportRow;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.SalesReport;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by report: once PostgreSQL counts every shard finished, concatenates the part files in day
 * order into the result (temporary file, then an atomic rename, so a replay rewrites the same
 * bytes), records SUCCEEDED with a guarded UPDATE and emits {@link ReportReady}.
 */
public final class ReportAssembler extends KeyedProcessFunction<String, ShardResult, ReportReady> {
    private static final long serialVersionUID = 1L;

    private final ShopPulseConfig config;
    private transient ReportResources r;
    private transient boolean gzip;
    // Checkpointed with the Kafka transaction, so after a restore it says exactly whether the
    // report-ready record that was sent is committed: send it again only when it is not.
    private transient ValueState<Boolean> readySent;

    public ReportAssembler(ShopPulseConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        r = new ReportResources(config, getRuntimeContext().getMetricGroup());
        gzip = config.getBoolean(ReportsCapability.REPORTS_GZIP);
        ValueStateDescriptor<Boolean> sent =
                new ValueStateDescriptor<>("ready-sent", Types.BOOLEAN);
        // A report's shard results stop arriving soon after it succeeds; expire the flag so
        // state does not grow with every report ever made.
        sent.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        readySent = getRuntimeContext().getState(sent);
    }

    @Override
    public void processElement(ShardResult s, Context ctx, Collector<ReportReady> out)
            throws Exception {
        Optional<ReportRow> row = ReportStore.find(r.db, s.reportId());
        if (row.isEmpty()) {
            return;
        }
        ReportRow rep = row.get();
        if (ReportRow.SUCCEEDED.equals(rep.status())) {
            // A replay after the success was recorded: the earlier report-ready is committed only
            // if the checkpoint that holds the flag completed.
            if (readySent.value() == null) {
                readySent.update(true);
                out.collect(ready(rep));
            }
            return;
        }
        if (!ReportRow.RUNNING.equals(rep.status()) || rep.shardsDone() < rep.shards()) {
            return;
        }
        List<LocalDate> days = ReportStore.finishedShards(r.db, rep.id());
        String name = ReportFiles.resultName(rep.id(), gzip);
        long[] rows = {0};
        ReportFiles.writeAtomically(
                r.files.result(rep.id(), name),
                tmp -> {
                    try (OutputStream raw = Files.newOutputStream(tmp);
                            OutputStream o = gzip ? new GZIPOutputStream(raw) : raw) {
                        o.write((SalesReport.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
                        for (LocalDate d : days) {
                            Path part = r.files.part(rep.id(), d);
                            try (var lines = Files.lines(part)) {
                                rows[0] += lines.count();
                            }
                            Files.copy(part, o);
                        }
                    }
                });
        Optional<ReportRow> done = ReportStore.succeed(r.db, rep.id(), name, rows[0]);
        r.publish(done);
        if (done.isPresent()) {
            readySent.update(true);
            out.collect(ready(done.get()));
        }
    }

    static ReportReady ready(ReportRow d) {
        return new ReportReady(
                d.id(),
                d.owner(),
                d.type(),
                d.status(),
                "/v1/reports/" + d.id() + "/download",
                d.rows() == null ? 0 : d.rows(),
                d.error(),
                d.finishedAt() == null ? Instant.now() : d.finishedAt());
    }

    @Override
    public void close() throws Exception {
        if (r != null) {
            r.close();
        }
    }
}
