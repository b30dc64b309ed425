package dev.shoppulse.launcher.notifications;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.testing.ProviderSimulator;
import dev.shoppulse.jobs.notifications.NotificationJob;
import dev.shoppulse.launcher.Capability;
import dev.shoppulse.launcher.LocalCluster;
import dev.shoppulse.launcher.LocalMetrics;
import dev.shoppulse.launcher.Traffic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Profile-update emails in the local run: the provider simulator, the notification job and a bursty
 * profile-update producer.
 *
 * <p>Time-scaled so a one-minute run shows the limit at work: the simulator's window is {@code
 * local.provider-window} (6 s by default, instead of {@code notifications.window}), and the job's
 * limiter window and quiet window are scaled by the same factor.
 */
public final class NotificationsLocal implements Capability {
    private static final String JOB = NotificationJob.NAME;
    private static final List<String> PLAIN = List.of("name", "avatar", "bio", "city", "language");
    private static final List<String> SECURITY = List.of("password", "email", "phone");

    private final AtomicLong malformed = new AtomicLong();
    private ProviderSimulator provider;
    private Traffic traffic;

    @Override
    public String name() {
        return "notifications";
    }

    /** The configuration the job runs with in the local run: simulator URL and scaled windows. */
    static ShopPulseConfig scaled(ShopPulseConfig config, String providerUrl) {
        Duration window = config.getDuration(NotificationsCapability.LOCAL_PROVIDER_WINDOW);
        double factor =
                (double) window.toMillis()
                        / config.getDuration(NotificationsCapability.NOTIFY_WINDOW).toMillis();
        long quiet =
                Math.round(
                        config.getDuration(NotificationsCapability.NOTIFY_QUIET_WINDOW).toMillis()
                                * factor);
        return config.with(NotificationsCapability.NOTIFY_PROVIDER_URL, providerUrl)
                .with(NotificationsCapability.NOTIFY_WINDOW, window.toMillis() + "ms")
                .with(NotificationsCapability.NOTIFY_QUIET_WINDOW, quiet + "ms");
    }

    @Override
    public void submitJobs(LocalCluster cluster, ShopPulseConfig config) throws Exception {
        provider =
                ProviderSimulator.start(
                        config.getInt(NotificationsCapability.NOTIFY_LIMIT),
                        config.getDuration(NotificationsCapability.LOCAL_PROVIDER_WINDOW));
        ShopPulseConfig jobConfig = scaled(config, provider.url());
        cluster.submit(jobConfig, JOB, env -> NotificationJob.build(env, jobConfig));
    }

    @Override
    public void startTraffic(ShopPulseConfig config) {
        traffic = Traffic.toKafka(config, "notify-traffic");
        String topic = config.topic(NotificationsCapability.PROFILE_UPDATES);
        int burst = config.getInt(NotificationsCapability.LOCAL_PROFILE_BURST);
        double malformedRate = config.getDouble(Settings.LOCAL_MALFORMED_RATE);
        String run = Long.toString(System.currentTimeMillis(), 36);
        Random random = new Random();
        AtomicLong eventIds = new AtomicLong();
        traffic.every(
                config.getDuration(NotificationsCapability.LOCAL_PROFILE_BURST_INTERVAL).toMillis(),
                () -> {
                    for (int i = 0; i < burst; i++) {
                        // A pool of 3 bursts' worth of users: some update again within a window.
                        String user = "user-" + run + "-" + random.nextInt(burst * 3);
                        List<String> fields = new ArrayList<>();
                        fields.add(PLAIN.get(random.nextInt(PLAIN.size())));
                        if (random.nextDouble() < 0.05) {
                            fields.add(SECURITY.get(random.nextInt(SECURITY.size())));
                        }
                        ProfileUpdated u =
                                new ProfileUpdated(
                                        "pe-" + run + "-" + eventIds.incrementAndGet(),
                                        user,
                                        user + "@example.com",
                                        fields,
                                        Instant.now());
                        traffic.send(
                                topic,
                                user,
                                NotificationsCapability.PROFILE_UPDATES.codec().encode(u));
                        if (random.nextDouble() < malformedRate) {
                            malformed.incrementAndGet();
                            traffic.send(
                                    topic, user, "{\"userId\":".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                });
    }

    @Override
    public Map<String, Object> progress() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", traffic.sent());
        m.put("sent", provider == null ? 0 : provider.acceptedCount());
        m.put("inFlight", LocalMetrics.sum(JOB, "notifications.inFlight"));
        m.put("429s", LocalMetrics.sum(JOB, "notifications.rateLimited"));
        m.put("violations", provider == null ? 0 : provider.violations());
        return m;
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("notifications.updates_in", traffic.sent());
        m.put("notifications.sent", provider == null ? 0 : provider.acceptedCount());
        m.put("notifications.limit_violations", provider == null ? 0 : provider.violations());
        m.put("notifications.coalesced", LocalMetrics.sum(JOB, "notifications.coalesced"));
        // Every ".dlq" counter of the job: the parse steps' and the email sink's.
        m.put("notifications.dlq", LocalMetrics.sum(JOB, "dlq"));
        m.put("notifications.hostile_sent", traffic == null ? 0 : traffic.hostileSent());
        m.put("notifications.provider_calls", provider == null ? 0 : provider.calls().size());
        return m;
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.close();
        }
        if (provider != null) {
            // Stops answering; its record of calls stays readable for the SUMMARY.
            provider.close();
        }
    }
}
