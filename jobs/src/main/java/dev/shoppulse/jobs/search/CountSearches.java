package dev.shoppulse.jobs.search;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental count of one product in one window: the window keeps a single long per key. */
public final class CountSearches implements AggregateFunction<ProductHourCount, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
        return 0L;
    }

    @Override
    public Long add(ProductHourCount partial, Long acc) {
        return acc + partial.count();
    }

    @Override
    public Long getResult(Long acc) {
        return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
        return a + b;
    }
}
