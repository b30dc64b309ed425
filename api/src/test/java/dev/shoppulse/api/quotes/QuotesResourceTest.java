package dev.shoppulse.api.quotes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.api.http.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request validation and the calculation itself, without HTTP. */
class QuotesResourceTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "null",
                "[]",
                "{\"sku\":\"a\",\"quantity\":0,\"basePriceCents\":10}",
                "{\"sku\":\"a\",\"quantity\":\"3\",\"basePriceCents\":10}",
                "{\"sku\":\"a b\",\"quantity\":1,\"basePriceCents\":10}",
                "{\"sku\":\"a\",\"quantity\":1}",
                "{\"sku\":\"a\",\"quantity\":1,\"basePriceCents\":-5}",
                "{\"sku\":\"a\",\"quantity\":10001,\"basePriceCents\":10}"
            })
    void badBodiesAreBadRequests(String body) {
        assertThatThrownBy(() -> QuotesResource.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    }

    @Test
    void quotesAreDeterministicAndNearTheDiscountedPrice() {
        long[] a = QuoteCalculator.quote("sku-1", 3, 1999, 50_000);
        long[] b = QuoteCalculator.quote("sku-1", 3, 1999, 50_000);
        assertThat(a).isEqualTo(b);
        // E[exp(σZ − σ/2)] = exp(σ²/2 − σ/2) ≈ 0.905 for σ = 0.25; discount for 3 ≈ 0.931.
        double expected = 1999 * 3 * 0.931 * Math.exp(0.25 * 0.25 / 2 - 0.25 / 2);
        assertThat((double) a[0])
                .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(a[1]).isPositive();
    }
}
