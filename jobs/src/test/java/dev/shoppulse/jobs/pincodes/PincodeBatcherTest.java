package dev.shoppulse.jobs.pincodes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.events.PincodeUpdate;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyed batcher in an operator harness: size and timer flushes, dedup, state cleared. */
class PincodeBatcherTest {
    private KeyedOneInputStreamOperatorTestHarness<Integer, SourcedPincodeUpdate, PincodeBatch>
            harness;
    private long offset;

    @BeforeEach
    void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PincodeBatcher(3, 100)), u -> 0, Types.INT);
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static PincodeUpdate u(String email, String pin, long second) {
        return new PincodeUpdate(email, pin, Instant.ofEpochSecond(second));
    }

    /** The next update as the parse step passes it on, at the next offset of partition 1. */
    private StreamRecord<SourcedPincodeUpdate> rec(PincodeUpdate u) {
        return new StreamRecord<>(new SourcedPincodeUpdate(u, 1, offset++));
    }

    private List<PincodeBatch> batches() {
        return harness.extractOutputValues();
    }

    @Test
    void aFullBatchIsEmittedAtOnceSortedAndStateIsGone() throws Exception {
        harness.processElement(rec(u("c@x.in", "300001", 1)));
        harness.processElement(rec(u("a@x.in", "100001", 1)));
        assertThat(batches()).isEmpty();
        harness.processElement(rec(u("b@x.in", "200001", 1)));
        assertThat(batches()).hasSize(1);
        assertThat(batches().get(0).emails()).containsExactly("a@x.in", "b@x.in", "c@x.in");
        // Each update keeps the position it was read from, so the writer can cite it.
        assertThat(batches().get(0).sourced())
                .extracting(s -> s.partition() + "@" + s.offset())
                .containsExactly("1@1", "1@2", "1@0");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theLatestUpdatePerEmailWinsAndRepeatsDoNotFillTheBatch() throws Exception {
        harness.processElement(rec(u("a@x.in", "100001", 5)));
        harness.processElement(rec(u("A@x.in", "100002", 9)));
        harness.processElement(rec(u("a@x.in", "100003", 7)));
        assertThat(batches()).isEmpty();
        harness.setProcessingTime(100);
        assertThat(batches()).hasSize(1);
        PincodeBatch b = batches().get(0);
        assertThat(b.emails()).containsExactly("a@x.in");
        assertThat(b.pincodes()).containsExactly("100002");
        assertThat(b.updates().get(0).occurredAt()).isEqualTo(Instant.ofEpochSecond(9));
        assertThat(b.sourced().get(0).offset()).as("the winner's position").isEqualTo(1);
    }

    @Test
    void aPartialBatchWaitsForTheIntervalThenStateAndTimersAreGone() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(rec(u("a@x.in", "100001", 1)));
        harness.setProcessingTime(50);
        harness.processElement(rec(u("b@x.in", "100001", 1)));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(99);
        assertThat(batches()).isEmpty();
        harness.setProcessingTime(100);
        assertThat(batches().stream().map(PincodeBatch::size).collect(Collectors.toList()))
                .containsExactly(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }
}
