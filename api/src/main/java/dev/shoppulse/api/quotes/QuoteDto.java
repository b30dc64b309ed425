package dev.shoppulse.api.quotes;

/** The answer of {@code POST /v1/quotes}. */
public record QuoteDto(
        String clientId,
        String sku,
        int quantity,
        long priceCents,
        long riskCents,
        int paths,
        long computeMicros) {}
