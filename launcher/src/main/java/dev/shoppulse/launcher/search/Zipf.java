package dev.shoppulse.launcher.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples ranks 1..n with probability proportional to 1/rank^s (Zipf), by binary search over the
 * precomputed cumulative distribution: the usual shape of product popularity.
 */
public final class Zipf {
    private final double[] cdf;

    public Zipf(int n, double s) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1");
        }
        cdf = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1.0 / Math.pow(k, s);
            cdf[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
    }

    /** A rank in 1..n. */
    public int sample(SplittableRandom random) {
        return sample(random.nextDouble());
    }

    /** The rank at a uniform {@code u} in [0, 1): deterministic, for reproducible data sets. */
    public int sample(double u) {
        int i = Arrays.binarySearch(cdf, u);
        return Math.min(cdf.length, (i >= 0 ? i : -i - 1) + 1);
    }

    public int size() {
        return cdf.length;
    }
}
