package dev.shoppulse.jobs.orders;

import dev.shoppulse.common.events.OrderEventType;
import java.util.Arrays;
import java.util.Objects;

/**
 * The small per-order state of {@link OrderSequencer}, kept in one value so each event costs one
 * state read and one write instead of one per field.
 *
 * <p>Flink serializes this record with its POJO/record serializer, which evolves by field name: a
 * field added here restores as 0 (or null) from an older savepoint, so {@code idleTimer} and {@code
 * lastActive} must keep 0 meaning "not known yet" and the recent fingerprints null meaning "none
 * kept here". Never rename or retype a field.
 *
 * @param next the next expected seq
 * @param buffered how many events wait in the buffer
 * @param lastType type of the last emitted event, null before the first
 * @param gapTimer time of the registered gap timer, 0 for none, {@link #GAP_ALERTED} once a gap was
 *     alerted under the wait policy
 * @param cleanupTimer time of the registered clean-up timer, 0 for none
 * @param idleTimer time of the registered idle timer, 0 for none
 * @param lastActive processing time the order last emitted an event (or was created), 0 if not
 *     known (state restored from a savepoint written before this field existed)
 * @param recentSeqs the latest emitted seqs whose fingerprints are kept here rather than in the
 *     sequencer's emitted map, ascending; null for none (also what state restored from a savepoint
 *     written before this field existed holds: its fingerprints are all in the map)
 * @param recentFingerprints the fingerprints of {@code recentSeqs}, index for index
 */
public record OrderProgress(
        long next,
        int buffered,
        OrderEventType lastType,
        long gapTimer,
        long cleanupTimer,
        long idleTimer,
        long lastActive,
        long[] recentSeqs,
        String[] recentFingerprints) {

    static final long GAP_ALERTED = Long.MAX_VALUE;

    static final OrderProgress START = new OrderProgress(1, 0, null, 0, 0, 0, 0);

    private static final long[] NO_SEQS = new long[0];
    private static final String[] NO_FINGERPRINTS = new String[0];

    public OrderProgress {
        if ((recentSeqs == null) != (recentFingerprints == null)
                || (recentSeqs != null && recentSeqs.length != recentFingerprints.length)) {
            throw new IllegalArgumentException("recent seqs and fingerprints must pair up");
        }
    }

    /** A progress without fingerprints of its own, as written before they were kept here. */
    OrderProgress(
            long next,
            int buffered,
            OrderEventType lastType,
            long gapTimer,
            long cleanupTimer,
            long idleTimer,
            long lastActive) {
        this(next, buffered, lastType, gapTimer, cleanupTimer, idleTimer, lastActive, null, null);
    }

    OrderProgress withNext(long n) {
        return new OrderProgress(
                n,
                buffered,
                lastType,
                gapTimer,
                cleanupTimer,
                idleTimer,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress withBuffered(int b) {
        return new OrderProgress(
                next,
                b,
                lastType,
                gapTimer,
                cleanupTimer,
                idleTimer,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress emitted(long seq, OrderEventType type) {
        return new OrderProgress(
                seq + 1,
                buffered,
                type,
                gapTimer,
                cleanupTimer,
                idleTimer,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress withGapTimer(long t) {
        return new OrderProgress(
                next,
                buffered,
                lastType,
                t,
                cleanupTimer,
                idleTimer,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress withCleanupTimer(long t) {
        return new OrderProgress(
                next,
                buffered,
                lastType,
                gapTimer,
                t,
                idleTimer,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress withIdleTimer(long t) {
        return new OrderProgress(
                next,
                buffered,
                lastType,
                gapTimer,
                cleanupTimer,
                t,
                lastActive,
                recentSeqs,
                recentFingerprints);
    }

    OrderProgress withLastActive(long t) {
        return new OrderProgress(
                next,
                buffered,
                lastType,
                gapTimer,
                cleanupTimer,
                idleTimer,
                t,
                recentSeqs,
                recentFingerprints);
    }

    /** The same progress keeping exactly these recent fingerprints (empty arrays: none). */
    OrderProgress withRecent(long[] seqs, String[] fingerprints) {
        return new OrderProgress(
                next,
                buffered,
                lastType,
                gapTimer,
                cleanupTimer,
                idleTimer,
                lastActive,
                seqs,
                fingerprints);
    }

    /** How many fingerprints are kept here. */
    int recentCount() {
        return recentSeqs == null ? 0 : recentSeqs.length;
    }

    /** The fingerprint of {@code seq} if it is kept here, else null. */
    String recentFingerprint(long seq) {
        if (recentSeqs != null) {
            for (int i = recentSeqs.length - 1; i >= 0; i--) {
                if (recentSeqs[i] == seq) {
                    return recentFingerprints[i];
                }
            }
        }
        return null;
    }

    /** This progress with {@code seq}'s fingerprint added after the others (seqs only grow). */
    OrderProgress withRecentAdded(long seq, String fingerprint) {
        int n = recentCount();
        long[] seqs = Arrays.copyOf(recentSeqs == null ? NO_SEQS : recentSeqs, n + 1);
        String[] fps =
                Arrays.copyOf(
                        recentFingerprints == null ? NO_FINGERPRINTS : recentFingerprints, n + 1);
        seqs[n] = seq;
        fps[n] = fingerprint;
        return withRecent(seqs, fps);
    }

    /** This progress keeping only the recent fingerprints from index {@code from} on. */
    OrderProgress withRecentFrom(int from) {
        if (from == 0) {
            return this;
        }
        int n = recentCount();
        return withRecent(
                Arrays.copyOfRange(recentSeqs, from, n),
                Arrays.copyOfRange(recentFingerprints, from, n));
    }

    /** This progress without the recent fingerprints of seqs below {@code floor}. */
    OrderProgress withRecentAtLeast(long floor) {
        int from = 0;
        int n = recentCount();
        while (from < n && recentSeqs[from] < floor) {
            from++;
        }
        return withRecentFrom(from);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderProgress p
                && next == p.next
                && buffered == p.buffered
                && lastType == p.lastType
                && gapTimer == p.gapTimer
                && cleanupTimer == p.cleanupTimer
                && idleTimer == p.idleTimer
                && lastActive == p.lastActive
                && Arrays.equals(recentSeqs, p.recentSeqs)
                && Arrays.equals(recentFingerprints, p.recentFingerprints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(next, buffered, lastType, gapTimer, cleanupTimer, idleTimer, lastActive)
                        * 31
                + Arrays.hashCode(recentSeqs);
    }

    @Override
    public String toString() {
        return "OrderProgress[next="
                + next
                + ", buffered="
                + buffered
                + ", lastType="
                + lastType
                + ", gapTimer="
                + gapTimer
                + ", cleanupTimer="
                + cleanupTimer
                + ", idleTimer="
                + idleTimer
                + ", lastActive="
                + lastActive
                + ", recentSeqs="
                + Arrays.toString(recentSeqs)
                + "]";
    }

    /** Whether a real (not yet fired, not the alerted marker) gap timer is registered. */
    boolean hasArmedGapTimer() {
        return gapTimer != 0 && gapTimer != GAP_ALERTED;
    }

    /** Whether any of this order's timers is registered for {@code t}. */
    boolean usesTimer(long t) {
        return t != 0 && (gapTimer == t || cleanupTimer == t || idleTimer == t);
    }

    /** Whether the order has emitted its terminal event and waits for its clean-up. */
    boolean terminal() {
        return cleanupTimer != 0;
    }
}
