package dev.handshake.job.stage;

import dev.handshake.Checkpoints;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.benchmark.BenchmarkFacts;
import dev.handshake.audit.handoff.HandoffAudit;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.HandoffContract;
import dev.handshake.job.stage.StageResult.Output;
import dev.handshake.model.CanonicalTable;
import dev.handshake.sink.report.ReportData;
import dev.handshake.sink.report.ReportModel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The handoffs (docs/definitions.md section 4): {@code audit_handoff_failures},
 * {@code audit_failure_impact} and {@code audit_handoff_map}, or none when no handoff is configured.
 */
public final class HandoffStage implements AuditStage<HandoffStage.Handoffs> {

    /**
     * @param failures the evaluated records, kept for this stage's tables and released once they are written
     * @param benchmarkRows the benchmark's narrow copy of them, when workflows are configured
     * @param figures the report's handoff figures
     */
    public record Handoffs(Optional<Dataset<Row>> failures, Optional<Dataset<Row>> benchmarkRows,
                           ReportModel.Handoffs figures, List<Output> outputs) implements StageResult {
        public Handoffs {
            outputs = List.copyOf(outputs);
        }

        static Handoffs none() {
            return new Handoffs(Optional.empty(), Optional.empty(), ReportData.noHandoffs(), List.of());
        }

        @Override
        public void releaseWritten() {
            failures.ifPresent(Checkpoints::release);
        }
    }

    @Override
    public String name() {
        return "handoffs";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        // The arrival journey is the kept journey plus a column: it reads the journey's rows.
        return Set.of(JourneyStage.class, ScopeStage.class, FinanceArrivalStage.class, RunCoverageStage.class);
    }

    @Override
    public Handoffs run(RunContext ctx) {
        AuditConfig config = ctx.config();
        List<HandoffContract> contracts = ctx.result(RunCoverageStage.class).handoffs();
        if (contracts.isEmpty()) {
            ctx.skip("handoff tables", config.handoffs().isEmpty() ? "no handoffs configured"
                    : "no configured handoff is measurable (untracked stages)");
            return Handoffs.none();
        }
        boolean usersPresent = ctx.inputCounts().stream()
                .anyMatch(c -> c.table().equals(CanonicalTable.USERS.tableName()) && c.present());
        if (!usersPresent) {
            ctx.skip("receiving role of handoffs", "users table absent: whether the owner holds a receiving role"
                    + " cannot be judged; an owner counts as named when the record has one");
        }
        Dataset<Row> scope = ctx.result(ScopeStage.class).rows();
        FinanceArrivalStage.Arrival arrival = ctx.result(FinanceArrivalStage.class);
        HandoffAudit.Result handoffs = HandoffAudit.run(arrival.journey(),
                OpportunityScope.withFinanceArrival(scope, arrival.arrived()), ctx.inputs().table(CanonicalTable.USERS),
                new HandoffAudit.Context(contracts, config.roles(), config.reasonCategories(), ctx.window(),
                        usersPresent));
        Dataset<Row> failures = ctx.steps().step("handoff evaluation", () -> ctx.keep(handoffs.failures()),
                Dataset::count);
        Optional<Dataset<Row>> benchmarkRows = config.workflows().isEmpty() ? Optional.empty()
                : Optional.of(ctx.steps().step("benchmark handoff rows",
                        () -> ctx.keep(BenchmarkFacts.handoffRowsRead(failures)), Dataset::count));
        ctx.invariants().handoffRows(failures);
        HandoffAudit.Result summary = HandoffAudit.summarize(failures, scope, contracts);
        ReportModel.Handoffs figures = ctx.steps().step("report handoff figures",
                () -> ReportData.handoffs(summary.map(), summary.impact()), h -> (long) h.links().size());
        return new Handoffs(Optional.of(failures), benchmarkRows, figures, List.of(
                new Output(HandoffTables.FAILURES_OUTPUT, HandoffTables.published(failures)),
                new Output(HandoffTables.IMPACT_OUTPUT, summary.impact()),
                new Output(HandoffTables.MAP_OUTPUT, summary.map())));
    }
}
