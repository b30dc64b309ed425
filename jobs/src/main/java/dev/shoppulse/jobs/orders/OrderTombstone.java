package dev.shoppulse.jobs.orders;

/**
 * What {@link OrderSequencer} keeps of an order after clearing its state, so a late event of the
 * order is dead-lettered instead of starting the order afresh; it expires after {@code
 * orders.tombstone-ttl}.
 *
 * @param lastSeq the last seq emitted for the order, 0 if none was
 * @param abandoned true if the order was closed by the idle timeout, false after its terminal event
 */
public record OrderTombstone(long lastSeq, boolean abandoned) {}
