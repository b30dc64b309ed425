package dev.shoppulse.common.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** One report as stored in PostgreSQL {@code reports} and cached in Redis. */
public record ReportRow(
        String id,
        String owner,
        String type,
        String parameters,
        String status,
        int shards,
        int shardsDone,
        int version,
        Long rows,
        String file,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt) {
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    public ReportRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(status, "status");
    }

    public boolean isFinal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELLED.equals(status);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    /** Whole percent of shards finished; 100 only once the report succeeded. */
    public int progressPercent() {
        if (SUCCEEDED.equals(status)) {
            return 100;
        }
        return Math.min(99, (int) (100L * shardsDone / shards));
    }

    /**
     * Estimated completion: the time per finished shard so far times the shards left; null before
     * the first shard finished or once final.
     */
    public Instant eta(Instant now) {
        if (!RUNNING.equals(status) || startedAt == null || shardsDone == 0) {
            return null;
        }
        Duration elapsed = Duration.between(startedAt, now);
        Duration perShard = elapsed.dividedBy(shardsDone);
        return now.plus(perShard.multipliedBy(shards - shardsDone));
    }

    /** The Redis hash form (absent fields are left out). */
    public Map<String, String> toHash() {
        Map<String, String> h = new HashMap<>();
        h.put("id", id);
        h.put("owner", owner);
        h.put("type", type);
        h.put("parameters", parameters);
        h.put("status", status);
        h.put("shards", Integer.toString(shards));
        h.put("shardsDone", Integer.toString(shardsDone));
        h.put("version", Integer.toString(version));
        put(h, "rows", rows);
        put(h, "file", file);
        put(h, "error", error);
        put(h, "createdAt", createdAt);
        put(h, "startedAt", startedAt);
        put(h, "finishedAt", finishedAt);
        put(h, "expiresAt", expiresAt);
        return h;
    }

    /** Reads {@link #toHash()} back; null when the hash is empty (not cached). */
    public static ReportRow fromHash(Map<String, String> h) {
        if (h == null || h.get("id") == null || h.get("status") == null) {
            return null;
        }
        return new ReportRow(
                h.get("id"),
                h.get("owner"),
                h.get("type"),
                h.get("parameters"),
                h.get("status"),
                Integer.parseInt(h.get("shards")),
                Integer.parseInt(h.get("shardsDone")),
                Integer.parseInt(h.get("version")),
                h.get("rows") == null ? null : Long.valueOf(h.get("rows")),
                h.get("file"),
                h.get("error"),
                instant(h.get("createdAt")),
                instant(h.get("startedAt")),
                instant(h.get("finishedAt")),
                instant(h.get("expiresAt")));
    }

    private static void put(Map<String, String> h, String k, Object v) {
        if (v != null) {
            h.put(k, v.toString());
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
