package dev.shoppulse.api.reports;

import dev.shoppulse.api.http.ApiException;
import dev.shoppulse.common.redis.ReportCache;
import dev.shoppulse.common.reports.ReportRow;
import dev.shoppulse.sql.reports.ReportStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads report status cache-aside: Redis first (progress pages and streams poll often), PostgreSQL
 * when not cached, re-caching what it read. PostgreSQL stays the source of truth; a cache failure
 * only costs a database read.
 */
public final class ReportStatusReader {
    private static final Logger LOG = LoggerFactory.getLogger(ReportStatusReader.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final DataSource db;
    private final ReportCache cache;
    private final Clock clock;

    public ReportStatusReader(DataSource db, ReportCache cache, Clock clock) {
        this.db = db;
        this.cache = cache;
        this.clock = clock;
    }

    /** The report if it exists, is unexpired and belongs to {@code owner}; 404 otherwise. */
    public ReportRow owned(String id, String owner) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.notFound("no report " + id);
        }
        ReportRow row = load(id).orElse(null);
        // Someone else's report is indistinguishable from a missing one: ids are not probeable.
        if (row == null || !row.owner().equals(owner) || row.expired(clock.instant())) {
            throw ApiException.notFound("no report " + id);
        }
        return row;
    }

    /**
     * The report, from the cache when it is there; 503 when PostgreSQL has to answer and cannot.
     */
    public Optional<ReportRow> load(String id) {
        try {
            ReportRow cached = cache.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        } catch (RuntimeException e) {
            LOG.debug("report cache unavailable", e);
        }
        try (Connection c = db.getConnection()) {
            Optional<ReportRow> row = ReportStore.find(c, id);
            row.ifPresent(this::cache);
            return row;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The owner's latest {@code limit} reports, each at its freshest known version. */
    public List<ReportRow> list(String owner, int limit) {
        try (Connection c = db.getConnection()) {
            return ReportStore.list(c, owner, limit).stream().map(this::freshest).toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Stores a row just written, so the next poll need not ask PostgreSQL. */
    void cache(ReportRow row) {
        try {
            cache.put(row);
        } catch (RuntimeException e) {
            // The cache is an optimisation; PostgreSQL stays the source of truth.
            LOG.debug("report {} not cached", row.id(), e);
        }
    }

    /** The cached version when it is newer than a list row read from PostgreSQL. */
    private ReportRow freshest(ReportRow r) {
        try {
            ReportRow cached = cache.get(r.id());
            return cached != null && cached.version() > r.version() ? cached : r;
        } catch (RuntimeException e) {
            return r;
        }
    }

    /** Seconds until the ETA, between 1 and 30; {@code fallback} without an ETA. */
    static long retryAfter(ReportRow row, Instant now, long fallback) {
        Instant eta = row.eta(now);
        if (eta == null) {
            return fallback;
        }
        return Math.max(1, Math.min(30, Duration.between(now, eta).toSeconds()));
    }

    static ApiException unavailable(SQLException e) {
        return ApiException.unavailable("the report database is unavailable", e);
    }
}
