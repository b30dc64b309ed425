package dev.shoppulse.common.hostile;

/**
 * Size bounds for generated hostile records, so that suites stay fast and every record still fits a
 * default Kafka message.
 *
 * @param maxRecordBytes the most bytes one generated value may have
 * @param maxKeyBytes the most bytes one generated key may have
 * @param maxStringChars the most characters of JSON text one generated string value may have
 * @param maxDepth the deepest nesting generated
 * @param maxExtraFields the most fields added to one record
 */
public record HostileLimits(
        int maxRecordBytes, int maxKeyBytes, int maxStringChars, int maxDepth, int maxExtraFields) {

    /** 64 KB records and keys of up to 16 KB: enough to cross every bound the events declare. */
    public static final HostileLimits DEFAULT =
            new HostileLimits(64 * 1024, 16 * 1024, 20_000, 3_000, 200);

    /** Small records for suites that send thousands through a MiniCluster. */
    public static final HostileLimits SMALL = new HostileLimits(8 * 1024, 1024, 2_000, 1_200, 20);

    public HostileLimits {
        if (maxRecordBytes < 256 || maxKeyBytes < 1 || maxStringChars < 16 || maxDepth < 1) {
            throw new IllegalArgumentException(
                    "hostile limits too small: records >= 256 B, keys >= 1 B, strings >= 16,"
                            + " depth >= 1");
        }
        if (maxExtraFields < 0) {
            throw new IllegalArgumentException("maxExtraFields must be >= 0");
        }
    }
}
