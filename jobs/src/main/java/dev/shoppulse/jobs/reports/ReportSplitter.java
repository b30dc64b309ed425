package dev.shoppulse.jobs.reports;

import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.sql.reports.ReportStore;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a report (QUEUED → RUNNING, guarded) and splits it into one shard per day. On a replay
 * (the job restarted before a checkpoint covered the request) the report is already RUNNING: the
 * days PostgreSQL records as finished are passed on as finished, so only the rest run again.
 */
public final class ReportSplitter extends ProcessFunction<ReportTask, ReportShard> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReportSplitter.class);

    /** Reports that ended before running (unknown type): straight to the notification. */
    public static final OutputTag<ReportReady> FAILED = new OutputTag<>("report-failed") {};

    private final ReportServices services;
    private transient ReportResources r;

    public ReportSplitter(ReportServices services) {
        this.services = services;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        r = new ReportResources(services, getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ReportTask req, Context ctx, Collector<ReportShard> out)
            throws Exception {
        if (!ReportRequest.SALES_BY_DAY_PRODUCT.equals(req.type())) {
            Optional<ReportRow> failed =
                    ReportStore.fail(r.db, req.reportId(), "unknown report type " + req.type());
            r.publish(failed);
            // The notification follows the report's state, not whether this attempt won the
            // guarded UPDATE: on a replay (the Kafka transaction that carried the first
            // report-ready was aborted) the row is already FAILED and the event must go again.
            // Consumers de-duplicate by report id, so a re-sent event is harmless.
            Optional<ReportRow> row =
                    failed.isPresent() ? failed : ReportStore.find(r.db, req.reportId());
            row.filter(f -> ReportRow.FAILED.equals(f.status()))
                    .ifPresent(
                            f ->
                                    ctx.output(
                                            FAILED,
                                            new ReportReady(
                                                    f.id(),
                                                    f.owner(),
                                                    f.type(),
                                                    f.status(),
                                                    null,
                                                    0,
                                                    f.error(),
                                                    f.finishedAt() != null
                                                            ? f.finishedAt()
                                                            : Instant.now())));
            return;
        }
        r.publish(ReportStore.start(r.db, req.reportId()));
        Optional<ReportRow> row = ReportStore.find(r.db, req.reportId());
        if (row.isEmpty() || !ReportRow.RUNNING.equals(row.get().status())) {
            // Cancelled, expired and swept, or already finished by an earlier run.
            LOG.info(
                    "report {} not run: {}",
                    req.reportId(),
                    row.map(ReportRow::status).orElse("unknown"));
            return;
        }
        Set<LocalDate> finished = new HashSet<>(ReportStore.finishedShards(r.db, req.reportId()));
        int days = req.days();
        for (int d = 0; d < days; d++) {
            LocalDate day = req.from().plusDays(d);
            out.collect(
                    new ReportShard(
                            req.reportId(),
                            req.owner(),
                            req.type(),
                            day.toEpochDay(),
                            days,
                            finished.contains(day)));
        }
    }

    @Override
    public void close() throws Exception {
        if (r != null) {
            r.close();
        }
    }
}
