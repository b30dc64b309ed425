package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ReportReady;

/**
 * Turns a {@code report-ready} event into an email for the same throttled sink as profile updates:
 * one per report ({@link ReportReadyOnce} drops a replayed event, and the id {@code
 * report:<reportId>} is the provider's Idempotency-Key for a replay after a failure), addressed to
 * the report's owner, never coalesced.
 */
public final class ReportReadyNotifications {
    private ReportReadyNotifications() {}

    /**
     * The email for a finished report. The recipient is the owning API client's id: API clients
     * have no address column yet, so the provider (or a later lookup) maps client to address.
     */
    public static Notification of(ReportReady r) {
        return new Notification(
                "report:" + r.reportId(),
                r.owner(),
                r.owner(),
                java.util.List.of(
                        "report:" + r.reportId(),
                        "status:" + r.status(),
                        "download:" + (r.downloadPath() == null ? "-" : r.downloadPath())),
                Notification.Priority.NORMAL,
                1,
                r.finishedAt());
    }
}
