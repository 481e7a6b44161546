package dev.handshake.cli;

import dev.handshake.audit.CohortCoverage;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.config.AuditConfig;
import dev.handshake.job.AuditJob;
import dev.handshake.source.TableCount;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** What the commands print on stdout for a person at a terminal (logs go to stderr). */
final class Report {
    private Report() {}

    static void printCounts(PrintStream out, List<TableCount> counts) {
        out.printf(Locale.ROOT, "%-22s %12s %12s %12s %10s%n", "input table", "read", "accepted",
                "quarantined", "deleted");
        for (TableCount c : counts) {
            if (!c.present()) {
                out.printf(Locale.ROOT, "%-22s %12s%n", c.table(), "absent");
            } else {
                out.printf(Locale.ROOT, "%-22s %12d %12d %12d %10d%n", c.table(), c.rowsRead(),
                        c.rowsAccepted(), c.rowsQuarantined(), c.rowsDeleted());
            }
        }
    }

    static void printOutcome(PrintStream out, LocalDate asOf, AuditJob.Outcome outcome, AuditConfig config) {
        out.println("run " + outcome.runId() + " as_of=" + asOf + " SUCCEEDED");
        printCounts(out, outcome.inputs());
        for (SkippedFigure s : outcome.skipped()) {
            out.println(s.figure().equals(CohortCoverage.FIGURE) ? "warning: " + s.reason()
                    : "not computed: " + s.figure() + " (" + s.reason() + ")");
        }
        out.println("audit_funnel rows: " + outcome.funnelRows() + ", audit_quarantine rows: "
                + outcome.quarantinedRows());
        for (BenchmarkAudit.WorkflowReport r : outcome.workflows()) {
            out.printf(Locale.ROOT, "workflow %-22s %2d %-10s first fork %-21s %-20s in dispute %s%n",
                    r.workflow().name(), r.total().total(),
                    r.total().band() == null ? "(uncertain)" : r.total().band(),
                    r.fork().firstForkLayer(), r.fork().problemKind(),
                    r.fork().numberInDispute() == null ? "not computed"
                            : FirstFork.money(r.fork().numberInDispute(), config.reportingCurrency()));
        }
        out.println("tables: " + outcome.outputRoot() + "/<table>/as_of=" + asOf + "/");
        printReadFirst(out, config.outputRoot(), config.outputRoot().resolve(BenchmarkTables.REPORTS).resolve("as_of=" + asOf));
    }

    /** The run's warnings that its inputs may not reach the night (empty when they do). */
    static List<String> coverageWarnings(AuditJob.Outcome outcome) {
        return outcome.skipped().stream().filter(s -> s.figure().equals(CohortCoverage.FIGURE))
                .map(SkippedFigure::reason).toList();
    }

    /** The files a person opens first, when the run wrote them (no workflow configured: none). */
    private static void printReadFirst(PrintStream out, Path outputRoot, Path reports) {
        String[][] files = {{"review sheet", BenchmarkTables.REVIEW_SHEET}, {"summary CSV", BenchmarkTables.SUMMARY_CSV},
                {"HTML report", HTML_REPORT}};
        // After a run a local output root exists; one on hdfs:// or s3a:// is not seen from here.
        boolean local = Files.isDirectory(outputRoot);
        boolean header = false;
        for (String[] f : files) {
            Path file = reports.resolve(f[1]);
            // Off the local file system (hdfs://, s3a://) the reports cannot be checked from here.
            if (local ? Files.isRegularFile(file) : !f[1].equals(HTML_REPORT)) {
                if (!header) {
                    out.println("read first:");
                    header = true;
                }
                out.printf(Locale.ROOT, "  %-13s %s%n", f[0], local ? file.toAbsolutePath().normalize() : file);
            }
        }
    }

    /** Written by the HTML report of another change; named only when a run wrote it. */
    private static final String HTML_REPORT = "report.html";
}
