package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.sql.reports.ReportFiles;
import dev.shoppulse.sql.reports.ReportRow;
import dev.shoppulse.sql.reports.ReportStore;
import dev.shoppulse.sql.reports.SalesReport;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Runs one shard: the day's aggregate query, its part file written atomically into the report
 * store, then the shard recorded in PostgreSQL {@code report_shards} and the progress published.
 * That record is the resume point: a Flink checkpoint cannot complete while a shard runs, so the
 * shard's completion is made durable the moment it happens instead.
 */
public final class ShardWorker extends ProcessFunction<ReportShard, ShardResult> {
    private static final long serialVersionUID = 1L;

    private final ShopPulseConfig config;
    private final ShardHook hook;
    private transient ReportResources r;
    private transient long pauseMs;
    private transient Counter executed;
    private transient Counter reused;

    public ShardWorker(ShopPulseConfig config, ShardHook hook) {
        this.config = config;
        this.hook = hook;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        r = new ReportResources(config, getRuntimeContext().getMetricGroup());
        pauseMs = config.getDuration(ReportsCapability.REPORTS_SHARD_PAUSE).toMillis();
        executed = getRuntimeContext().getMetricGroup().addGroup("reports").counter("shardsRun");
        reused = getRuntimeContext().getMetricGroup().addGroup("reports").counter("shardsResumed");
    }

    @Override
    public void processElement(ReportShard s, Context ctx, Collector<ShardResult> out)
            throws Exception {
        Path part = r.files.part(s.reportId(), s.day());
        // The flag comes from the splitter; a shard restored from a checkpoint's in-flight data
        // may have finished after that checkpoint, so PostgreSQL has the last word.
        if ((s.finished() || ReportStore.shardFinished(r.db, s.reportId(), s.day()))
                && Files.exists(part)) {
            reused.inc();
            out.collect(new ShardResult(s.reportId(), s.owner(), s.type(), s.epochDay(), false));
            return;
        }
        Optional<ReportRow> row = ReportStore.find(r.db, s.reportId());
        if (row.isEmpty() || !ReportRow.RUNNING.equals(row.get().status())) {
            return; // cancelled (or gone) while queued behind other shards: no more work
        }
        hook.beforeExecuting(s);
        List<String> lines = SalesReport.shard(r.db, s.day());
        if (pauseMs > 0) {
            // Stands in for the heavy part of a real report (configured for demos and tests).
            Thread.sleep(pauseMs);
        }
        ReportFiles.writeAtomically(
                part,
                tmp -> {
                    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                        for (String l : lines) {
                            w.write(l);
                            w.write('\n');
                        }
                    }
                });
        r.publish(ReportStore.shardDone(r.db, s.reportId(), s.day(), lines.size()));
        executed.inc();
        out.collect(new ShardResult(s.reportId(), s.owner(), s.type(), s.epochDay(), true));
    }

    @Override
    public void close() throws Exception {
        if (r != null) {
            r.close();
        }
    }
}
