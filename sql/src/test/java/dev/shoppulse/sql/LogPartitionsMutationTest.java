package dev.shoppulse.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The smallest settings the partition maintenance accepts, and what counts as a lock timeout. */
class LogPartitionsMutationTest {
    @Test
    void theSmallestValidSettingsAreAccepted() {
        assertThat(new LogPartitions(1, 0, 1, 1, 0)).isNotNull();
    }

    @Test
    void eachSettingBelowItsMinimumIsRefused() {
        assertThatThrownBy(() -> new LogPartitions(0, 0, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> new LogPartitions(1, -1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ahead");
        assertThatThrownBy(() -> new LogPartitions(1, 0, 0, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lock timeout");
        assertThatThrownBy(() -> new LogPartitions(1, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attempts");
        assertThatThrownBy(() -> new LogPartitions(1, 0, 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pause");
    }

    @Test
    void onlyLockNotAvailableIsALockTimeout() {
        assertThat(LogPartitions.isLockTimeout(new SQLException("lock", "55P03"))).isTrue();
        assertThat(LogPartitions.isLockTimeout(new SQLException("deadlock", "40P01"))).isFalse();
        assertThat(LogPartitions.isLockTimeout(new SQLException("no state"))).isFalse();
    }
}
