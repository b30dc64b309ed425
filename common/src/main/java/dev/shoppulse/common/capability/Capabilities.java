package dev.shoppulse.common.capability;

import dev.shoppulse.common.comments.CommentsCapability;
import dev.shoppulse.common.logs.LogsCapability;
import dev.shoppulse.common.notifications.NotificationsCapability;
import dev.shoppulse.common.orders.OrdersCapability;
import dev.shoppulse.common.pincodes.PincodesCapability;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.search.SearchCapability;
import dev.shoppulse.common.topics.Topic;
import java.util.List;

/**
 * The registry: every capability, listed once, in README's order. Adding a capability means writing
 * its definition (settings, topics, job, routes, local traffic) and adding it here; the
 * configuration, the topic list, the cluster catalogue, the local run and the API read this list.
 */
public final class Capabilities {
    private Capabilities() {}

    public static final List<CapabilityDefinition> ALL =
            List.of(
                    OrdersCapability.DEFINITION,
                    RateLimitCapability.DEFINITION,
                    PincodesCapability.DEFINITION,
                    CommentsCapability.DEFINITION,
                    LogsCapability.DEFINITION,
                    NotificationsCapability.DEFINITION,
                    SearchCapability.DEFINITION,
                    ReportsCapability.DEFINITION);

    /** Routes of the API itself rather than of a capability. */
    public static final List<String> INFRASTRUCTURE_ROUTES =
            List.of("GET /health", "GET /health/details");

    /** Every job of every capability, in registry order. */
    public static List<JobDefinition> jobs() {
        return ALL.stream().flatMap(c -> c.jobs().stream()).toList();
    }

    /** Every topic, in registry order. */
    public static List<Topic<?>> topics() {
        return ALL.stream().flatMap(c -> c.topics().stream()).toList();
    }

    /** Every route the API serves: the infrastructure's, then each capability's. */
    public static List<String> routes() {
        return java.util.stream.Stream.concat(
                        INFRASTRUCTURE_ROUTES.stream(),
                        ALL.stream().flatMap(c -> c.routes().stream()))
                .toList();
    }

    /** The capability named {@code name}. */
    public static CapabilityDefinition named(String name) {
        return ALL.stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no capability " + name));
    }
}
