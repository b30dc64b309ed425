package dev.shoppulse.bench;

import dev.shoppulse.common.config.ShopPulseConfig;

/**
 * One benchmark of {@code ./shoppulse bench NAME} (listed by name in {@link BenchMain}): measures
 * ShopPulse and its same-run baseline, prints its figures, and ends with one {@link Result} line.
 */
@FunctionalInterface
public interface Benchmark {
    /**
     * Runs the benchmark against the services {@code config} points at (the caller starts them) and
     * returns the RESULT figures. {@code args} are the benchmark's own flags.
     */
    Result run(ShopPulseConfig config, String[] args) throws Exception;
}
