package dev.handshake.job.stage;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.job.stage.StageResult.Files;
import dev.handshake.sink.BenchmarkReports;
import dev.handshake.sink.report.ReportData;
import dev.handshake.sink.report.ReportModel;
import dev.handshake.sink.report.ReportPages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The night's report files (docs/report.md): the benchmark summary CSV, the review sheet and the
 * report page, staged with the tables; none when no workflow is configured.
 */
public final class ReportStage implements AuditStage<ReportStage.Reports> {

    public record Reports(Optional<Files> files) implements StageResult {}

    @Override
    public String name() {
        return "report";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(BenchmarkStage.class, CoverageStage.class, LedgerStage.class, FunnelStage.class,
                HandoffStage.class, ReconciliationStage.class, DriftStage.class, RunCoverageStage.class);
    }

    @Override
    public Reports run(RunContext ctx) {
        List<BenchmarkAudit.WorkflowReport> workflows = ctx.result(BenchmarkStage.class).reports();
        if (ctx.config().workflows().isEmpty()) {
            return new Reports(Optional.empty());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(BenchmarkTables.SUMMARY_CSV, BenchmarkReports.summaryCsv(ctx.asOf(), workflows,
                ctx.result(RunCoverageStage.class).coverage()));
        ReportData.Run run = new ReportData.Run(ctx.asOf(), ctx.runId(), ctx.fx().reportingCurrency(),
                ctx.inputCounts(), ctx.skipped(), ctx.result(CoverageStage.class).warnings(),
                ctx.result(LedgerStage.class).movements(),
                ctx.result(RunCoverageStage.class).coverage().lines());
        ReconciliationStage.Reconciled recon = ctx.result(ReconciliationStage.class);
        ReportData.Tables tables = new ReportData.Tables(ctx.result(FunnelStage.class).rows(),
                ctx.result(HandoffStage.class).figures(), recon.rows(), recon.bridge(), recon.metrics(),
                ctx.result(DriftStage.class).rows());
        ReportModel page = ctx.steps().step("report figures", () -> ReportData.build(run, tables, workflows,
                ctx.config().benchmark(), ctx.history().committedFiles(BenchmarkTables.REPORTS,
                        BenchmarkTables.SUMMARY_CSV), files.get(BenchmarkTables.SUMMARY_CSV)),
                p -> (long) p.workflows().size());
        files.put(BenchmarkTables.REVIEW_SHEET, BenchmarkReports.reviewSheet(page));
        files.put(BenchmarkTables.REPORT_HTML, ReportPages.report(page));
        BenchmarkStage.log(workflows);
        return new Reports(Optional.of(new Files(BenchmarkTables.REPORTS, files)));
    }
}
