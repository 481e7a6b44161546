package dev.handshake.job.stage;

import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.benchmark.WorkflowBasis;
import dev.handshake.audit.benchmark.WorkflowPopulation;
import dev.handshake.config.Workflow;
import dev.handshake.model.CanonicalTable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The opportunities in scope (docs/definitions.md), amounts in the reporting currency; on the
 * opportunity basis (no cohort lead) each carries the workflows its own fields put it in.
 */
public final class ScopeStage implements AuditStage<ScopeStage.Scope> {

    public record Scope(Dataset<Row> rows) implements StageResult {}

    @Override
    public String name() {
        return "opportunity scope";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(JourneyStage.class);
    }

    /** The journey and the scope are the lead table's only readers. */
    @Override
    public Set<CanonicalTable> lastReadOf() {
        return Set.of(CanonicalTable.LEADS);
    }

    @Override
    public Scope run(RunContext ctx) {
        if (!ctx.fx().hasRates()) {
            ctx.skip("amounts in currencies other than " + ctx.fx().reportingCurrency(),
                    "fx_rates table absent: such amounts are left out of money figures and counted");
        }
        JourneyStage.Journey journey = ctx.result(JourneyStage.class);
        Dataset<Row> scope = OpportunityScope.build(ctx.inputs(), journey.journey(), ctx.window(), ctx.fx());
        List<Workflow> workflows = ctx.config().workflows();
        if (journey.basis() == WorkflowBasis.OPPORTUNITIES && !workflows.isEmpty()) {
            ctx.skip("lead-level workflow figures", "no lead in the cohort: each workflow is evaluated on the"
                    + " opportunities in scope by their own lead_source, segment, owner_id and opportunity_type;"
                    + " what only leads show is not measured");
            WorkflowPopulation.TaggedScope tagged = WorkflowPopulation.tagOpportunities(scope, workflows);
            tagged.skipped().forEach(ctx::skip);
            scope = tagged.scope();
        }
        Dataset<Row> rows = scope;
        return new Scope(ctx.steps().step("opportunity scope", () -> ctx.keep(rows), Dataset::count));
    }
}
