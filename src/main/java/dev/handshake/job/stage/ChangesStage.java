package dev.handshake.job.stage;

import dev.handshake.audit.OpportunityChanges;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The opportunity changes in the window, for the bridges and the benchmark. */
public final class ChangesStage implements AuditStage<ChangesStage.Changes> {

    public record Changes(Dataset<Row> rows) implements StageResult {}

    @Override
    public String name() {
        return "opportunity changes";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(ScopeStage.class);
    }

    @Override
    public Changes run(RunContext ctx) {
        OpportunityChanges changes = OpportunityChanges.build(ctx.inputs(), ctx.result(ScopeStage.class).rows(),
                ctx.config().opportunityStages(), ctx.window());
        changes.skipped().forEach(ctx::skip);
        return new Changes(ctx.steps().step("opportunity changes", () -> ctx.keep(changes.rows()), Dataset::count));
    }
}
