package dev.shoppulse.jobs.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The N most counted products of one hour, kept exactly from a stream of per-product running
 * counts.
 *
 * <p>Why pruning to N is exact: a product's count only grows (provisional, on-time, then late
 * firings, and replays after a restart, all carry the running total), so a product that falls out
 * of the top N can only re-enter through a new, higher count of its own, which arrives as an
 * update. Ties are broken by productId, ascending, so every run ranks the same way.
 */
public final class TopN {
    /** Count descending, then productId ascending. */
    public static final Comparator<Map.Entry<String, Long>> ORDER =
            Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                    .reversed()
                    .thenComparing(Map.Entry::getKey);

    private final int n;
    private final Map<String, Long> counts = new HashMap<>();
    private String minId;
    private long minCount;

    public TopN(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("top-n must be at least 1");
        }
        this.n = n;
    }

    /**
     * Offers a product's running count (the larger of this and any earlier one wins); true when the
     * top N changed.
     */
    public boolean offer(String productId, long count) {
        Long cur = counts.get(productId);
        if (cur != null) {
            if (count <= cur) {
                return false;
            }
            counts.put(productId, count);
            if (productId.equals(minId)) {
                recomputeMin();
            }
            return true;
        }
        if (counts.size() < n) {
            counts.put(productId, count);
            recomputeMin();
            return true;
        }
        // Full: enter only by beating the current last place under the tie-break.
        if (count < minCount || (count == minCount && productId.compareTo(minId) > 0)) {
            return false;
        }
        counts.remove(minId);
        counts.put(productId, count);
        recomputeMin();
        return true;
    }

    private void recomputeMin() {
        minId = null;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long c = e.getValue();
            if (minId == null
                    || c < minCount
                    || (c == minCount && e.getKey().compareTo(minId) > 0)) {
                minId = e.getKey();
                minCount = c;
            }
        }
    }

    public long countOf(String productId) {
        return counts.getOrDefault(productId, 0L);
    }

    public int size() {
        return counts.size();
    }

    /** Best first. */
    public List<Map.Entry<String, Long>> ranked() {
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
        list.sort(ORDER);
        return list;
    }

    public HourRanking toRanking(long windowStart, long windowEnd, boolean provisional) {
        List<Map.Entry<String, Long>> r = ranked();
        String[] ids = new String[r.size()];
        long[] cs = new long[r.size()];
        for (int i = 0; i < r.size(); i++) {
            ids[i] = r.get(i).getKey();
            cs[i] = r.get(i).getValue();
        }
        return new HourRanking(windowStart, windowEnd, provisional, ids, cs);
    }
}
