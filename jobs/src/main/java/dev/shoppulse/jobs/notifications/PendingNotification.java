package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.ProfileUpdated;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * A user's updates waiting for their quiet window to end (keyed state of {@link
 * ProfileUpdateCoalescer}).
 *
 * @param firstEventId the first update's id; with the user id it names the notification
 * @param email the latest email address
 * @param fields union of changed fields, sorted
 * @param updates how many updates were merged
 * @param firstOccurredAt when the first update happened
 * @param timerAt processing time the window ends (the registered timer)
 */
public record PendingNotification(
        String firstEventId,
        String email,
        List<String> fields,
        int updates,
        Instant firstOccurredAt,
        long timerAt) {

    public PendingNotification {
        fields = List.copyOf(fields);
    }

    /**
     * This batch with one more update merged in. The union keeps at most {@link
     * ProfileUpdated#MAX_FIELDS} names (the first in order): a real profile has far fewer fields,
     * so only a producer inventing names reaches it, and without the cap it would grow this state,
     * and the cost of every read and write of it, with each update of the quiet window.
     */
    PendingNotification merge(String newEmail, List<String> more) {
        TreeSet<String> union = new TreeSet<>(fields);
        union.addAll(more);
        while (union.size() > ProfileUpdated.MAX_FIELDS) {
            union.pollLast();
        }
        return new PendingNotification(
                firstEventId, newEmail, List.copyOf(union), updates + 1, firstOccurredAt, timerAt);
    }
}
