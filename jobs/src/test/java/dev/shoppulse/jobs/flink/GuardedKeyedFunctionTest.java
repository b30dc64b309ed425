package dev.shoppulse.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.serde.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The poison guard around keyed and non-keyed functions, on Flink's operator harness. */
class GuardedKeyedFunctionTest {

    /**
     * Sums values per key; "poison" fails on data, "down" fails like a lost connection, and a timer
     * at 13 fails on data.
     */
    static final class Summer extends KeyedProcessFunction<String, String, Long> {
        private transient ValueState<Long> sum;

        @Override
        public void open(OpenContext ctx) {
            sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
        }

        @Override
        public void processElement(String v, Context ctx, Collector<Long> out) throws Exception {
            if (v.equals("poison")) {
                throw new ArithmeticException("long overflow");
            }
            if (v.equals("down")) {
                throw new SQLException("connection refused", "08001");
            }
            long s = (sum.value() == null ? 0 : sum.value()) + Long.parseLong(v);
            sum.update(s);
            ctx.timerService().registerProcessingTimeTimer(s);
            out.collect(s);
        }

        @Override
        public void onTimer(long ts, OnTimerContext ctx, Collector<Long> out) {
            if (ts == 13) {
                throw new java.time.DateTimeException("timer of a bad value");
            }
            out.collect(-ts);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, Long> harness()
            throws Exception {
        GuardedKeyedFunction<String, String, Long> guarded =
                new GuardedKeyedFunction<>(
                        new Summer(),
                        "sum",
                        Rejections.unpositioned(
                                "in",
                                100,
                                v -> v.getBytes(StandardCharsets.UTF_8),
                                v -> "k".getBytes(StandardCharsets.UTF_8)));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(guarded), v -> "k", Types.STRING);
        h.open();
        return h;
    }

    @Test
    void aRecordFailingOnDataIsDeadLetteredAndTheKeyGoesOn() throws Exception {
        try (var h = harness()) {
            h.processElement("5", 0);
            h.processElement("poison", 0);
            h.processElement("8", 0);
            assertThat(h.extractOutputValues()).containsExactly(5L, 13L);
            var dead = h.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS);
            assertThat(dead).hasSize(1);
            DeadLetter d = dead.peek().getValue();
            assertThat(d.valueAsText()).isEqualTo("poison");
            assertThat(d.stage()).isEqualTo("sum");
            assertThat(d.reason()).isEqualTo("ArithmeticException: long overflow");
            assertThat(d.partition()).isEqualTo(-1);
            assertThat(d.sourceTopic()).isEqualTo("in");
        }
    }

    @Test
    void aTransientFailureFailsTheTask() throws Exception {
        try (var h = harness()) {
            assertThatThrownBy(() -> h.processElement("down", 0)).isInstanceOf(SQLException.class);
            assertThat(h.getSideOutput(GuardedKeyedFunction.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void aTimerFailingOnDataIsSkippedAndLaterTimersStillFire() throws Exception {
        try (var h = harness()) {
            h.processElement("5", 0);
            h.processElement("8", 0);
            h.setProcessingTime(20);
            // Timer 5 fired (-5); timer 13 failed on data and was skipped; nothing escaped.
            assertThat(h.extractOutputValues()).containsExactly(5L, 13L, -5L);
        }
    }

    @Test
    void aCheckpointedFunctionIsRefused() {
        class Stateful extends KeyedProcessFunction<String, String, Long>
                implements org.apache.flink.streaming.api.checkpoint.CheckpointedFunction {
            @Override
            public void processElement(String v, Context ctx, Collector<Long> out) {}

            @Override
            public void snapshotState(org.apache.flink.runtime.state.FunctionSnapshotContext c) {}

            @Override
            public void initializeState(
                    org.apache.flink.runtime.state.FunctionInitializationContext c) {}
        }
        assertThatThrownBy(() -> new GuardedKeyedFunction<>(new Stateful(), "s", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGuardedStepDeadLettersWithThePositionTheRecordCarries() throws Exception {
        record Sourced(String value, int partition, long offset) {}
        GuardedFunction<Sourced, Long> step =
                GuardedFunction.of(
                        s -> Long.parseLong(s.value()),
                        "to-long",
                        Rejections.positioned(
                                "in",
                                3,
                                s -> s.value().getBytes(StandardCharsets.UTF_8),
                                s -> null,
                                s -> new long[] {s.partition(), s.offset()}));
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(step))) {
            h.open();
            h.processElement(new Sourced("42", 0, 1), 0);
            h.processElement(new Sourced("4x2", 1, 7), 0);
            assertThat(h.extractOutputValues()).containsExactly(42L);
            DeadLetter d = h.getSideOutput(GuardedFunction.DEAD_LETTERS).peek().getValue();
            assertThat(d.position()).isEqualTo("in/1@7");
            assertThat(d.valueAsText()).isEqualTo("4x2");
            assertThat(d.reason()).startsWith("NumberFormatException");
        }
    }

    @Test
    void aDeadLetterSurvivesAnEncoderThatFailsOnTheSameValue() {
        Rejections<String> r =
                Rejections.positioned(
                        "in",
                        100,
                        v -> {
                            throw new ArithmeticException("cannot encode");
                        },
                        v -> "k".repeat(5000).getBytes(StandardCharsets.UTF_8),
                        v -> {
                            throw new IllegalStateException("no position");
                        });
        DeadLetter d = r.deadLetter("bad", "why", "stage");
        assertThat(d.valueAsText()).isEqualTo("bad");
        assertThat(d.key()).hasSize(Rejections.MAX_KEY_BYTES);
        assertThat(d.partition()).isEqualTo(-1);
        assertThat(d.offset()).isEqualTo(-1);
    }
}
