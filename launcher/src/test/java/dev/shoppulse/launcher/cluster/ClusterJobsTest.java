package dev.shoppulse.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.orders.OrdersCapability;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The cluster catalogue lists exactly the jobs the shaded jar carries, each with a main. */
class ClusterJobsTest {

    @Test
    void catalogueMatchesTheJobsInTheShadedJar() throws Exception {
        List<String> inJar = new ArrayList<>();
        try (JarFile jar = new JarFile(ClusterArtifacts.jobsJar().toFile())) {
            for (var e : Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.startsWith("dev/shoppulse/jobs/") && n.endsWith("Job.class")) {
                    inJar.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        assertThat(inJar)
                .as("every *Job of the jar is in ClusterJobs.ALL (and README's catalogue)")
                .containsExactlyInAnyOrderElementsOf(
                        ClusterJobs.ALL.stream().map(JobDefinition::entryClass).toList());
        for (JobDefinition job : ClusterJobs.ALL) {
            assertThat(Class.forName(job.entryClass()).getMethod("main", String[].class))
                    .isNotNull();
        }
    }

    @Test
    void programArgumentsCarryConnectionSettingsButNeverSecrets() {
        ShopPulseConfig c =
                ShopPulseConfig.defaults()
                        .with(dev.shoppulse.common.config.Settings.POSTGRES_PASSWORD, "hunter2");
        List<String> args = ClusterJobs.programArgs(c);
        assertThat(args)
                .contains("--kafka.bootstrap", "--checkpoint.dir")
                .doesNotContain("hunter2");
        assertThat(args.size() % 2).isZero();
    }

    @Test
    void eachJobGetsItsTopicsAndEverySettingOfItsCapability() {
        ShopPulseConfig c =
                ShopPulseConfig.defaults()
                        .with(
                                dev.shoppulse.common.config.Settings.topicSetting("orders"),
                                "orders-x")
                        .with(OrdersCapability.ORDERS_GAP_TIMEOUT, "7m");
        List<String> orders = ClusterJobs.programArgs(c, ClusterJobs.ORDERS);
        assertThat(String.join(" ", orders))
                .contains("--topics.orders orders-x")
                .contains("--orders.gap-timeout 7m")
                .contains("--kafka.bootstrap ")
                .doesNotContain("--metering.")
                .doesNotContain("--topics.searches ");
        for (JobDefinition job : ClusterJobs.ALL) {
            List<String> args = ClusterJobs.programArgs(c, job);
            assertThat(args.size() % 2).isZero();
            for (var t : job.topics()) {
                assertThat(args).contains("--topics." + t.name());
            }
            for (var s : ClusterJobs.capabilityOf(job).settings()) {
                if (s.key().startsWith("local.")) {
                    assertThat(args)
                            .as("%s never gets the local run's settings", job.name())
                            .doesNotContain("--" + s.key());
                } else if (!s.secret() && s.defaultValue() != null) {
                    assertThat(args)
                            .as("%s gets its capability's %s", job.name(), s.key())
                            .contains("--" + s.key());
                }
            }
        }
    }
}
