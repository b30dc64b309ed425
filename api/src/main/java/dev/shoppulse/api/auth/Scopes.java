package dev.shoppulse.api.auth;

import dev.shoppulse.common.config.ConfigException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** The scopes an API client can hold; each route names the one it needs in the route table. */
public final class Scopes {
    /** Request and read one's own reports. */
    public static final String REPORTS = "reports";

    /** Call the expensive quote endpoint. */
    public static final String QUOTES = "quotes";

    /** Write comments as oneself and delete one's own. */
    public static final String COMMENTS_WRITE = "comments:write";

    /** Delete anybody's comment. */
    public static final String COMMENTS_MODERATE = "comments:moderate";

    /** Bulk user changes (pincodes): a service call, never a storefront's. */
    public static final String USERS_WRITE = "users:write";

    /** Read any order's status (personal data). */
    public static final String ORDERS_READ = "orders:read";

    /** Operators: metrics and detailed health. */
    public static final String OPS = "ops";

    public static final Set<String> ALL =
            Set.of(
                    REPORTS,
                    QUOTES,
                    COMMENTS_WRITE,
                    COMMENTS_MODERATE,
                    USERS_WRITE,
                    ORDERS_READ,
                    OPS);

    private Scopes() {}

    /** Parses scopes separated by {@code +} or spaces; unknown names fail with the list. */
    public static Set<String> parse(String spec, String where) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : spec.trim().split("[+ ]+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (!ALL.contains(s)) {
                throw new ConfigException(
                        where + ": unknown scope '" + s + "'; known scopes are " + sorted());
            }
            out.add(s);
        }
        return Set.copyOf(out);
    }

    /** The known scopes in a space-separated list from storage; unknown ones grant nothing. */
    public static Set<String> known(String spec) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : spec.trim().split("[+ ]+")) {
            if (ALL.contains(s)) {
                out.add(s);
            }
        }
        return Set.copyOf(out);
    }

    static String sorted() {
        String[] a = ALL.toArray(String[]::new);
        Arrays.sort(a);
        return String.join(", ", a);
    }
}
