package dev.shoppulse.api.quotes;

import java.util.SplittableRandom;

/**
 * The expensive calculation: a Monte-Carlo simulation of a basket's price under demand and cost
 * shocks, {@code paths} lognormal draws per quote. Seeded from the request, so a quote is
 * reproducible, and genuinely CPU-bound, so the limiter has something real to protect.
 */
public final class QuoteCalculator {
    private static final double VOLATILITY = 0.25;

    private QuoteCalculator() {}

    /** {priceCents, riskCents}: expected price of the basket and its 95% one-sided risk. */
    public static long[] quote(String sku, int quantity, long basePriceCents, int paths) {
        SplittableRandom random = new SplittableRandom(sku.hashCode() * 31L + quantity);
        double discount = 1.0 - Math.min(0.3, Math.log1p(quantity) / 20);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < paths; i++) {
            // Box-Muller: a standard normal from two uniforms.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            double unit = basePriceCents * discount * Math.exp(VOLATILITY * z - VOLATILITY / 2);
            sum += unit;
            sumSq += unit * unit;
        }
        double mean = sum / paths;
        double sd = Math.sqrt(Math.max(0, sumSq / paths - mean * mean));
        return new long[] {Math.round(mean * quantity), Math.round(1.645 * sd * quantity)};
    }
}
