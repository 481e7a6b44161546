package dev.handshake.job.stage;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The run's invariants (docs/definitions.md section 6): tables of the same run never disagree, or
 * the run fails naming the figures that do.
 */
public final class InvariantsStage implements AuditStage<StageResult> {

    @Override
    public String name() {
        return "run invariants";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(FunnelStage.class, ScopeStage.class, ReconciliationStage.class, BenchmarkStage.class,
                RunCoverageStage.class);
    }

    @Override
    public StageResult run(RunContext ctx) {
        ReconciliationStage.Reconciled recon = ctx.result(ReconciliationStage.class);
        Map<String, Long> workflowRecords = ctx.result(BenchmarkStage.class).reports().stream()
                .collect(Collectors.toMap(r -> r.workflow().name(), r -> r.findings().leads()));
        ctx.steps().step("run invariants", () -> {
            ctx.invariants().check(ctx.inputCounts(), ctx.quarantinedRows(), ctx.result(FunnelStage.class).rows(),
                    ctx.result(RunCoverageStage.class).handoffs(), ctx.result(ScopeStage.class).rows(), recon.audit(), recon.rows(),
                    recon.bridge(), workflowRecords);
            return (long) ctx.invariants().results().size();
        }, n -> n);
        return StageResult.NONE;
    }
}
