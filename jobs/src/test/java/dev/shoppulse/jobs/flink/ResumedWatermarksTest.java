package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The watermark a restore would otherwise lose, and monotonic forwarding. */
class ResumedWatermarksTest {
    private static final long T = 1_767_571_200_000L;

    private static OneInputStreamOperatorTestHarness<String, String> harness() throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<>(
                        new ResumedWatermarks<String>(Duration.ofSeconds(30)));
        h.setProcessingTime(0);
        return h;
    }

    private static java.util.List<Object> watermarks(
            OneInputStreamOperatorTestHarness<String, String> h) {
        return h.getOutput().stream().filter(Watermark.class::isInstance).toList();
    }

    @Test
    void aRestoreEmitsTheWatermarkTheCheckpointedEventTimeImplies() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement("a", T);
            h.processElement("b", T + 90_000);
            h.processElement("c", T + 60_000);
            // The generator's periodic watermark for "b" never went out before the checkpoint.
            h.processWatermark(T - 1);
            snapshot = h.snapshot(1, 1);
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c");
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(watermarks(restored)).isEmpty();
            restored.setProcessingTime(1);
            assertThat(watermarks(restored)).containsExactly(new Watermark(T + 60_000 - 1));

            // The restarted generator starts low: nothing goes backwards, later marks pass.
            restored.processWatermark(T);
            restored.processWatermark(T + 70_000);
            assertThat(watermarks(restored))
                    .containsExactly(new Watermark(T + 60_000 - 1), new Watermark(T + 70_000));
        }
    }

    @Test
    void aFreshStartOrAnEmptyCheckpointInventsNoWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement("a", T);
            h.setProcessingTime(1);
            assertThat(watermarks(h)).isEmpty();
        }
        try (var h = harness()) {
            h.open();
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(1);
            assertThat(watermarks(restored)).isEmpty();
        }
    }
}
