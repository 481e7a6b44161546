package dev.handshake.job.stage;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.ledger.BreakLedger;
import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.audit.ledger.LedgerTables;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.config.ReconciliationSettings;
import dev.handshake.job.BreakAlert;
import dev.handshake.job.stage.StageResult.Output;
import dev.handshake.model.CanonicalTable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The break ledger (docs/break-ledger.md): reads the previous successful night's ledger and
 * reconciliation, runs {@link BreakLedger}, and returns {@code audit_break_ledger},
 * {@code audit_category_transitions} and {@code audit_acknowledgements}, staged with the night's
 * other tables so they are replaced in the same unit.
 */
public final class LedgerStage implements AuditStage<LedgerStage.Ledger> {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerStage.class);
    /** Movements shown in the review sheet. */
    static final int MOVEMENTS_SHOWN = 5;

    /**
     * @param movements the largest category movements since the previous night, largest first
     * @param newBreaks tonight's unacknowledged new breaks, for {@code --fail-on-new-breaks}
     * @param acknowledged the {@code break_id}s acknowledged tonight, for {@code --fail-on-band};
     *                     empty without the acknowledgements input
     */
    public record Ledger(List<CategoryMovement> movements, BreakAlert.NewBreaks newBreaks, List<Output> outputs,
                         Optional<Dataset<Row>> acknowledged) implements StageResult {
        public Ledger {
            movements = List.copyOf(movements);
            outputs = List.copyOf(outputs);
        }
    }

    @Override
    public String name() {
        return "break ledger";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(ReconciliationStage.class, ScopeStage.class);
    }

    static BreakLedger.LagRule lagRule(ReconciliationSettings settings) {
        return new BreakLedger.LagRule(settings.lagHistoryNights(), settings.lagMinDeals(), settings.bookingLagDays());
    }

    @Override
    public Ledger run(RunContext ctx) {
        if (ctx.financeAbsent().isPresent()) {
            // No bookings table: no break can be told from a booking not yet made.
            return new Ledger(List.of(), BreakAlert.NewBreaks.NONE, List.of(), Optional.empty());
        }
        RunContext.NightHistory history = ctx.history();
        Optional<BreakLedger.Previous> previous = history.previousSucceeded(ReconciliationTables.RECONCILIATION,
                LedgerTables.LEDGER).map(night -> new BreakLedger.Previous(night.asOf(),
                        history.read(LedgerTables.LEDGER, night.asOf()),
                        history.read(ReconciliationTables.RECONCILIATION, night.asOf())));
        if (previous.isEmpty()) {
            ctx.skip("audit_break_ledger history", "no previous successful night with a ledger: "
                    + "every break is NEW and every category transition comes from (new)");
        }
        Dataset<Row> scope = ctx.result(ScopeStage.class).rows();
        Dataset<Row> deals = scope.filter(col(OpportunityScope.WON_ON).isNotNull()).select(
                col(OpportunityScope.ID).as(BreakLedger.DEAL_ID), col(OpportunityScope.WON_ON).as(BreakLedger.CLOSE_DATE),
                col(OpportunityScope.PREFIX + "owner_id").as(BreakLedger.DEAL_OWNER));
        Dataset<Row> bookingDates = ctx.inputs().table(CanonicalTable.BOOKINGS).select(
                col("booking_id").as(BreakLedger.BOOKING_ID), col("booking_date").as(BreakLedger.BOOKING_DATE));
        Optional<Dataset<Row>> acknowledgements = ctx.inputs().optional(CanonicalTable.ACKNOWLEDGEMENTS);
        if (acknowledgements.isEmpty()) {
            ctx.skip("acknowledged breaks", "acknowledgements table absent: no break is "
                    + "acknowledged, every break counts in the alerts");
        }
        BreakLedger.Result computed = BreakLedger.run(new BreakLedger.Inputs(ctx.asOf(),
                ctx.result(ReconciliationStage.class).rows(), deals, bookingDates, previous, acknowledgements,
                ctx.config().lookbackDays(), lagRule(ctx.config().reconciliation())));
        // The ledger feeds its table, the acknowledgements and the alert; the transitions their
        // table and the review sheet: each is computed once.
        Dataset<Row> ledger = ctx.keep(computed.ledger());
        Dataset<Row> transitions = ctx.keep(computed.transitions());
        List<Output> outputs = new ArrayList<>(List.of(new Output(LedgerTables.LEDGER_OUTPUT, ledger),
                new Output(LedgerTables.TRANSITIONS_OUTPUT, transitions)));
        computed.acknowledgements().ifPresent(acks -> {
            outputs.add(new Output(LedgerTables.ACKNOWLEDGEMENTS_OUTPUT, acks));
            long unknown = acks.filter(col(LedgerTables.STATE).equalTo(LedgerTables.ACK_UNKNOWN_BREAK)).count();
            if (unknown > 0) {
                LOG.warn("{} acknowledgement(s) name a break_id the ledger does not know: see {} (state {})", unknown,
                        LedgerTables.ACKNOWLEDGEMENTS, LedgerTables.ACK_UNKNOWN_BREAK);
                ctx.skip("acknowledgements", unknown + " acknowledgement(s) name an unknown "
                        + "break_id and apply to nothing (state " + LedgerTables.ACK_UNKNOWN_BREAK + " in "
                        + LedgerTables.ACKNOWLEDGEMENTS + ")");
            }
        });
        Row fresh = ledger
                .filter(col(LedgerTables.STATUS).isin(LedgerTables.NEW, LedgerTables.REOPENED)
                        .and(col(LedgerTables.ACKNOWLEDGED).equalTo(false)))
                .agg(count(lit(1)), coalesce(sum(abs(col(LedgerTables.AMOUNT))), lit(BigDecimal.ZERO)),
                        count_if(col(LedgerTables.AMOUNT).isNull()))
                .first();
        return new Ledger(CategoryMovement.largest(transitions, MOVEMENTS_SHOWN),
                new BreakAlert.NewBreaks(fresh.getLong(0), fresh.getDecimal(1), fresh.getLong(2)), outputs,
                acknowledgements.map(a -> ledger.filter(col(LedgerTables.ACKNOWLEDGED))
                        .select(col(LedgerTables.BREAK_ID))));
    }
}
