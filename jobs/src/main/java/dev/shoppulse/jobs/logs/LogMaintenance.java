package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.postgres.Postgres;
import dev.shoppulse.sql.LogPartitions;
import java.sql.Connection;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the {@code app_logs} partition maintenance, for a scheduler (cron, a Kubernetes
 * CronJob; the local run schedules it itself every {@code logs.maintenance-interval}):
 *
 * <pre>java -cp shoppulse-jobs-all.jar dev.shoppulse.jobs.logs.LogMaintenance \
 *     --postgres.url jdbc:postgresql://db:5432/shop</pre>
 *
 * <p>Kept out of the streaming job on purpose: DDL on a schedule is an operations task, it must run
 * even when no logs arrive, and a job with N subtasks would need to elect one.
 */
public final class LogMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(LogMaintenance.class);

    /**
     * How long DDL may wait for a lock before giving up on that attempt: writers queued behind a
     * waiting DETACH wait this long at most; the detach is then retried within the run ({@link
     * LogPartitions#DETACH_ATTEMPTS}), anything else on the next run (the days ahead are
     * pre-created).
     */
    public static final long LOCK_TIMEOUT_MS = 500;

    private LogMaintenance() {}

    public static LogPartitions partitions(ShopPulseConfig config) {
        return new LogPartitions(
                (int) config.getDuration(LogsCapability.LOGS_RETENTION).toDays(),
                config.getInt(LogsCapability.LOGS_PRECREATE_DAYS),
                LOCK_TIMEOUT_MS);
    }

    public static LogPartitions.Report runOnce(ShopPulseConfig config, Instant now)
            throws Exception {
        try (Connection c = Postgres.connect(config)) {
            return partitions(config).run(c, now);
        }
    }

    public static void main(String[] args) throws Exception {
        ShopPulseConfig config = ShopPulseConfig.load(args);
        LogPartitions.Report r = runOnce(config, Instant.now());
        LOG.info("app_logs maintenance: {}", r);
    }
}
