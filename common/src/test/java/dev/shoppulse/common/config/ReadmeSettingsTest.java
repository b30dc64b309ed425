package dev.shoppulse.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README's configuration table must list every setting with its real default. */
class ReadmeSettingsTest {

    static String expectedTable() {
        return Settings.all().stream()
                .filter(s -> !s.key().startsWith("topics."))
                .map(
                        s ->
                                "| `"
                                        + s.key()
                                        + "` | "
                                        + (s.defaultValue() == null
                                                ? "(env " + s.envName() + ")"
                                                : "`" + s.defaultValue() + "`")
                                        + " | "
                                        + s.description().replace("|", "\\|")
                                        + " |")
                .collect(Collectors.joining("\n"));
    }

    @Test
    void readmeListsEverySettingWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String start =
                "<!-- settings-table:start -->\n| key | default | description |\n|---|---|---|\n";
        int from = readme.indexOf(start);
        int to = readme.indexOf("<!-- settings-table:end -->");
        assertThat(from).as("README has the settings table markers").isNotNegative();
        String table = readme.substring(from + start.length(), to).strip();
        assertThat(table)
                .as("README settings table (replace it with the expected text below)")
                .isEqualTo(expectedTable());
    }

    /** Prints the table, for pasting into README after adding a setting. */
    public static void main(String[] args) {
        System.out.println(expectedTable());
    }
}
