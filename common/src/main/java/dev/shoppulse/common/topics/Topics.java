package dev.shoppulse.common.topics;

import dev.shoppulse.common.events.ApiRequestEvent;
import dev.shoppulse.common.events.CommentReply;
import dev.shoppulse.common.events.LogEntry;
import dev.shoppulse.common.events.OrderAlert;
import dev.shoppulse.common.events.OrderEvent;
import dev.shoppulse.common.events.PincodeUpdate;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.events.ReportReady;
import dev.shoppulse.common.events.ReportRequest;
import dev.shoppulse.common.events.SearchEvent;
import dev.shoppulse.common.serde.DeadLetter;
import dev.shoppulse.common.serde.JsonCodec;
import java.util.List;

/** Every Kafka topic ShopPulse reads or writes, with the type of its values. */
public final class Topics {
    private Topics() {}

    private static final JsonCodec<DeadLetter> DEAD_LETTERS = new JsonCodec<>(DeadLetter.class);

    public static final Topic<OrderEvent> ORDERS =
            new Topic<>(
                    "orders",
                    new JsonCodec<>(OrderEvent.class),
                    "Order events from producers, key = orderId.");
    public static final Topic<OrderEvent> ORDERS_SEQUENCED =
            new Topic<>(
                    "orders.sequenced",
                    new JsonCodec<>(OrderEvent.class),
                    "Each order's events exactly once, strictly in seq order (transactional).");
    public static final Topic<OrderAlert> ORDERS_ALERTS =
            new Topic<>(
                    "orders.alerts",
                    new JsonCodec<>(OrderAlert.class),
                    "Gaps, buffer overflows and impossible transitions.");
    public static final Topic<DeadLetter> ORDERS_DLQ =
            new Topic<>(
                    "orders.dlq", DEAD_LETTERS, "Rejected order records with reason and position.");

    // --- ratelimit ---
    public static final Topic<ApiRequestEvent> API_REQUESTS =
            new Topic<>(
                    "api-requests",
                    new JsonCodec<>(ApiRequestEvent.class),
                    "One access event per API request, key = clientId.");
    public static final Topic<DeadLetter> API_REQUESTS_DLQ =
            new Topic<>(
                    "api-requests.dlq",
                    DEAD_LETTERS,
                    "Rejected access events with reason and position.");
    // --- sql at scale (issue 6) ---
    public static final Topic<PincodeUpdate> PINCODE_UPDATES =
            new Topic<>(
                    "pincode-updates",
                    new JsonCodec<>(PincodeUpdate.class),
                    "Pincode changes {email, pincode, occurredAt}, key = email.");
    public static final Topic<DeadLetter> PINCODE_UPDATES_DLQ =
            new Topic<>(
                    "pincode-updates.dlq",
                    DEAD_LETTERS,
                    "Rejected pincode updates (malformed, invalid email or pincode).");
    public static final Topic<PincodeUpdate> PINCODE_UPDATES_UNKNOWN =
            new Topic<>(
                    "pincode-updates.unknown",
                    new JsonCodec<>(PincodeUpdate.class),
                    "Pincode updates for emails no user has (transactional).");
    public static final Topic<LogEntry> LOGS =
            new Topic<>(
                    "logs",
                    new JsonCodec<>(LogEntry.class),
                    "Application log rows {loggedAt, service, level, message}, key = service.");
    public static final Topic<DeadLetter> LOGS_DLQ =
            new Topic<>(
                    "logs.dlq",
                    DEAD_LETTERS,
                    "Rejected log rows: malformed, or outside the retention window.");
    public static final Topic<CommentReply> COMMENT_REPLIES =
            new Topic<>(
                    "comment-replies",
                    new JsonCodec<>(CommentReply.class),
                    "A reply to a comment, for notifying the parent's author, key = parent author.");
    // --- notifications (issue 4) ---
    public static final Topic<ProfileUpdated> PROFILE_UPDATES =
            new Topic<>(
                    "profile-updates",
                    new JsonCodec<>(ProfileUpdated.class),
                    "Profile changes from the profile service, key = userId.");
    public static final Topic<DeadLetter> PROFILE_UPDATES_DLQ =
            new Topic<>(
                    "profile-updates.dlq",
                    DEAD_LETTERS,
                    "Rejected profile-update records with reason and position.");
    public static final Topic<DeadLetter> NOTIFICATIONS_DLQ =
            new Topic<>(
                    "notifications.dlq",
                    DEAD_LETTERS,
                    "Notifications the provider refused for good (permanent 4xx, retries"
                            + " exhausted); value = the Notification JSON.");

    // --- search (issue 3) ---
    public static final Topic<SearchEvent> SEARCHES =
            new Topic<>(
                    "searches",
                    new JsonCodec<>(SearchEvent.class),
                    "Product searches from the storefront, key = userId or sessionId.");
    public static final Topic<DeadLetter> SEARCHES_DLQ =
            new Topic<>(
                    "searches.dlq",
                    DEAD_LETTERS,
                    "Rejected and too-late search records with reason and position.");
    // --- reports (issue 7) ---
    public static final Topic<ReportRequest> REPORT_REQUESTS =
            new Topic<>(
                    "report-requests",
                    new JsonCodec<>(ReportRequest.class),
                    "Accepted report requests for the report job, key = reportId.");
    public static final Topic<DeadLetter> REPORT_REQUESTS_DLQ =
            new Topic<>(
                    "report-requests.dlq",
                    DEAD_LETTERS,
                    "Rejected report requests (malformed, unknown type) with reason and position.");
    public static final Topic<ReportReady> REPORT_READY =
            new Topic<>(
                    "report-ready",
                    new JsonCodec<>(ReportReady.class),
                    "A report reached a final state (SUCCEEDED or FAILED), key = owner.");

    /** In the order README lists them. */
    public static final List<Topic<?>> ALL =
            List.of(
                    ORDERS,
                    ORDERS_SEQUENCED,
                    ORDERS_ALERTS,
                    ORDERS_DLQ,
                    API_REQUESTS,
                    API_REQUESTS_DLQ,
                    PINCODE_UPDATES,
                    PINCODE_UPDATES_DLQ,
                    PINCODE_UPDATES_UNKNOWN,
                    LOGS,
                    LOGS_DLQ,
                    COMMENT_REPLIES,
                    PROFILE_UPDATES,
                    PROFILE_UPDATES_DLQ,
                    NOTIFICATIONS_DLQ,
                    SEARCHES,
                    SEARCHES_DLQ,
                    REPORT_REQUESTS,
                    REPORT_REQUESTS_DLQ,
                    REPORT_READY);
}
