package dev.handshake.sink;

import dev.handshake.audit.benchmark.BenchmarkAudit.WorkflowReport;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.benchmark.Dimension;
import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.benchmark.Scorecard;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The two human-facing reports of a run: the CSV benchmark summary (RFC 4180, UTF-8, one row
 * per workflow, columns of outputs.md) and the review sheet in Markdown.
 */
public final class BenchmarkReports {
    public static final CSVFormat SUMMARY_FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(BenchmarkTables.SUMMARY_COLUMNS.toArray(String[]::new)).get();

    private BenchmarkReports() {}

    public static byte[] summaryCsv(LocalDate asOf, List<WorkflowReport> reports) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, SUMMARY_FORMAT)) {
            for (WorkflowReport r : reports) {
                List<Object> row = new ArrayList<>();
                row.add(asOf.toString());
                row.add(r.workflow().name());
                row.add(r.findings().leads());
                for (Dimension d : Dimension.values()) {
                    Integer score = r.scores().get(d).score();
                    row.add(score == null ? "" : score);
                }
                row.add(r.total().total());
                row.add(r.total().band() == null ? "" : r.total().band());
                row.add(r.total().complete());
                row.add(r.fork().firstForkLayer());
                row.add(r.fork().repairOwner() == null ? "" : r.fork().repairOwner());
                row.add(r.fork().nextMove());
                for (Dimension d : Dimension.values()) {
                    BigDecimal value = r.scores().get(d).value();
                    row.add(value == null ? "" : value.stripTrailingZeros().toPlainString());
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The sheet to bring into the revenue review: one section per workflow. */
    public static byte[] reviewSheet(LocalDate asOf, String runId, String currency, List<WorkflowReport> reports) {
        StringBuilder md = new StringBuilder();
        md.append("# Revenue handshake review sheet, as of ").append(asOf).append("\n\n");
        md.append("Run `").append(runId).append("`. Amounts in ").append(currency)
                .append(". Scores: 1 clean, 2 distorting, 3 breaking; total 6-8 CLEAN, 9-13 DISTORTING, 14-18 BREAKING.\n");
        for (WorkflowReport r : reports) {
            FirstFork.Fork f = r.fork();
            md.append("\n## ").append(escape(r.workflow().name())).append("\n\n");
            if (!r.workflow().description().isBlank()) {
                md.append(escape(r.workflow().description())).append("\n\n");
            }
            md.append("| | |\n|---|---|\n");
            row(md, "Leads in the workflow", Long.toString(r.findings().leads()));
            row(md, "Number in dispute", f.numberInDispute() == null ? "not computed (no sourced opportunity)"
                    : money(f.numberInDispute(), currency) + " = marketing-sourced " + money(r.findings().marketingNumber(), currency)
                    + " vs sales-accepted " + money(r.findings().salesNumber(), currency) + " vs finance-booked "
                    + money(r.findings().financeNumber(), currency));
            row(md, "Benchmark", r.total().total() + (r.total().complete() ? "" : " (incomplete)") + " "
                    + (r.total().band() == null ? "band not certain" : r.total().band()));
            row(md, "First fork", f.firstForkLayer());
            row(md, "Problem kind", f.problemKind());
            row(md, "Largest downstream symptom", f.downstreamSymptom());
            row(md, "Owner of the next repair", f.repairOwner() == null ? "-" : f.repairOwner());
            row(md, "Next move", f.nextMove());
            row(md, "Biggest funnel drop", r.biggestDrop() == null ? "none"
                    : r.biggestDrop().stage() + ": " + r.biggestDrop().dropped() + " of " + r.biggestDrop().entered()
                    + " leads do not reach the next stage");
            row(md, "Biggest failure impact", r.topFailure() == null ? "not computed"
                    : r.topFailure().handoff() + " / " + r.topFailure().failureType() + ": " + r.topFailure().records()
                    + " records, expected impact " + money(r.topFailure().expectedImpact(), currency));
            md.append("\n| dimension | value | score | records | examples |\n|---|---|---|---|---|\n");
            for (Dimension d : Dimension.values()) {
                Scorecard.DimensionScore s = r.scores().get(d);
                md.append("| ").append(d.key()).append(" | ")
                        .append(s.value() == null ? "-" : s.value().stripTrailingZeros().toPlainString() + " " + d.unit())
                        .append(" | ").append(s.score() == null ? "no score" : s.score().toString())
                        .append(" | ").append(s.records()).append(" | ")
                        .append(escape(String.join(", ", s.evidence().subList(0, Math.min(5, s.evidence().size())))))
                        .append(s.note() == null ? "" : " " + escape("(" + s.note() + ")")).append(" |\n");
            }
        }
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder md, String label, String value) {
        md.append("| ").append(label).append(" | ").append(escape(value)).append(" |\n");
    }

    private static String money(BigDecimal v, String currency) {
        return v == null ? "-" : FirstFork.money(v, currency);
    }

    /** Table cells must not break the Markdown table. */
    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
