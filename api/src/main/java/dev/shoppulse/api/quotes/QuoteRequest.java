package dev.shoppulse.api.quotes;

/** The body of {@code POST /v1/quotes}: price {@code quantity} of {@code sku} from a base price. */
public record QuoteRequest(String sku, Integer quantity, Long basePriceCents) {}
