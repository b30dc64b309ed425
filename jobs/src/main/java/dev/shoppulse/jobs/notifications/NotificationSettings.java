package dev.shoppulse.jobs.notifications;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.redis.RedisSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The knobs of the notification job, taken from configuration. */
public record NotificationSettings(
        String providerUrl,
        int limit,
        Duration window,
        Duration quietWindow,
        List<String> securityFields,
        Duration requestTimeout,
        int maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration maxRetryAfter,
        int maxInFlight,
        int sinkParallelism,
        RedisSettings redis,
        String kafkaBootstrap,
        String sourceTopic,
        String notificationsDlqTopic,
        int maxDeadLetterBytes)
        implements Serializable {

    public NotificationSettings {
        securityFields = List.copyOf(securityFields);
        require(limit >= 1, "notifications.limit must be at least 1");
        require(window.toMillis() >= 1, "notifications.window must be positive");
        require(!quietWindow.isNegative(), "notifications.quiet-window must not be negative");
        require(requestTimeout.toMillis() >= 1, "notifications.request-timeout must be positive");
        require(maxAttempts >= 1, "notifications.max-attempts must be at least 1");
        require(
                backoffBase.toMillis() >= 1 && backoffMax.compareTo(backoffBase) >= 0,
                "notifications.backoff-base must be positive and at most notifications.backoff-max");
        require(maxRetryAfter.toMillis() >= 1, "notifications.max-retry-after must be positive");
        require(maxInFlight >= 1, "notifications.max-in-flight must be at least 1");
        require(sinkParallelism >= 1, "notifications.sink-parallelism must be at least 1");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static NotificationSettings from(ShopPulseConfig c) {
        return new NotificationSettings(
                c.get(NotificationsCapability.NOTIFY_PROVIDER_URL),
                c.getInt(NotificationsCapability.NOTIFY_LIMIT),
                c.getDuration(NotificationsCapability.NOTIFY_WINDOW),
                c.getDuration(NotificationsCapability.NOTIFY_QUIET_WINDOW),
                parseFields(c.get(NotificationsCapability.NOTIFY_SECURITY_FIELDS)),
                c.getDuration(NotificationsCapability.NOTIFY_REQUEST_TIMEOUT),
                c.getInt(NotificationsCapability.NOTIFY_MAX_ATTEMPTS),
                c.getDuration(NotificationsCapability.NOTIFY_BACKOFF_BASE),
                c.getDuration(NotificationsCapability.NOTIFY_BACKOFF_MAX),
                c.getDuration(NotificationsCapability.NOTIFY_MAX_RETRY_AFTER),
                c.getInt(NotificationsCapability.NOTIFY_MAX_IN_FLIGHT),
                c.getInt(NotificationsCapability.NOTIFY_SINK_PARALLELISM),
                RedisSettings.from(c),
                c.get(Settings.KAFKA_BOOTSTRAP),
                c.topic(NotificationsCapability.PROFILE_UPDATES),
                c.topic(NotificationsCapability.NOTIFICATIONS_DLQ),
                c.getInt(Settings.DLQ_MAX_VALUE_BYTES));
    }

    static List<String> parseFields(String csv) {
        return Arrays.stream(csv.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }

    /** The retry policy these settings describe. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(maxAttempts, backoffBase, backoffMax, maxRetryAfter);
    }

    /** How long a granted call may still reach the provider: its timeout plus slack. */
    public Duration lease() {
        return requestTimeout.plusSeconds(1);
    }
}
