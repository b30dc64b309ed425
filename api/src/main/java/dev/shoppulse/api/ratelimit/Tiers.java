package dev.shoppulse.api.ratelimit;

import dev.shoppulse.common.config.ConfigException;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.ratelimit.RateLimitCapability;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The client tiers and the anonymous (per-IP) policy, from configuration. */
public final class Tiers {
    public static final String ANONYMOUS = "anonymous";

    private final Map<String, Policy> byName;
    private final Policy anonymous;

    public Tiers(Map<String, Policy> byName, Policy anonymous) {
        this.byName = Map.copyOf(byName);
        this.anonymous = anonymous;
    }

    public static Tiers from(ShopPulseConfig config) {
        Duration window = config.getDuration(RateLimitCapability.RATELIMIT_WINDOW);
        return new Tiers(
                parse(config.get(RateLimitCapability.RATELIMIT_TIERS), window),
                new Policy(
                        ANONYMOUS,
                        config.getInt(RateLimitCapability.RATELIMIT_ANONYMOUS_LIMIT),
                        window,
                        config.getInt(RateLimitCapability.RATELIMIT_ANONYMOUS_BURST),
                        0));
    }

    /** Parses {@code name:limit:burst:concurrency,...}. */
    public static Map<String, Policy> parse(String spec, Duration window) {
        Map<String, Policy> tiers = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] f = part.trim().split(":");
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected name:limit:burst:concurrency");
                }
                tiers.put(
                        f[0],
                        new Policy(
                                f[0],
                                Integer.parseInt(f[1]),
                                window,
                                Integer.parseInt(f[2]),
                                Integer.parseInt(f[3])));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "ratelimit.tiers: '"
                                + part
                                + "' is invalid ("
                                + e.getMessage()
                                + "); write e.g. free:60:10:2,pro:600:50:8");
            }
        }
        return tiers;
    }

    public Optional<Policy> tier(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Policy anonymous() {
        return anonymous;
    }
}
