package dev.shoppulse.launcher.sql;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.jobs.logs.LogIngestJob;
import dev.shoppulse.jobs.logs.LogMaintenance;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import dev.shoppulse.launcher.Traffic;
import dev.shoppulse.sql.LogPartitions;
import dev.shoppulse.sql.LogSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 30-day log retention in the local run: {@link LogIngestJob}, a log producer with a few late rows,
 * and the partition maintenance on a scheduler here (every {@code logs.maintenance-interval}). To
 * give the first maintenance run something to retire, the start backfills {@link #HISTORY_DAYS}
 * days of rows older than the retention, as an existing table would have.
 */
public final class LogsLocal implements Capability {
    private static final Logger LOG = LoggerFactory.getLogger(LogsLocal.class);
    private static final String JOB = LogIngestJob.NAME;
    static final int HISTORY_DAYS = 5;

    private final AtomicLong lateSent = new AtomicLong();
    private final AtomicLong partitionsCreated = new AtomicLong();
    private final AtomicLong partitionsDropped = new AtomicLong();
    private final AtomicLong maintenanceRuns = new AtomicLong();
    private Traffic traffic;
    private ShopPulseConfig config;

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        this.config = config;
        backfillHistory(config);
        maintain();
        cluster.submit(config, JOB, env -> LogIngestJob.build(env, config));
    }

    /** Partitions and rows for days past the retention, made by a run "back then". */
    private void backfillHistory(ShopPulseConfig config) throws Exception {
        Instant now = Instant.now();
        Instant then = now.minus(Duration.ofDays(HISTORY_DAYS));
        LogPartitions.Report r = LogMaintenance.runOnce(config, then);
        partitionsCreated.addAndGet(r.created());
        long days = config.getDuration(LogsCapability.LOGS_RETENTION).toDays();
        try (Connection c = LocalDb.connect(config);
                PreparedStatement ps = c.prepareStatement(LogSql.INSERT)) {
            for (int d = 0; d < HISTORY_DAYS; d++) {
                Instant at = now.minus(Duration.ofDays(days + 1 + d));
                for (int k = 0; k < 100; k++) {
                    ps.setTimestamp(1, Timestamp.from(at.plusSeconds(k)));
                    ps.setString(2, "history");
                    ps.setString(3, "INFO");
                    ps.setString(4, "old row");
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private void maintain() {
        try {
            LogPartitions.Report r = LogMaintenance.runOnce(config, Instant.now());
            if (r.ran()) {
                maintenanceRuns.incrementAndGet();
                partitionsCreated.addAndGet(r.created());
                partitionsDropped.addAndGet(r.dropped());
            }
        } catch (Exception e) {
            LOG.warn("app_logs maintenance failed", e);
        }
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        traffic = Traffic.toKafka(config, "logs-traffic");
        String topic = config.topic(LogsCapability.LOGS);
        int perTick = Math.max(1, config.getInt(LogsCapability.LOCAL_LOGS_PER_S) / 10);
        long retentionDays = config.getDuration(LogsCapability.LOGS_RETENTION).toDays();
        Random random = new Random();
        String[] levels = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
        traffic.every(
                100,
                () -> {
                    Instant now = Instant.now();
                    for (int k = 0; k < perTick; k++) {
                        Instant at = now.minusMillis(random.nextInt(60_000));
                        if (random.nextDouble() < 0.01) {
                            // Late: a day or two past the retention.
                            at = now.minus(Duration.ofDays(retentionDays + 1 + random.nextInt(2)));
                            lateSent.incrementAndGet();
                        }
                        String service = "svc-" + random.nextInt(8);
                        LogEntry e =
                                new LogEntry(
                                        at,
                                        service,
                                        levels[random.nextInt(levels.length)],
                                        "request " + random.nextInt(1_000_000) + " served");
                        traffic.send(topic, service, LogsCapability.LOGS.codec().encode(e));
                    }
                });
        long every = config.getDuration(LogsCapability.LOGS_MAINTENANCE_INTERVAL).toMillis();
        traffic.every(every, every, this::maintain);
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", traffic.sent());
        m.put("routed", LocalMetrics.sum(JOB, "logs.routed"));
        m.put("retired", LocalMetrics.sum(JOB, "logs.retired"));
        m.put("dropped", partitionsDropped.get());
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logs.in", traffic.sent());
        m.put("logs.inserted", inserted());
        m.put(
                "logs.dlq",
                LocalMetrics.sum(JOB, "logs.retired")
                        + LocalMetrics.sum(JOB, "logs.tooFarAhead")
                        + LocalMetrics.sum(JOB, "logs.malformed"));
        m.put("logs.hostile_sent", traffic == null ? 0 : traffic.hostileSent());
        m.put("logs.late_sent", lateSent.get());
        m.put("logs.partitions_created", partitionsCreated.get());
        m.put("logs.partitions_dropped", partitionsDropped.get());
        m.put("logs.maintenance_runs", maintenanceRuns.get());
        return m;
    }

    /** Rows in app_logs written by the job (the backfilled history is gone by then). */
    private long inserted() {
        if (config == null) {
            return 0;
        }
        try (Connection c = LocalDb.connect(config);
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT count(*) FROM app_logs WHERE service <> 'history'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
    }
}
