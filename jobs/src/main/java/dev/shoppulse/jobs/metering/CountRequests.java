package dev.shoppulse.jobs.metering;

import dev.shoppulse.common.events.ApiRequestEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Counts requests and 429s incrementally, so a window holds two numbers, not its events. */
public final class CountRequests implements AggregateFunction<ApiRequestEvent, Counts, Counts> {
    private static final long serialVersionUID = 1L;

    @Override
    public Counts createAccumulator() {
        return Counts.ZERO;
    }

    @Override
    public Counts add(ApiRequestEvent e, Counts acc) {
        return new Counts(acc.requests() + 1, acc.limited() + (e.limited() ? 1 : 0));
    }

    @Override
    public Counts getResult(Counts acc) {
        return acc;
    }

    @Override
    public Counts merge(Counts a, Counts b) {
        return a.plus(b);
    }
}
