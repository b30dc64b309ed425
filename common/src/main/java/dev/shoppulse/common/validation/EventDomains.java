package dev.shoppulse.common.validation;

import dev.shoppulse.common.config.ConfigException;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.search.SearchCapability;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The processing-time domain of every Kafka input, one factory per event type: its event time must
 * lie in a {@link TimeWindow} (not before {@code events.min-time}, not more than {@code
 * <capability>.max-future} ahead of now). Jobs pass these to their parse step.
 */
public final class EventDomains {
    private EventDomains() {}

    public static Domain<OrderEvent> orders(TimeWindow w) {
        return (e, now) -> w.violation("occurredAt", e.occurredAt(), now);
    }

    public static Domain<SearchEvent> searches(TimeWindow w) {
        return (e, now) -> w.violation("occurredAt", e.occurredAt(), now);
    }

    public static Domain<ApiRequestEvent> apiRequests(TimeWindow w) {
        return (e, now) -> w.violation("at", e.at(), now);
    }

    public static Domain<PincodeUpdate> pincodes(TimeWindow w) {
        return (e, now) -> w.violation("occurredAt", e.occurredAt(), now);
    }

    public static Domain<LogEntry> logs(TimeWindow w) {
        return (e, now) -> w.violation("loggedAt", e.loggedAt(), now);
    }

    public static Domain<ProfileUpdated> profileUpdates(TimeWindow w) {
        return (e, now) -> w.violation("occurredAt", e.occurredAt(), now);
    }

    public static Domain<ReportReady> reportReady(TimeWindow w) {
        return (e, now) -> w.violation("finishedAt", e.finishedAt(), now);
    }

    public static Domain<CommentReply> commentReplies(TimeWindow w) {
        return (e, now) -> w.violation("createdAt", e.createdAt(), now);
    }

    /**
     * Report requests: accepted in the window; the range starts no earlier than the floor's day and
     * covers at most {@code maxDays} days (each day is one shard, so the range bounds the work).
     * Future days are allowed: the API accepts them and they only yield empty shards.
     */
    public static Domain<ReportRequest> reportRequests(TimeWindow w, int maxDays) {
        return (e, now) -> {
            String v = w.violation("requestedAt", e.requestedAt(), now);
            LocalDate first = LocalDate.ofInstant(w.floor(), ZoneOffset.UTC);
            if (v == null && e.from().isBefore(first)) {
                v = "from " + e.from() + " is before " + first + " (events.min-time)";
            }
            if (v == null && e.days() > maxDays) {
                v =
                        "the range covers "
                                + e.days()
                                + " days; at most "
                                + maxDays
                                + " (reports.max-days)";
            }
            return v;
        };
    }

    /**
     * The default domain of an input type with the documented defaults (floor 2000-01-01, one hour
     * ahead), for steps built without configuration; {@link Domain#any()} for other types.
     */
    @SuppressWarnings("unchecked")
    public static <T> Domain<T> defaultFor(Class<T> type) {
        Object d;
        if (type == OrderEvent.class) {
            d = orders(TimeWindow.defaults(OrdersCapability.ORDERS_MAX_FUTURE.key()));
        } else if (type == SearchEvent.class) {
            d = searches(TimeWindow.defaults(SearchCapability.SEARCH_MAX_FUTURE.key()));
        } else if (type == ApiRequestEvent.class) {
            d = apiRequests(TimeWindow.defaults(RateLimitCapability.METERING_MAX_FUTURE.key()));
        } else if (type == PincodeUpdate.class) {
            d = pincodes(TimeWindow.defaults(PincodesCapability.PINCODES_MAX_FUTURE.key()));
        } else if (type == LogEntry.class) {
            d = logs(TimeWindow.defaults(LogsCapability.LOGS_MAX_FUTURE.key()));
        } else if (type == ProfileUpdated.class) {
            d =
                    profileUpdates(
                            TimeWindow.defaults(NotificationsCapability.NOTIFY_MAX_FUTURE.key()));
        } else if (type == ReportReady.class) {
            d = reportReady(TimeWindow.defaults(NotificationsCapability.NOTIFY_MAX_FUTURE.key()));
        } else if (type == CommentReply.class) {
            d =
                    commentReplies(
                            TimeWindow.defaults(NotificationsCapability.NOTIFY_MAX_FUTURE.key()));
        } else if (type == ReportRequest.class) {
            d =
                    reportRequests(
                            TimeWindow.defaults(ReportsCapability.REPORTS_MAX_FUTURE.key()),
                            Integer.parseInt(ReportsCapability.REPORTS_MAX_DAYS.defaultValue()));
        } else {
            d = Domain.any();
        }
        return (Domain<T>) d;
    }

    /** The window configured by {@code events.min-time} and the capability's {@code maxFuture}. */
    public static TimeWindow window(ShopPulseConfig config, Setting maxFuture) {
        String floor = config.get(Settings.EVENTS_MIN_TIME);
        Instant parsed;
        try {
            parsed = Instant.parse(floor);
        } catch (DateTimeException e) {
            throw new ConfigException(
                    "events.min-time must be an ISO-8601 instant such as 2000-01-01T00:00:00Z, was '"
                            + floor
                            + "'");
        }
        try {
            return new TimeWindow(parsed, config.getDuration(maxFuture), maxFuture.key());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
