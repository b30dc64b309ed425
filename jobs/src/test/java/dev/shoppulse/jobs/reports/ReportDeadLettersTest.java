package dev.shoppulse.jobs.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.reports.ReportsCapability;
import dev.shoppulse.common.serde.DeadLetter;
import org.junit.jupiter.api.Test;

/** Dead letters of the split step still cite the request's Kafka position. */
class ReportDeadLettersTest {

    @Test
    void aRequestTheSplitRejectsCitesItsPosition() {
        ShopPulseConfig config = ShopPulseConfig.defaults();
        ReportTask t = new ReportTask("r1", "o1", "sales", 20_000, 20_001, 1, 7);
        DeadLetter d = ReportJob.tasks(config).deadLetter(t, "why", "split");
        assertThat(d.position())
                .isEqualTo(config.topic(ReportsCapability.REPORT_REQUESTS) + "/1@7");
        assertThat(new String(d.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("r1");
    }
}
