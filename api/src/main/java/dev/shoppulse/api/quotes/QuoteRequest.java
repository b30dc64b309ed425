package dev.shoppulse.api.quotes;

import dev.shoppulse.api.http.Fields;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/quotes}: price {@code quantity} (1-10000) of {@code sku} (1-64
 * letters, digits, '_', '.', '-') from a base price of 1-100000000 cents.
 */
public record QuoteRequest(String sku, Integer quantity, Long basePriceCents) {
    static final Pattern SKU = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public QuoteRequest {
        Fields.matching("sku", sku, SKU, "1-64 letters, digits, '_', '.', '-'");
        Fields.range("quantity", quantity == null ? null : quantity.longValue(), 1, 10_000);
        Fields.range("basePriceCents", basePriceCents, 1, 100_000_000L);
    }
}
