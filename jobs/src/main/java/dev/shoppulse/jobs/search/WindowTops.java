package dev.shoppulse.jobs.search;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The {@link TopN} of every hour an operator still tracks, checkpointed as operator list state of
 * its entries. On rescaling the entries may land on another subtask; the merge is a max per product
 * per hour, so that changes nothing.
 */
final class WindowTops {
    private final int n;
    private final long windowMs;
    private final TreeMap<Long, TopN> byStart = new TreeMap<>();
    private ListState<ProductHourCount> state;

    WindowTops(int n, long windowMs) {
        this.n = n;
        this.windowMs = windowMs;
    }

    void initialize(StateInitializationContext ctx, String name) throws Exception {
        state =
                ctx.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        name, TypeInformation.of(ProductHourCount.class)));
        if (ctx.isRestored()) {
            for (ProductHourCount c : state.get()) {
                offer(c);
            }
        }
    }

    void snapshot() throws Exception {
        List<ProductHourCount> all = new ArrayList<>();
        for (Map.Entry<Long, TopN> w : byStart.entrySet()) {
            long start = w.getKey();
            for (Map.Entry<String, Long> e : w.getValue().ranked()) {
                all.add(new ProductHourCount(e.getKey(), start, start + windowMs, e.getValue()));
            }
        }
        state.update(all);
    }

    boolean offer(ProductHourCount c) {
        return byStart.computeIfAbsent(c.windowStart(), k -> new TopN(n))
                .offer(c.productId(), c.count());
    }

    TopN get(long windowStart) {
        return byStart.get(windowStart);
    }

    TreeMap<Long, TopN> all() {
        return byStart;
    }

    /** Forgets every hour whose allowed lateness has passed at this watermark. */
    void expire(long watermark, long latenessMs) {
        Iterator<Long> it = byStart.keySet().iterator();
        while (it.hasNext()) {
            long start = it.next();
            if (start + windowMs - 1 + latenessMs <= watermark) {
                it.remove();
            } else {
                break;
            }
        }
    }

    int windows() {
        return byStart.size();
    }
}
