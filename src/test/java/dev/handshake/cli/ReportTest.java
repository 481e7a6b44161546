package dev.handshake.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.CohortCoverage;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees at the end of a run: the files to read first, and warnings as warnings. */
class ReportTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 6, 30);

    @TempDir
    Path out;

    private String print(AuditJob.Outcome outcome) {
        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml")).withOutputRoot(out);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Report.printOutcome(new PrintStream(buf, true, StandardCharsets.UTF_8), AS_OF, outcome, config);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static AuditJob.Outcome outcome(List<SkippedFigure> skipped) {
        return new AuditJob.Outcome("r1", "file:/x", List.of(), skipped, 0, 0, List.of());
    }

    @Test
    void theFilesToReadFirstAreNamedOnlyWhenTheRunWroteThem() throws Exception {
        Path reports = Files.createDirectories(out.resolve("reports/as_of=2026-06-30"));
        Files.writeString(reports.resolve("review_sheet.md"), "#");
        Files.writeString(reports.resolve("benchmark_summary.csv"), "as_of");
        String printed = print(outcome(List.of()));
        assertTrue(printed.contains("read first:\n  review sheet  " + reports.resolve("review_sheet.md").toAbsolutePath()
                + "\n  summary CSV   " + reports.resolve("benchmark_summary.csv").toAbsolutePath() + "\n"), printed);
        assertFalse(printed.contains("HTML report"), "no report.html was written: " + printed);

        Files.writeString(reports.resolve("report.html"), "<html>");
        assertTrue(print(outcome(List.of())).contains("  HTML report   " + reports.resolve("report.html").toAbsolutePath()));
    }

    @Test
    void withoutReportsNothingIsOfferedToRead() {
        assertFalse(print(outcome(List.of())).contains("read first"));
    }

    @Test
    void aCoverageWarningIsPrintedAsAWarningNotAsAFigureNotComputed() {
        String printed = print(outcome(List.of(new SkippedFigure(CohortCoverage.FIGURE, "no lead was created"),
                new SkippedFigure("handoff tables", "no handoffs configured"))));
        assertTrue(printed.contains("warning: no lead was created\n"), printed);
        assertTrue(printed.contains("not computed: handoff tables (no handoffs configured)\n"), printed);
    }
}
