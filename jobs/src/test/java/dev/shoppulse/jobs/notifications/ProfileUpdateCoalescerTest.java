package dev.shoppulse.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.events.Notification;
import dev.shoppulse.common.events.ProfileUpdated;
import dev.shoppulse.common.notifications.NotificationsCapability;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Coalescing per user in the quiet window; security changes skip it. */
class ProfileUpdateCoalescerTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static KeyedOneInputStreamOperatorTestHarness<
                    String, SourcedProfileUpdate, Notification>
            harness() throws Exception {
        ShopPulseConfig config =
                ShopPulseConfig.defaults().with(NotificationsCapability.NOTIFY_QUIET_WINDOW, "60s");
        var h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ProfileUpdateCoalescer(NotificationSettings.from(config)),
                        SourcedProfileUpdate::userId,
                        Types.STRING);
        h.setProcessingTime(1_000);
        return h;
    }

    /** An update as the parse step passes it on: with a Kafka position. */
    private static StreamRecord<SourcedProfileUpdate> record(ProfileUpdated u) {
        return new StreamRecord<>(new SourcedProfileUpdate(u, "profile-updates", 0, 0));
    }

    private static ProfileUpdated update(String id, String user, String... fields) {
        return new ProfileUpdated(id, user, user + "@example.com", List.of(fields), T0);
    }

    private static List<Notification> out(
            KeyedOneInputStreamOperatorTestHarness<String, SourcedProfileUpdate, Notification> h) {
        return h.extractOutputValues();
    }

    @Test
    void tenUpdatesInTheWindowBecomeOneEmailWithTheUnionOfFields() throws Exception {
        try (var h = harness()) {
            String[] fields = {"name", "avatar", "bio", "city", "name", "language", "bio"};
            for (int i = 0; i < 10; i++) {
                h.processElement(record(update("e" + i, "u1", fields[i % fields.length])));
                h.setProcessingTime(1_000 + i * 5_000L);
            }
            assertThat(out(h)).isEmpty();
            h.setProcessingTime(61_000);
            assertThat(out(h))
                    .containsExactly(
                            new Notification(
                                    "u1:e0",
                                    "u1",
                                    "u1@example.com",
                                    List.of("avatar", "bio", "city", "language", "name"),
                                    Notification.Priority.NORMAL,
                                    10,
                                    T0));
            assertThat(h.numKeyedStateEntries()).as("state gone").isZero();
            assertThat(h.numProcessingTimeTimers()).as("timers gone").isZero();
        }
    }

    @Test
    void inventedFieldNamesCannotGrowAPendingNotificationPastTheFieldLimit() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 20; i++) {
                String[] fields = new String[ProfileUpdated.MAX_FIELDS];
                for (int f = 0; f < fields.length; f++) {
                    fields[f] = "f" + i + "-" + f;
                }
                h.processElement(record(update("e" + i, "u1", fields)));
            }
            h.setProcessingTime(61_000);
            assertThat(out(h))
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.fields()).hasSize(ProfileUpdated.MAX_FIELDS);
                                assertThat(n.updates()).isEqualTo(20);
                            });
        }
    }

    @Test
    void aPasswordChangeIsMailedAtOnceWithWhatWasPending() throws Exception {
        try (var h = harness()) {
            h.processElement(record(update("e1", "u1", "name")));
            h.processElement(record(update("e2", "u1", "password")));
            assertThat(out(h))
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.priority()).isEqualTo(Notification.Priority.HIGH);
                                assertThat(n.fields()).containsExactly("name", "password");
                                assertThat(n.notificationId()).isEqualTo("u1:e1");
                            });
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(120_000);
            assertThat(out(h)).hasSize(1);
        }
    }

    @Test
    void aLonePasswordChangeIsNotDelayedAndLeavesNothingBehind() throws Exception {
        try (var h = harness()) {
            h.processElement(record(update("e9", "u2", "password")));
            assertThat(out(h))
                    .extracting(Notification::notificationId, Notification::priority)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(
                                    "u2:e9", Notification.Priority.HIGH));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void usersAreCoalescedSeparatelyAndLaterUpdatesStartANewNotification() throws Exception {
        try (var h = harness()) {
            h.processElement(record(update("a1", "ua", "name")));
            h.processElement(record(update("b1", "ub", "bio")));
            h.setProcessingTime(61_000);
            h.processElement(record(update("a2", "ua", "city")));
            h.setProcessingTime(121_000);
            assertThat(
                            out(h).stream()
                                    .map(Notification::notificationId)
                                    .collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("ua:a1", "ub:b1", "ua:a2");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void anEmailChangeAlertsThePreviousAddressAndTheNewOneUnderDistinctIds() throws Exception {
        ProfileUpdated change =
                new ProfileUpdated(
                        "e5",
                        "u3",
                        "attacker@evil.example",
                        List.of("email"),
                        T0,
                        "owner@example.com");
        try (var h = harness()) {
            h.processElement(record(change));
            List<Notification> sent = out(h);
            assertThat(sent)
                    .extracting(
                            Notification::notificationId,
                            Notification::email,
                            Notification::priority)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    "u3:e5:previous-address",
                                    "owner@example.com",
                                    Notification.Priority.HIGH),
                            org.assertj.core.groups.Tuple.tuple(
                                    "u3:e5", "attacker@evil.example", Notification.Priority.HIGH));
            assertThat(sent).allSatisfy(n -> assertThat(n.fields()).contains("email"));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
        // A replay of the same event yields the same two ids: the provider drops the repeats.
        try (var h = harness()) {
            h.processElement(record(change));
            assertThat(out(h))
                    .extracting(Notification::notificationId)
                    .containsExactlyInAnyOrder("u3:e5:previous-address", "u3:e5");
        }
    }

    @Test
    void withoutPreviousEmailThePendingAddressIsThePreviousOne() throws Exception {
        try (var h = harness()) {
            h.processElement(record(update("e1", "u4", "name")));
            h.processElement(
                    record(
                            new ProfileUpdated(
                                    "e2", "u4", "new@example.com", List.of("email"), T0)));
            assertThat(out(h))
                    .extracting(Notification::notificationId, Notification::email)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    "u4:e2:previous-address", "u4@example.com"),
                            org.assertj.core.groups.Tuple.tuple("u4:e1", "new@example.com"));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anUnknownOrUnchangedPreviousAddressSendsOnlyTheUsualAlert() throws Exception {
        try (var h = harness()) {
            h.processElement(
                    record(new ProfileUpdated("e1", "u5", "a@example.com", List.of("email"), T0)));
            h.processElement(
                    record(
                            new ProfileUpdated(
                                    "e2",
                                    "u5",
                                    "A@example.com",
                                    List.of("email"),
                                    T0,
                                    "a@example.com")));
            assertThat(out(h))
                    .extracting(Notification::notificationId)
                    .containsExactly("u5:e1", "u5:e2");
        }
    }
}
