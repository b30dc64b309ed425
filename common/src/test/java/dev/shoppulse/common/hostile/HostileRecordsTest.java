package dev.shoppulse.common.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hostile generator covers every mutation kind, quickly. */
class HostileRecordsTest {
    private static final byte[] VALID =
            ("{\"eventId\":\"e1\",\"orderId\":\"o1\",\"seq\":1,\"type\":\"OrderPlaced\","
                            + "\"occurredAt\":\"2024-01-01T00:00:00Z\",\"payload\":{\"a\":[1,2]},"
                            + "\"fields\":[\"email\"],\"day\":\"2024-01-01\"}")
                    .getBytes(StandardCharsets.UTF_8);

    @Test
    void everyMutationKindAppearsAndGenerationIsFast() {
        HostileRecords gen = new HostileRecords(HostileLimits.DEFAULT);
        Random r = new Random(42);
        Set<String> ops = new HashSet<>();
        long start = System.nanoTime();
        for (int i = 0; i < 2_000; i++) {
            for (String k : gen.record(r, null, VALID).kind().split("\\+")) {
                ops.add(
                        k.contains(":")
                                ? k.substring(0, k.indexOf(':'))
                                : k.replaceAll("\\d+$", ""));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(ops)
                .contains(
                        "shaped",
                        "any",
                        "drop",
                        "duplicate",
                        "null",
                        "nest",
                        "case",
                        "inner",
                        "elements",
                        "add",
                        "wrap",
                        "truncate",
                        "trailing",
                        "raw",
                        "key");
        assertThat(millis).as("2000 records in %d ms", millis).isLessThan(20_000);
    }
}
