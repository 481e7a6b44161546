package dev.handshake.job.stage;

import dev.handshake.audit.reconciliation.FinanceAbsent;
import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.model.CanonicalTable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The reconciliation, revenue bridges and metric comparison (docs/definitions.md section 3):
 * {@code audit_reconciliation}, {@code audit_revenue_bridge}, {@code audit_metric_comparison}.
 */
public final class ReconciliationStage implements AuditStage<ReconciliationStage.Reconciled> {

    /** The audit's result and its kept per-deal rows, bridge and metrics. */
    public record Reconciled(ReconciliationAudit.Result audit, Dataset<Row> rows, Dataset<Row> bridge,
                             Dataset<Row> metrics) implements StageResult {
        @Override
        public List<Output> outputs() {
            return List.of(new Output(ReconciliationTables.RECONCILIATION_OUTPUT, rows),
                    new Output(ReconciliationTables.BRIDGE_OUTPUT, bridge),
                    new Output(ReconciliationTables.METRICS_OUTPUT, metrics));
        }
    }

    private record Kept(ReconciliationAudit.Result audit, Dataset<Row> rows) {}

    @Override
    public String name() {
        return "reconciliation";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(ScopeStage.class, ChangesStage.class, FinanceArrivalStage.class);
    }

    @Override
    public Reconciled run(RunContext ctx) {
        Dataset<Row> scope = ctx.result(ScopeStage.class).rows();
        Dataset<Row> changes = ctx.result(ChangesStage.class).rows();
        FinanceArrivalStage.Arrival arrival = ctx.result(FinanceArrivalStage.class);
        // The reconciliation keeps its intermediates (won deals, bookings in scope, their
        // assignment) as it builds them: the step times that work, not only the write.
        Kept kept = ctx.steps().step("reconciliation", () -> {
            ReconciliationAudit.Result r = ReconciliationAudit.run(scope, changes, arrival.match(),
                    ctx.inputs().optional(CanonicalTable.MODELED_METRICS), new ReconciliationAudit.Context(
                            ctx.config().reconciliation(), ctx.config().reasonCategories(), ctx.window(), ctx.keeper()));
            return new Kept(r, ctx.keep(ctx.financeAbsent().isPresent()
                    ? FinanceAbsent.reconciliation(r.reconciliation()) : r.reconciliation()));
        }, k -> k.rows().count());
        ReconciliationAudit.Result recon = kept.audit();
        Dataset<Row> bridge = ctx.steps().step("revenue bridge", () -> ctx.keep(ctx.financeAbsent().isPresent()
                ? FinanceAbsent.bridge(recon.bridge()) : recon.bridge()), Dataset::count);
        Dataset<Row> metrics = ctx.steps().step("metric comparison", () -> ctx.keep(ctx.financeAbsent().isPresent()
                ? FinanceAbsent.metrics(recon.metrics()) : recon.metrics()),
                Dataset::count);
        if (ctx.inputs().optional(CanonicalTable.MODELED_METRICS).isEmpty()) {
            ctx.skip("audit_metric_comparison.modeled_value",
                    "modeled_metrics table absent: the translation layer's numbers cannot be compared");
        }
        long negativeBookings = arrival.match().negativeOutsideReversal().count();
        if (negativeBookings > 0) {
            ctx.steps().warn("input bookings: " + negativeBookings + " booking(s) in scope with a negative amount and a "
                    + "status that does not map to reversed");
            ctx.skip("implausible values in bookings", negativeBookings + " booking(s) in scope with a negative amount"
                    + " and a status that does not map to reversed, counted as given");
        }
        long excludedBookings = recon.excludedBookings().count();
        if (excludedBookings > 0) {
            ctx.skip("bookings with an excluded status", excludedBookings
                    + " booking(s) whose status maps to excluded are not bookings and are left out");
        }
        return new Reconciled(recon, kept.rows(), bridge, metrics);
    }
}
