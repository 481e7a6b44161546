package dev.handshake.cli;

import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.job.AuditJob;
import dev.handshake.source.TableCount;
import java.io.PrintStream;
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

    static void printOutcome(PrintStream out, LocalDate asOf, AuditJob.Outcome outcome) {
        out.println("run " + outcome.runId() + " as_of=" + asOf + " SUCCEEDED");
        printCounts(out, outcome.inputs());
        for (SkippedFigure s : outcome.skipped()) {
            out.println("not computed: " + s.figure() + " (" + s.reason() + ")");
        }
        out.println("audit_funnel rows: " + outcome.funnelRows() + ", audit_quarantine rows: "
                + outcome.quarantinedRows());
        for (BenchmarkAudit.WorkflowReport r : outcome.workflows()) {
            out.printf(Locale.ROOT, "workflow %-24s total %2d %-10s first fork %-22s %s%n", r.workflow().name(),
                    r.total().total(), r.total().band() == null ? "(uncertain)" : r.total().band(),
                    r.fork().firstForkLayer(), r.fork().problemKind());
        }
        out.println("tables: " + outcome.outputRoot() + "/<table>/as_of=" + asOf + "/");
    }
}
