package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per user: updates within the quiet window after the first become one {@link Notification} listing
 * every changed field; a security-relevant change (email, password, phone by default) is mailed at
 * once with priority HIGH, taking whatever was pending along with it.
 *
 * <p>The window is fixed from the first update (processing time), not re-armed by each update: a
 * user who keeps editing still hears from us once per window, and the delay stays bounded. The
 * notification id is {@code userId:firstEventId}, so a replay after a restart rebuilds the same id
 * and the provider's idempotency drops the repeat. State and timer are gone once it is emitted.
 *
 * <p>An email change also alerts the previous address at once (HIGH, its own id {@link
 * Notification#previousAddressIdFor}): in an account takeover the new address is the attacker's, so
 * an alert that only goes there warns nobody. The previous address is the event's {@code
 * previousEmail}, else the address of this user's pending notification if it differs; when neither
 * is known only the new address hears of it.
 *
 * <p>Updates arrive with their Kafka position only so the guard around this function can cite it in
 * a dead letter; the keyed state holds no positions.
 */
public final class ProfileUpdateCoalescer
        extends KeyedProcessFunction<String, SourcedProfileUpdate, Notification> {
    private static final long serialVersionUID = 1L;

    private final long quietWindowMs;
    private final Set<String> securityFields;
    private transient ValueState<PendingNotification> pending;
    private transient Counter coalesced;
    private transient Counter urgent;
    private transient Counter emitted;
    private transient Counter previousAddressAlerts;

    /** The changed field that means the address itself changed. */
    static final String EMAIL_FIELD = "email";

    public ProfileUpdateCoalescer(NotificationSettings settings) {
        this.quietWindowMs = settings.quietWindow().toMillis();
        this.securityFields = Set.copyOf(settings.securityFields());
    }

    @Override
    public void open(OpenContext ctx) {
        pending =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "pending", TypeInformation.of(PendingNotification.class)));
        var group = getRuntimeContext().getMetricGroup().addGroup("notifications");
        coalesced = group.counter("coalesced");
        urgent = group.counter("urgent");
        emitted = group.counter("emitted");
        previousAddressAlerts = group.counter("previousAddressAlerts");
    }

    @Override
    public void processElement(SourcedProfileUpdate s, Context ctx, Collector<Notification> out)
            throws Exception {
        ProfileUpdated u = s.event();
        PendingNotification p = pending.value();
        if (u.changedFields().contains(EMAIL_FIELD)) {
            alertPreviousAddress(ctx.getCurrentKey(), u, p, out);
        }
        if (p == null) {
            long at = ctx.timerService().currentProcessingTime() + quietWindowMs;
            p =
                    new PendingNotification(
                            u.eventId(),
                            u.email(),
                            List.copyOf(new TreeSet<>(u.changedFields())),
                            1,
                            u.occurredAt(),
                            at);
        } else {
            p = p.merge(u.email(), u.changedFields());
            coalesced.inc();
        }
        if (u.changedFields().stream().anyMatch(securityFields::contains)) {
            if (p.updates() > 1) {
                ctx.timerService().deleteProcessingTimeTimer(p.timerAt());
            }
            urgent.inc();
            emit(ctx.getCurrentKey(), p, Notification.Priority.HIGH, out);
            return;
        }
        if (p.updates() == 1) {
            ctx.timerService().registerProcessingTimeTimer(p.timerAt());
        }
        pending.update(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Notification> out)
            throws Exception {
        PendingNotification p = pending.value();
        if (p != null && p.timerAt() == timestamp) {
            emit(ctx.getCurrentKey(), p, Notification.Priority.NORMAL, out);
        }
    }

    private void alertPreviousAddress(
            String userId, ProfileUpdated u, PendingNotification p, Collector<Notification> out) {
        String previous = u.previousEmail();
        if (previous == null && p != null) {
            previous = p.email();
        }
        if (previous == null || previous.equalsIgnoreCase(u.email())) {
            return;
        }
        previousAddressAlerts.inc();
        out.collect(
                new Notification(
                        Notification.previousAddressIdFor(userId, u.eventId()),
                        userId,
                        previous,
                        List.copyOf(new TreeSet<>(u.changedFields())),
                        Notification.Priority.HIGH,
                        1,
                        u.occurredAt()));
    }

    private void emit(
            String userId,
            PendingNotification p,
            Notification.Priority priority,
            Collector<Notification> out) {
        pending.clear();
        emitted.inc();
        out.collect(
                new Notification(
                        Notification.idFor(userId, p.firstEventId()),
                        userId,
                        p.email(),
                        p.fields(),
                        priority,
                        p.updates(),
                        p.firstOccurredAt()));
    }
}
