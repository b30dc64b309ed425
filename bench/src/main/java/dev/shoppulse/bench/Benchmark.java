package dev.shoppulse.bench;

import dev.shoppulse.common.config.ShopPulseConfig;

/**
 * One benchmark of {@code ./shoppulse bench NAME}: measures ShopPulse and its same-run baseline,
 * prints its figures, and ends with one {@link Result} line.
 */
public interface Benchmark {
    /** The NAME on the command line and in the RESULT line. */
    String name();

    /** One line for the usage text. */
    String description();

    /**
     * Runs the benchmark against the services {@code config} points at (the caller starts them) and
     * returns the RESULT figures. {@code args} are the benchmark's own flags.
     */
    Result run(ShopPulseConfig config, String[] args) throws Exception;
}
