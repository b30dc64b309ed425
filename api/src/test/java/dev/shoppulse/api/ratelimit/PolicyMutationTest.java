package dev.shoppulse.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.common.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The edges of policies, tiers and the headers a decision writes. */
class PolicyMutationTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void aPolicyNeedsAPositiveLimitAndBurstAndNoNegativeConcurrency() {
        assertThat(new Policy("p", 1, MINUTE, 1, 0).concurrency()).isZero();
        assertThatThrownBy(() -> new Policy("p", 0, MINUTE, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("policy p")
                .hasMessageContaining("0/1/0");
        assertThatThrownBy(() -> new Policy("p", 1, MINUTE, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Policy("p", 1, MINUTE, 1, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1/1/-1");
    }

    @Test
    void theEmissionIntervalMustBeAtLeastOneMicrosecond() {
        // 1 s / 1,000,000 = exactly 1 µs: allowed; one more request per second is not.
        assertThat(new Policy("p", 1_000_000, Duration.ofSeconds(1), 1, 0).intervalMicros())
                .isEqualTo(1);
        assertThatThrownBy(() -> new Policy("p", 1_000_001, Duration.ofSeconds(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below 1 µs");
        assertThat(new Policy("p", 60, MINUTE, 1, 0).intervalMicros()).isEqualTo(1_000_000);
        assertThat(new Policy("p", 7, Duration.ofSeconds(1), 1, 0).intervalMicros())
                .isEqualTo(142_857);
    }

    @Test
    void dividingKeepsOneOfEachAndNoConcurrencyLimitStaysNone() {
        Policy p = new Policy("p", 100, MINUTE, 10, 4);
        assertThat(p.dividedBy(1)).isSameAs(p);
        assertThat(p.dividedBy(0)).isSameAs(p);
        assertThat(p.dividedBy(2)).isEqualTo(new Policy("p", 50, MINUTE, 5, 2));
        assertThat(p.dividedBy(1000)).isEqualTo(new Policy("p", 1, MINUTE, 1, 1));
        assertThat(new Policy("p", 100, MINUTE, 10, 0).dividedBy(3).concurrency()).isZero();
    }

    @Test
    void theHeaderWindowIsWholeSecondsAndNeverZero() {
        assertThat(new Policy("p", 5, Duration.ofMillis(500), 1, 0).header())
                .isEqualTo("\"p\";q=5;w=1");
        assertThat(new Policy("p", 5, Duration.ofSeconds(90), 1, 0).header())
                .isEqualTo("\"p\";q=5;w=90");
    }

    @Test
    void tiersSkipBlankPartsAndNameTheBadOne() {
        Map<String, Policy> tiers = Tiers.parse(" ,free:60:10:2,,", MINUTE);
        assertThat(tiers).containsOnlyKeys("free");
        assertThat(tiers.get("free")).isEqualTo(new Policy("free", 60, MINUTE, 10, 2));
        assertThat(Tiers.parse("a:1:1:0,b:2:2:1", MINUTE).keySet()).containsExactly("a", "b");
        assertThatThrownBy(() -> Tiers.parse("free:60:10:2,pro:x:1:1", MINUTE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'pro:x:1:1'")
                .hasMessageContaining("free:60:10:2,pro:600:50:8");
        assertThatThrownBy(() -> Tiers.parse("pro:1:1:1:1", MINUTE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected name:limit:burst:concurrency");
        // A policy the record refuses is a configuration error too.
        assertThatThrownBy(() -> Tiers.parse("pro:0:1:1", MINUTE))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void tiersAnswerByNameAndKeepTheAnonymousPolicy() {
        Policy anon = new Policy(Tiers.ANONYMOUS, 30, MINUTE, 5, 0);
        Tiers t = new Tiers(Tiers.parse("free:60:10:2", MINUTE), anon);
        assertThat(t.has("free")).isTrue();
        assertThat(t.has("pro")).isFalse();
        assertThat(t.tier("free")).contains(new Policy("free", 60, MINUTE, 10, 2));
        assertThat(t.tier("pro")).isEmpty();
        assertThat(t.anonymous()).isSameAs(anon);
    }

    @Test
    void retryAfterRoundsUpToWholeSecondsAndIsNeverZero() {
        assertThat(refused(0).retryAfterSeconds()).isEqualTo(1);
        assertThat(refused(1).retryAfterSeconds()).isEqualTo(1);
        assertThat(refused(1_000_000).retryAfterSeconds()).isEqualTo(1);
        assertThat(refused(1_000_001).retryAfterSeconds()).isEqualTo(2);
        assertThat(refused(2_500_000).retryAfterSeconds()).isEqualTo(3);
    }

    private static Decision refused(long retryAfterMicros) {
        return new Decision(
                false, 0, retryAfterMicros, 0, Decision.Reason.RATE, Decision.Source.REDIS, null);
    }

    @Test
    void anAllowedHeaderTellsTheResetAndARefusedOneTheRetry() {
        Policy p = new Policy("free", 60, MINUTE, 10, 0);
        List<Decision> allowed =
                List.of(
                        new Decision(
                                true, 4, 0, 1, Decision.Reason.OK, Decision.Source.REDIS, null),
                        new Decision(
                                true,
                                4,
                                0,
                                2_000_000,
                                Decision.Reason.OK,
                                Decision.Source.REDIS,
                                null),
                        new Decision(
                                true, -2, 0, 0, Decision.Reason.OK, Decision.Source.LOCAL, null));
        assertThat(allowed)
                .extracting(d -> d.header(p))
                .containsExactly("\"free\";r=4;t=1", "\"free\";r=4;t=2", "\"free\";r=0;t=0");
        assertThat(refused(2_500_000).header(p)).isEqualTo("\"free\";r=0;t=3");
        Decision u = Decision.unavailable();
        assertThat(u.allowed()).isFalse();
        assertThat(u.reason()).isEqualTo(Decision.Reason.UNAVAILABLE);
        assertThat(u.source()).isEqualTo(Decision.Source.CLOSED);
        assertThat(u.retryAfterSeconds()).isEqualTo(1);
        assertThat(u.leaseId()).isNull();
    }
}
