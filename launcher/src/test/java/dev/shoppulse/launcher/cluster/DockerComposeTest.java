package dev.shoppulse.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoppulse.common.capability.JobDefinition;
import dev.shoppulse.common.config.Setting;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.topics.Topic;
import dev.shoppulse.common.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead:
 * services, pinned images matching the build's versions, the topics and jobs it creates and
 * submits, environment names that are real settings, and ports that README documents.
 */
class DockerComposeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static JsonNode services;
    private static String pom;
    private static String readme;

    @BeforeAll
    static void load() throws Exception {
        root = ClusterArtifacts.projectRoot();
        JsonNode compose = yaml(root.resolve("docker-compose.yml"));
        services = compose.path("services");
        pom = Files.readString(root.resolve("pom.xml"));
        readme = Files.readString(root.resolve("README.md"));
    }

    /** SnakeYAML (under jackson-dataformat-yaml) because it resolves anchors and aliases. */
    private static JsonNode yaml(Path file) throws Exception {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        return JSON.valueToTree(tree);
    }

    private static String property(String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom.xml property " + name).isTrue();
        return m.group(1).trim();
    }

    private static String projectVersion() {
        Matcher m =
                Pattern.compile(
                                "<artifactId>shoppulse-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void hasTheWholeStack() {
        assertThat(names(services))
                .containsExactlyInAnyOrder(
                        "kafka",
                        "redis",
                        "postgres",
                        "jobmanager",
                        "taskmanager",
                        "topics",
                        "submitter",
                        "api",
                        "prometheus");
    }

    @Test
    void imagesArePinnedAndFlinkAndKafkaMatchTheBuild() {
        for (String name : names(services)) {
            String image = services.path(name).path("image").asText();
            assertThat(image).as(name + " image").matches("[a-z0-9./-]+:v?\\d+\\.\\d+[\\w.-]*");
        }
        String flink = "flink:" + property("flink.version") + "-java17";
        for (String s : List.of("jobmanager", "taskmanager", "submitter")) {
            assertThat(services.path(s).path("image").asText()).isEqualTo(flink);
        }
        String kafka = "apache/kafka:" + property("kafka.version");
        assertThat(services.path("kafka").path("image").asText()).isEqualTo(kafka);
        assertThat(services.path("topics").path("image").asText()).isEqualTo(kafka);
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .as("KRaft, no ZooKeeper")
                .isEqualTo("broker,controller");
    }

    @Test
    void shopPulseEnvironmentNamesAreRealSettings() {
        Set<String> envNames =
                Settings.all().stream().map(Setting::envName).collect(Collectors.toSet());
        int checked = 0;
        for (String s : names(services)) {
            JsonNode env = services.path(s).path("environment");
            for (String key : names(env)) {
                if (key.startsWith("SHOPPULSE_")) {
                    assertThat(envNames).as(s + ": " + key).contains(key);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(services.path("api").path("environment").path("SHOPPULSE_API_PORT").asText())
                .isEqualTo(Settings.API_PORT.defaultValue());
    }

    @Test
    void createsEveryTopicAndSubmitsEveryJobOfTheJar() {
        String topics = services.path("topics").path("command").get(0).asText();
        Matcher m = Pattern.compile("for t in ([^;]+);").matcher(topics);
        assertThat(m.find()).isTrue();
        assertThat(List.of(m.group(1).trim().split("\\s+")))
                .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());

        String submit = services.path("submitter").path("command").get(0).asText();
        Matcher jobs = Pattern.compile("for c in ([^;]+);").matcher(submit);
        assertThat(jobs.find()).isTrue();
        assertThat(List.of(jobs.group(1).trim().split("\\s+")))
                .containsExactlyInAnyOrderElementsOf(
                        ClusterJobs.ALL.stream().map(JobDefinition::entryClass).toList());
        assertThat(submit).contains("/jars/shoppulse-jobs-" + projectVersion() + "-all.jar");
        assertThat(services.path("submitter").path("volumes").get(0).asText())
                .startsWith("./jobs/target:");
    }

    @Test
    void portsAndPrometheusScrapeTargetsAgreeWithFlinkConfigAndReadme() throws Exception {
        assertThat(ports("jobmanager")).containsExactly("8081:8081");
        assertThat(ports("api"))
                .containsExactly(
                        Settings.API_PORT.defaultValue() + ":" + Settings.API_PORT.defaultValue());
        assertThat(ports("prometheus")).containsExactly("9090:9090");
        String flinkProps =
                services.path("jobmanager").path("environment").path("FLINK_PROPERTIES").asText();
        assertThat(flinkProps)
                .contains(
                        "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .contains("state.backend.type: rocksdb");
        Matcher port = Pattern.compile("metrics.reporter.prom.port: (\\d+)").matcher(flinkProps);
        assertThat(port.find()).isTrue();
        JsonNode prom = yaml(root.resolve("deploy/prometheus.yml"));
        List<String> targets = new ArrayList<>();
        prom.path("scrape_configs")
                .get(0)
                .path("static_configs")
                .get(0)
                .path("targets")
                .forEach(t -> targets.add(t.asText()));
        assertThat(targets)
                .containsExactlyInAnyOrder(
                        "jobmanager:" + port.group(1), "taskmanager:" + port.group(1));

        String section = readme.substring(readme.indexOf("## Running on a Flink cluster"));
        for (String p : List.of("8081", "8080", "9090")) {
            assertThat(section).as("README cluster section mentions port " + p).contains(p);
        }
        for (JobDefinition job : ClusterJobs.ALL) {
            assertThat(section)
                    .as("README has a flink run line for " + job.entryClass())
                    .contains("flink run -d -c " + job.entryClass());
        }
    }

    private static List<String> ports(String service) {
        List<String> out = new ArrayList<>();
        services.path(service).path("ports").forEach(p -> out.add(p.asText()));
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
