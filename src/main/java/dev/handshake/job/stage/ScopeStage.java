package dev.handshake.job.stage;

import dev.handshake.audit.OpportunityScope;
import dev.handshake.model.CanonicalTable;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The opportunities in scope (docs/definitions.md), amounts in the reporting currency. */
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
        return new Scope(ctx.steps().step("opportunity scope", () -> ctx.keep(OpportunityScope.build(ctx.inputs(),
                journey.journey(), ctx.window(), ctx.fx())), Dataset::count));
    }
}
