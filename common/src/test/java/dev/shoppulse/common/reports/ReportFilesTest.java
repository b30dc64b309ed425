package dev.shoppulse.common.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report store's layout, atomic writes and expiry. */
class ReportFilesTest {
    @TempDir Path root;

    @Test
    void aFailedWriteLeavesTheEarlierFileAndNoTemporaryOne() throws IOException {
        ReportFiles files = new ReportFiles(root);
        Path part = files.part("r1", LocalDate.of(2026, 1, 2));
        assertThat(part).isEqualTo(root.resolve("r1/parts/2026-01-02.csv"));
        ReportFiles.writeAtomically(part, tmp -> Files.writeString(tmp, "a\n"));
        assertThatThrownBy(
                        () ->
                                ReportFiles.writeAtomically(
                                        part,
                                        tmp -> {
                                            Files.writeString(tmp, "half");
                                            throw new IOException("disk full");
                                        }))
                .hasMessageContaining("cannot write");
        assertThat(Files.readString(part)).isEqualTo("a\n");
        try (var listed = Files.list(part.getParent())) {
            assertThat(listed).containsExactly(part);
        }
    }

    @Test
    void deleteRemovesTheReportsDirectoryAndIdsCannotEscapeTheRoot() throws IOException {
        ReportFiles files = new ReportFiles(root);
        String name = ReportFiles.resultName("r2", true);
        assertThat(name).isEqualTo("report-r2.csv.gz");
        ReportFiles.writeAtomically(files.result("r2", name), tmp -> Files.writeString(tmp, "x"));
        files.delete("r2");
        assertThat(root.resolve("r2")).doesNotExist();
        files.delete("r2"); // already gone: nothing to do
        assertThatThrownBy(() -> files.dir("../etc")).isInstanceOf(IllegalArgumentException.class);
    }
}
