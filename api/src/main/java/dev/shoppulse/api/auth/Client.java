package dev.shoppulse.api.auth;

import java.util.Objects;

/** An authenticated API client and the tier its limits come from. */
public record Client(String id, String tier) {
    public Client {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
    }
}
