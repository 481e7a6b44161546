package dev.handshake.sink;

import dev.handshake.audit.RunCoverage;
import dev.handshake.audit.benchmark.BenchmarkAudit.WorkflowReport;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.model.Dimension;
import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.sink.report.Fmt;
import dev.handshake.sink.report.Labels;
import dev.handshake.sink.report.ReportModel;
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
 * per workflow, columns of docs/outputs.md) and the review sheet in Markdown.
 */
public final class BenchmarkReports {
    public static final CSVFormat SUMMARY_FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(BenchmarkTables.SUMMARY_COLUMNS.toArray(String[]::new)).get();

    private BenchmarkReports() {}

    public static byte[] summaryCsv(LocalDate asOf, List<WorkflowReport> reports) {
        return summaryCsv(asOf, reports, null);
    }

    /** With the run's coverage in the appended coverage columns (blank when null). */
    public static byte[] summaryCsv(LocalDate asOf, List<WorkflowReport> reports, RunCoverage coverage) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, SUMMARY_FORMAT)) {
            for (WorkflowReport r : reports) {
                List<Object> row = new ArrayList<>();
                row.add(asOf.toString());
                row.add(r.workflow().name());
                row.add(r.findings().records());
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
                row.add(notMeasured(r));
                row.addAll(coverageCells(coverage));
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Each dimension without a score and why, e.g. "finance_lag: not measured: no bookings table". */
    static String notMeasured(WorkflowReport r) {
        List<String> parts = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (r.scores().get(d).score() == null) {
                String note = r.scores().get(d).note();
                parts.add(d.key() + ": " + (note == null ? "not scored" : note));
            }
        }
        return String.join("; ", parts);
    }

    private static List<Object> coverageCells(RunCoverage c) {
        if (c == null) {
            return java.util.Collections.nCopies(8, "");
        }
        long won = c.won().deals();
        return List.of(String.join(" ", c.tablesIn(RunCoverage.ABSENT)), String.join(" ", c.tablesIn(RunCoverage.EMPTY)),
                String.join(" ", c.stagesWithoutEvidence().stream().map(Enum::name).toList()), won,
                pctCell(c.won().withAmount(), won), pctCell(c.won().withCurrency(), won),
                pctCell(c.won().withFxRate(), won), pctCell(c.won().withLead(), won));
    }

    private static String pctCell(long part, long whole) {
        Double p = RunCoverage.pct(part, whole);
        return p == null ? "" : BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
    }

    /**
     * The sheet to bring into the revenue review, from the same model as the HTML page: plain
     * labels (codes in the glossary at the end), a summary across workflows with the change since
     * the previous night, each dimension's direction and thresholds, and the number in dispute taken
     * apart with the layer that explains each part.
     */
    public static byte[] reviewSheet(ReportModel m) {
        String cur = m.header().currency();
        StringBuilder md = new StringBuilder();
        md.append("# Revenue handshake review sheet, as of ").append(m.header().asOf()).append("\n\n");
        md.append("Run `").append(m.header().runId()).append("`. Amounts in ").append(cur).append(". ")
                .append(m.header().previousAsOf() == null ? "First night on record: no change to show."
                        : "Changes compare with the night of " + m.header().previousAsOf() + ".").append("\n\n");
        md.append("Each workflow is scored on six dimensions, 1 clean, 2 distorting, 3 breaking; the total of the six"
                + " gives the band: 6-8 Clean, 9-13 Distorting, 14-18 Breaking.\n");
        for (String w : m.warnings()) {
            md.append("\n**Warning:** ").append(escape(w)).append(".\n");
        }
        if (!m.coverageSummary().isEmpty()) {
            md.append("\n## What the inputs cover\n\n");
            m.coverageSummary().forEach(line -> md.append("- ").append(escape(line)).append("\n"));
        }
        md.append("\n## All workflows\n\n| Workflow | ").append(recordKind(m)).append(" | Band | Total | Change since previous night"
                + " | Sourced minus booked (").append(cur).append(") | Where the story first forks | Owner of the next repair |\n"
                + "|---|---:|---|---:|---|---:|---|---|\n");
        for (ReportModel.WorkflowCard w : m.workflows()) {
            md.append("| ").append(escape(w.name())).append(" | ").append(Fmt.count(w.records())).append(" | ")
                    .append(band(w.band())).append(" | ").append(w.total()).append(w.complete() ? "" : " (incomplete)")
                    .append(" | ").append(change(w)).append(" | ").append(Fmt.amount(w.numberInDispute()))
                    .append(" | ").append(Labels.of(w.firstFork())).append(" | ")
                    .append(escape(w.repairOwner() == null ? "-" : w.repairOwner())).append(" |\n");
        }
        if (!m.workflows().isEmpty()) {
            md.append("\n## How each dimension is scored\n\n| Dimension | Layer | Direction | Score 1 / 2 / 3 | What it measures |\n"
                    + "|---|---|---|---|---|\n");
            for (ReportModel.DimensionLine d : m.workflows().get(0).dimensions()) {
                md.append("| ").append(d.label()).append(" | ").append(d.layer()).append(" | ").append(d.direction())
                        .append(" | ").append(escape(d.thresholds())).append(" | ")
                        .append(escape(Labels.glossary(List.of(d.key())).get(0).meaning())).append(" |\n");
            }
        }
        for (ReportModel.WorkflowCard w : m.workflows()) {
            workflow(md, w, cur);
        }
        if (!m.movements().isEmpty()) {
            md.append("\n## Largest category movements since the previous night\n\n");
            for (CategoryMovement mv : m.movements()) {
                md.append("- ").append(escape(mv.fromCategory())).append(" -> ").append(escape(mv.toCategory()))
                        .append(": ").append(mv.rows()).append(mv.rows() == 1 ? " row, " : " rows, ")
                        .append(Fmt.money(mv.amount(), cur)).append("\n");
            }
        }
        md.append("\n## Glossary\n\nThe codes the tables and the CSV carry, in plain words.\n\n"
                + "| Code | Plain label | Meaning |\n|---|---|---|\n");
        for (Labels.Entry e : m.glossary()) {
            md.append("| `").append(e.code()).append("` | ").append(escape(e.label())).append(" | ")
                    .append(escape(e.meaning())).append(" |\n");
        }
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void workflow(StringBuilder md, ReportModel.WorkflowCard w, String cur) {
        md.append("\n## ").append(escape(w.name())).append("\n\n");
        if (!w.description().isBlank()) {
            md.append(escape(w.description())).append("\n\n");
        }
        md.append("| | |\n|---|---|\n");
        row(md, w.recordKind() + " in the workflow", Fmt.count(w.records()));
        row(md, "Benchmark", w.total() + (w.complete() ? "" : " (incomplete: some dimensions not scored)") + ", "
                + band(w.band()) + "; " + change(w));
        row(md, "Where the story first forks", Labels.of(w.firstFork()));
        row(md, "Kind of problem", Labels.of(w.problemKind()));
        row(md, "Largest downstream symptom", w.symptom());
        row(md, "Owner of the next repair", w.repairOwner() == null ? "-" : w.repairOwner());
        row(md, "Next move", w.nextMove());
        row(md, "Biggest funnel drop", w.biggestDrop() == null ? "none" : w.biggestDrop());
        row(md, "Biggest handoff failure", w.topFailure() == null ? Fmt.NOT_MEASURED : w.topFailure());
        md.append("\n### The number in dispute, taken apart\n\n");
        if (w.dispute().isEmpty()) {
            md.append("Not computed: the workflow has no sourced opportunity.\n");
        } else {
            md.append("| Part | Amount (").append(cur).append(") | Layer that explains it | What it is |\n|---|---:|---|---|\n");
            for (ReportModel.DisputeLine d : w.dispute()) {
                md.append("| ").append(d.depth() == 0 ? "**" + d.label() + "**" : "&nbsp;&nbsp;- " + d.label())
                        .append(" | ").append(Fmt.amount(d.amount())).append(" | ")
                        .append(d.layer() == null ? "-" : d.layer()).append(" | ").append(escape(d.meaning())).append(" |\n");
            }
            md.append("\nSourced = lost + still open + won; won = booked as claimed + booked differently + not booked.\n");
        }
        md.append("\n### Dimensions\n\n| Dimension | Direction | Score 1 / 2 / 3 | Value | Score | Records | Examples, worst first |\n"
                + "|---|---|---|---:|---|---:|---|\n");
        for (ReportModel.DimensionLine d : w.dimensions()) {
            md.append("| ").append(d.label()).append(" | ").append(d.direction()).append(" | ")
                    .append(escape(d.thresholds())).append(" | ").append(d.value()).append(" | ")
                    .append(d.score() == null ? "not scored" : d.score().toString()).append(" | ")
                    .append(Fmt.count(d.records())).append(" | ")
                    .append(d.examples().isEmpty() ? "none" : escape(d.examplesOf() + ": " + String.join(", ", d.examples())))
                    .append(d.note() == null ? "" : " " + escape("(" + d.note() + ")")).append(" |\n");
        }
    }

    /** What the workflows count tonight: one kind for every workflow of a night. */
    private static String recordKind(ReportModel m) {
        return m.workflows().isEmpty() ? "Leads" : m.workflows().get(0).recordKind();
    }

    private static String band(String band) {
        return band == null ? "band not certain" : Labels.of(band);
    }

    private static String change(ReportModel.WorkflowCard w) {
        if (w.previousTotal() == null) {
            return "no earlier night";
        }
        String before = w.previousTotal() + " " + band(w.previousBand());
        return w.previousTotal() == w.total() ? "unchanged since " + before : "was " + before;
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
