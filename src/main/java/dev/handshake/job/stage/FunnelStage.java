package dev.handshake.job.stage;

import dev.handshake.audit.funnel.FunnelAudit;
import dev.handshake.audit.funnel.FunnelTable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The funnel (docs/definitions.md section 2): {@code audit_funnel}. */
public final class FunnelStage implements AuditStage<FunnelStage.Funnel> {

    public record Funnel(Dataset<Row> rows) implements StageResult {
        @Override
        public List<Output> outputs() {
            return List.of(new Output(FunnelTable.OUTPUT, rows));
        }
    }

    @Override
    public String name() {
        return "funnel";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        // The arrival journey is the kept journey plus a column: it reads the journey's rows.
        return Set.of(JourneyStage.class, FinanceArrivalStage.class, RunCoverageStage.class);
    }

    @Override
    public Funnel run(RunContext ctx) {
        FinanceArrivalStage.Arrival arrival = ctx.result(FinanceArrivalStage.class);
        return new Funnel(ctx.steps().step("funnel", () -> ctx.keep(FunnelAudit.run(arrival.journey(),
                ctx.result(RunCoverageStage.class).untracked().onLeads())),
                Dataset::count));
    }
}
