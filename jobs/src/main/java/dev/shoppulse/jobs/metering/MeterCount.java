package dev.shoppulse.jobs.metering;

/**
 * One client's requests in one sliding window.
 *
 * @param clientId the client (or {@code ip:<address>})
 * @param window the window size label: {@code 1m}, {@code 1h}, {@code 1d}
 * @param windowEnd end of the window, epoch ms (event time)
 * @param requests requests in the window
 * @param limited of which answered 429
 */
public record MeterCount(
        String clientId, String window, long windowEnd, long requests, long limited) {

    /**
     * Whether this count shows sustained abuse: at least {@code threshold} 429s in one minute. One
     * minute, not longer, so a client is blocked while the abuse is still going on; a whole minute,
     * not a burst, so one misconfigured retry loop of a few seconds is not punished.
     */
    public boolean abusive(int threshold) {
        return window.equals("1m") && limited >= threshold;
    }
}
