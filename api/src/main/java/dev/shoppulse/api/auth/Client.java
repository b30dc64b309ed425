package dev.shoppulse.api.auth;

import java.util.Objects;
import java.util.Set;

/** An authenticated API client: who it is, the tier its limits come from and its scopes. */
public record Client(String id, String tier, Set<String> scopes) {
    public Client {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
        scopes = Set.copyOf(scopes);
    }

    /** A client without any scope. */
    public Client(String id, String tier) {
        this(id, tier, Set.of());
    }

    public boolean has(String scope) {
        return scopes.contains(scope);
    }
}
