package dev.shoppulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoppulse.common.capability.Capabilities;
import dev.shoppulse.common.capability.CapabilityDefinition;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.topics.Topics;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Every name a capability definition gives is real: its job's entry class, its local traffic, its
 * topics and routes in README. The launcher sees every module, so the names the definitions in
 * {@code common} can only spell out are resolved here.
 */
class CapabilityRegistryTest {
    private static final String README = readme();

    @Test
    void namesSettingsAndTopicsBelongToExactlyOneCapability() {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Set<String> topics = new HashSet<>();
        for (CapabilityDefinition c : Capabilities.ALL) {
            assertThat(names.add(c.name())).as("capability name %s is unique", c.name()).isTrue();
            assertThat(c.settings()).as("%s declares its settings", c.name()).isNotEmpty();
            for (Setting s : c.settings()) {
                assertThat(keys.add(s.key())).as("setting %s declared once", s.key()).isTrue();
            }
            for (Topic<?> t : c.topics()) {
                assertThat(topics.add(t.name())).as("topic %s declared once", t.name()).isTrue();
            }
        }
        assertThat(Topics.ALL).extracting(Topic::name).containsExactlyInAnyOrderElementsOf(topics);
    }

    @Test
    void everyJobIsARealEntryClassOverRegisteredTopics() throws Exception {
        for (JobDefinition job : Capabilities.jobs()) {
            Class<?> entry = Class.forName(job.entryClass());
            Method main = entry.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(job.entryClass()).isTrue();
            Method build =
                    entry.getMethod(
                            "build", StreamExecutionEnvironment.class, ShopPulseConfig.class);
            assertThat(Modifier.isStatic(build.getModifiers())).as(job.entryClass()).isTrue();
            assertThat(entry.getField("NAME").get(null))
                    .as("%s's NAME is its definition's", job.entryClass())
                    .isEqualTo(job.name());
            assertThat(Topics.ALL)
                    .as("%s's topics are registered", job.name())
                    .containsAll(job.topics());
        }
    }

    @Test
    void everyCapabilityHasItsLocalTraffic() throws Exception {
        List<Capability> local = LocalRun.capabilities();
        assertThat(local)
                .extracting(Capability::name)
                .containsExactlyElementsOf(
                        Capabilities.ALL.stream().map(CapabilityDefinition::name).toList());
        for (Capability c : local) {
            c.close();
        }
    }

    @Test
    void readmeListsEveryTopicRouteAndJob() {
        for (Topic<?> t : Topics.ALL) {
            assertThat(README)
                    .as("README's topic table has %s", t.name())
                    .contains("| `" + t.name() + "` |");
        }
        for (String route : Capabilities.routes()) {
            assertThat(README).as("README's API table has %s", route).contains("| `" + route + "`");
        }
        for (JobDefinition job : Capabilities.jobs()) {
            String simple = job.entryClass().substring(job.entryClass().lastIndexOf('.') + 1);
            assertThat(README)
                    .as("README's capability table has %s", simple)
                    .contains("| `" + simple + "`");
        }
    }

    private static String readme() {
        try {
            return Files.readString(Path.of("..", "README.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
