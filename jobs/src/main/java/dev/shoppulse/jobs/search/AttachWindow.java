package dev.shoppulse.jobs.search;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a product's running count into a {@link ProductHourCount} carrying its hour. */
public final class AttachWindow
        extends ProcessWindowFunction<Long, ProductHourCount, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String productId, Context ctx, Iterable<Long> counts, Collector<ProductHourCount> out) {
        long count = counts.iterator().next();
        out.collect(
                new ProductHourCount(
                        productId, ctx.window().getStart(), ctx.window().getEnd(), count));
    }
}
