package dev.shoppulse.jobs.logs;

import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.validation.Domain;
import dev.shoppulse.common.validation.EventDomains;
import dev.shoppulse.jobs.flink.Parse;
import dev.shoppulse.jobs.flink.RawRecord;
import dev.shoppulse.sql.LogPartitions;
import dev.shoppulse.sql.LogPartitions.Route;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a log record and routes it by its timestamp before it reaches the database: rows inside
 * the kept window go on to the insert, rows older than the retention (their partition is gone) or
 * beyond the pre-created days go to the dead-letter output. Writes therefore never fail on a
 * retired range, and the default partition only ever sees rows in a maintenance race.
 */
public final class RetentionRouter extends ProcessFunction<RawRecord, SourcedLogEntry> {
    private static final long serialVersionUID = 1L;

    /** Bad or out-of-window records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = Parse.DEAD_LETTERS;

    private final int retentionDays;
    private final int aheadDays;
    private final int maxDeadLetterBytes;
    private final Clock clock;
    private final Domain<LogEntry> domain;
    private transient Parse<LogEntry, LogEntry> parse;
    private transient Counter kept;
    private transient Counter retired;
    private transient Counter ahead;
    private transient Counter malformed;

    public RetentionRouter(int retentionDays, int aheadDays, int maxDeadLetterBytes, Clock clock) {
        this(
                retentionDays,
                aheadDays,
                maxDeadLetterBytes,
                clock,
                EventDomains.defaultFor(LogEntry.class));
    }

    /**
     * A router that also checks {@code domain} (the {@code logs.max-future} window) for rows inside
     * the partition window; rows outside it keep their retention reasons.
     */
    public RetentionRouter(
            int retentionDays,
            int aheadDays,
            int maxDeadLetterBytes,
            Clock clock,
            Domain<LogEntry> domain) {
        this.domain = domain;
        this.retentionDays = retentionDays;
        this.aheadDays = aheadDays;
        this.maxDeadLetterBytes = maxDeadLetterBytes;
        this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
        var m = getRuntimeContext().getMetricGroup().addGroup("logs");
        kept = m.counter("routed");
        retired = m.counter("retired");
        ahead = m.counter("tooFarAhead");
        malformed = m.counter("malformed");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<SourcedLogEntry> out) {
        LogEntry e;
        try {
            e = LogsCapability.LOGS.codec().decode(raw.value());
        } catch (dev.shoppulse.common.serde.BadRecordException ex) {
            malformed.inc();
            ctx.output(
                    DEAD_LETTERS,
                    Parse.deadLetter(raw, ex.getMessage(), "parse", maxDeadLetterBytes));
            return;
        }
        Instant now = clock.instant();
        Route r = LogPartitions.route(e.loggedAt(), now, retentionDays, aheadDays);
        switch (r) {
            case KEEP -> {
                String violation = domain.violation(e, now);
                if (violation != null) {
                    malformed.inc();
                    ctx.output(
                            DEAD_LETTERS,
                            Parse.deadLetter(
                                    raw,
                                    "invalid LogEntry: " + violation,
                                    "parse",
                                    maxDeadLetterBytes));
                    return;
                }
                kept.inc();
                out.collect(new SourcedLogEntry(e, raw.topic(), raw.partition(), raw.offset()));
            }
            case RETIRED -> {
                retired.inc();
                ctx.output(
                        DEAD_LETTERS,
                        Parse.deadLetter(
                                raw,
                                "loggedAt "
                                        + e.loggedAt()
                                        + " is older than the retention boundary "
                                        + LogPartitions.boundary(now, retentionDays),
                                "retention",
                                maxDeadLetterBytes));
            }
            case TOO_FAR_AHEAD -> {
                ahead.inc();
                ctx.output(
                        DEAD_LETTERS,
                        Parse.deadLetter(
                                raw,
                                "loggedAt "
                                        + e.loggedAt()
                                        + " is at or past the pre-created horizon "
                                        + LogPartitions.horizon(now, aheadDays),
                                "retention",
                                maxDeadLetterBytes));
            }
        }
    }
}
