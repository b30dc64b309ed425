package dev.shoppulse.launcher;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every counter and gauge of the in-JVM MiniCluster in memory,
 * so the local runner can print job figures (summed over subtasks) without polling REST.
 */
public final class LocalMetrics implements MetricReporter, MetricReporterFactory {
    private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(name));
    }

    /**
     * Records of {@code job} its parse step has taken: parsed, or dead-lettered there. Once the
     * traffic stopped this reaching what was sent means the job has read all of it.
     */
    public static long parsedOrRejected(String job) {
        return sum(job, "parsed") + sum(job + ".parse.", "dlq");
    }

    /**
     * The sum over every registered metric whose identifier ends with {@code suffix} (for example
     * {@code orders.duplicates}) and contains {@code jobFragment}; counters and numeric gauges.
     */
    public static long sum(String jobFragment, String suffix) {
        long total = 0;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            String id = e.getKey();
            if (!id.endsWith("." + suffix) || !id.contains(jobFragment)) {
                continue;
            }
            Metric m = e.getValue();
            if (m instanceof Counter c) {
                total += c.getCount();
            } else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                total += n.longValue();
            }
        }
        return total;
    }
}
