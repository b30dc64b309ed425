package dev.shoppulse.api.reports;

import java.time.Duration;

/**
 * Report settings, from configuration.
 *
 * @param maxActive queued or running reports per owner
 * @param maxDays longest range one report covers
 * @param expiry how long a report (and its file) is kept
 * @param ssePoll how often a progress stream looks for a change
 * @param maxStreams progress streams one client holds open at once
 */
public record ReportLimits(
        int maxActive, int maxDays, Duration expiry, Duration ssePoll, int maxStreams) {}
