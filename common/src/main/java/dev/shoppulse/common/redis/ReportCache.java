package dev.shoppulse.common.redis;

import dev.shoppulse.common.reports.ReportRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Redis copy of a report's status, for cheap polling: written after every PostgreSQL
 * transition, never by an older version than the one cached (writers race: API cancel vs job
 * progress), and expiring with the report.
 */
public final class ReportCache {
    /** KEYS[1] hash; ARGV[1] version, ARGV[2] expire-at ms, then field/value pairs. */
    static final LuaScript PUT =
            new LuaScript(
                    "report-cache-put",
                    "local cur = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')\n"
                            + "if tonumber(ARGV[1]) <= cur then return 0 end\n"
                            + "redis.call('DEL', KEYS[1])\n"
                            + "for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i],"
                            + " ARGV[i + 1]) end\n"
                            + "redis.call('PEXPIREAT', KEYS[1], ARGV[2])\n"
                            + "return 1");

    private final Redis redis;
    private final RedisKeys keys;

    public ReportCache(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /** Caches the row unless a newer version is already there; true if written. */
    public boolean put(ReportRow row) {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(row.version()));
        args.add(Long.toString(row.expiresAt().toEpochMilli()));
        for (Map.Entry<String, String> e : row.toHash().entrySet()) {
            args.add(e.getKey());
            args.add(e.getValue());
        }
        return ((Number) redis.eval(PUT, List.of(keys.report(row.id())), args)).intValue() == 1;
    }

    /** The cached row, or null when not cached. */
    public ReportRow get(String reportId) {
        return ReportRow.fromHash(redis.hgetAll(keys.report(reportId)));
    }

    public void evict(String reportId) {
        redis.del(keys.report(reportId));
    }
}
