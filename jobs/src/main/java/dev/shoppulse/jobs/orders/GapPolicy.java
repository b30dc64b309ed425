package dev.shoppulse.jobs.orders;

/** What the sequencer does once a gap has been open longer than the gap timeout. */
public enum GapPolicy {
    /**
     * Give up on the missing seqs and release the buffer. The order keeps moving and its state can
     * be cleaned up; a skipped seq that turns up later is dead-lettered. The default.
     */
    SKIP,
    /**
     * Keep waiting for the missing seq. Nothing is ever emitted out of completeness, but the
     * order's state lives until the gap closes or the buffer overflows.
     */
    WAIT
}
