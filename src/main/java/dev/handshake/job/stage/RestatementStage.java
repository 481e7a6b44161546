package dev.handshake.job.stage;

import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.restatement.RestatementTables;
import dev.handshake.audit.restatement.Restatements;
import dev.handshake.config.ReconciliationSettings;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restatements of closed periods (docs/break-ledger.md): reads the previous successful night's
 * close state and returns {@code audit_restatements}, staged with the night's other tables so it
 * is replaced in the same unit; none without a close calendar or a bookings table.
 */
public final class RestatementStage implements AuditStage<RestatementStage.Restated> {
    private static final Logger LOG = LoggerFactory.getLogger(RestatementStage.class);

    public record Restated(List<Output> outputs) implements StageResult {
        public Restated {
            outputs = List.copyOf(outputs);
        }
    }

    @Override
    public String name() {
        return "restatements";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(FinanceArrivalStage.class, ReconciliationStage.class);
    }

    @Override
    public Restated run(RunContext ctx) {
        ReconciliationSettings settings = ctx.config().reconciliation();
        if (settings.periodCloseDays().isEmpty()) {
            ctx.skip(RestatementTables.NAME, "no close calendar configured: set "
                    + "reconciliation.period_close_days to follow closed periods");
            return new Restated(List.of());
        }
        Optional<String> financeAbsent = ctx.financeAbsent();
        if (financeAbsent.isPresent()) {
            ctx.skip(RestatementTables.NAME, financeAbsent.get());
            return new Restated(List.of());
        }
        RunContext.NightHistory history = ctx.history();
        Optional<Restatements.Previous> previous = history.previousSucceeded(RestatementTables.NAME)
                .map(night -> new Restatements.Previous(night.asOf(), history.read(RestatementTables.NAME, night.asOf())));
        if (previous.isEmpty()) {
            LOG.info("{}: no earlier night with the table, so tonight is the close state of every closed period",
                    RestatementTables.NAME);
        }
        return new Restated(List.of(new StageResult.Output(RestatementTables.OUTPUT, Restatements.run(new Restatements.Inputs(
                ctx.asOf(), ReconciliationAudit.contributions(ctx.result(FinanceArrivalStage.class).match(),
                        ctx.result(ReconciliationStage.class).rows()), previous,
                settings.periodCloseDays().getAsInt(), ctx.window().startDate())))));
    }
}
