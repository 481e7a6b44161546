package dev.handshake.job.stage;

import dev.handshake.audit.drift.DriftAudit;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Night-over-night drift against the previous successful night: {@code audit_drift}. */
public final class DriftStage implements AuditStage<DriftStage.Drift> {

    public record Drift(Dataset<Row> rows) implements StageResult {
        @Override
        public List<Output> outputs() {
            return List.of(new Output(DriftAudit.OUTPUT, rows));
        }
    }

    @Override
    public String name() {
        return "drift";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(ReconciliationStage.class);
    }

    @Override
    public Drift run(RunContext ctx) {
        RunContext.NightHistory history = ctx.history();
        Optional<DriftAudit.PreviousRun> previous = history.previousSucceeded(ReconciliationTables.METRICS,
                ReconciliationTables.RECONCILIATION).map(night -> new DriftAudit.PreviousRun(night.runId(),
                        night.asOf(), history.read(ReconciliationTables.METRICS, night.asOf()),
                        history.read(ReconciliationTables.RECONCILIATION, night.asOf())));
        ReconciliationStage.Reconciled recon = ctx.result(ReconciliationStage.class);
        return new Drift(DriftAudit.run(recon.metrics(), recon.rows(), previous));
    }
}
