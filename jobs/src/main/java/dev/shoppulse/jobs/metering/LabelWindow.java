package dev.shoppulse.jobs.metering;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Attaches the client, the window size label and the window end to a window's counts. */
final class LabelWindow extends ProcessWindowFunction<Counts, MeterCount, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String label;

    LabelWindow(String label) {
        this.label = label;
    }

    @Override
    public void process(
            String clientId, Context ctx, Iterable<Counts> counts, Collector<MeterCount> out) {
        Counts c = counts.iterator().next();
        out.collect(
                new MeterCount(clientId, label, ctx.window().getEnd(), c.requests(), c.limited()));
    }
}
