package dev.shoppulse.bench.search;

import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.launcher.search.ProductSeed;
import dev.shoppulse.launcher.search.Zipf;
import java.time.Instant;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The benchmark's searches: event {@code i} is a pure function of {@code i} (Zipf-skewed product,
 * event time spread evenly over {@code span}), so the Flink jobs and the PostgreSQL load see
 * exactly the same data set.
 */
public final class SearchGenerator implements GeneratorFunction<Long, SearchEvent> {
    private static final long serialVersionUID = 1L;

    private final int products;
    private final double zipfS;
    private final long startMs;
    private final long spanMs;
    private final long total;
    private transient Zipf zipf;

    public SearchGenerator(int products, double zipfS, long startMs, long spanMs, long total) {
        this.products = products;
        this.zipfS = zipfS;
        this.startMs = startMs;
        this.spanMs = spanMs;
        this.total = total;
    }

    @Override
    public SearchEvent map(Long index) {
        long i = index;
        return new SearchEvent(
                "e" + i,
                null,
                "s" + (i % 100_000),
                "q",
                productId(i),
                Instant.ofEpochMilli(timestamp(i)));
    }

    public String productId(long i) {
        if (zipf == null) {
            zipf = new Zipf(products, zipfS);
        }
        double u = (mix(i) >>> 11) * 0x1.0p-53;
        return ProductSeed.productId(zipf.sample(u));
    }

    public long timestamp(long i) {
        return startMs + (long) ((double) i * spanMs / total);
    }

    /** SplitMix64's finalizer: a well-spread hash of the index. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
