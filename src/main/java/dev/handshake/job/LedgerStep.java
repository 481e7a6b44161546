package dev.handshake.job;

import dev.handshake.Steps;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.ledger.BreakLedger;
import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.audit.ledger.LedgerTables;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.config.ReconciliationSettings;
import dev.handshake.sink.AuditSink;
import dev.handshake.source.AuditInputs;
import dev.handshake.model.CanonicalTable;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * The break ledger's part of a night: reads the previous successful night's ledger and
 * reconciliation through the sink, runs {@link BreakLedger} and stages its tables with the
 * night's others (so they are replaced in the same unit).
 */
final class LedgerStep {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerStep.class);
    /** Movements shown in the review sheet. */
    static final int MOVEMENTS_SHOWN = 5;

    private LedgerStep() {}

    /**
     * @param movements the largest category movements since the previous night, largest first
     * @param newBreaks tonight's unacknowledged new breaks, for {@code --fail-on-new-breaks}
     */
    record Outcome(List<CategoryMovement> movements, BreakAlert.NewBreaks newBreaks) {
        /** No ledger this night (no bookings table: no break can be told from a booking not yet made). */
        static final Outcome NONE = new Outcome(List.of(), BreakAlert.NewBreaks.NONE);
    }

    static BreakLedger.LagRule lagRule(ReconciliationSettings settings) {
        return new BreakLedger.LagRule(settings.lagHistoryNights(), settings.lagMinDeals(), settings.bookingLagDays());
    }

    static Outcome run(AuditSink store, Steps steps, LocalDate asOf, Dataset<Row> reconciliation, Dataset<Row> scope,
                       AuditInputs inputs, int keepResolvedDays, BreakLedger.LagRule lag, List<SkippedFigure> skipped,
                       Materializer keep) {
        Optional<BreakLedger.Previous> previous = store.previousSucceeded(ReconciliationTables.RECONCILIATION,
                LedgerTables.LEDGER).map(r -> {
                    LocalDate previousAsOf = r.getDate(r.fieldIndex("as_of")).toLocalDate();
                    return new BreakLedger.Previous(previousAsOf, store.read(LedgerTables.LEDGER, previousAsOf),
                            store.read(ReconciliationTables.RECONCILIATION, previousAsOf));
                });
        if (previous.isEmpty()) {
            skipped.add(new SkippedFigure("audit_break_ledger history", "no previous successful night with a ledger: "
                    + "every break is NEW and every category transition comes from (new)"));
        }
        Dataset<Row> deals = scope.filter(col(OpportunityScope.WON_ON).isNotNull()).select(
                col(OpportunityScope.ID).as(BreakLedger.DEAL_ID), col(OpportunityScope.WON_ON).as(BreakLedger.CLOSE_DATE),
                col(OpportunityScope.PREFIX + "owner_id").as(BreakLedger.DEAL_OWNER));
        Dataset<Row> bookingDates = inputs.table(CanonicalTable.BOOKINGS).select(col("booking_id").as(BreakLedger.BOOKING_ID),
                col("booking_date").as(BreakLedger.BOOKING_DATE));
        Optional<Dataset<Row>> acknowledgements = inputs.optional(CanonicalTable.ACKNOWLEDGEMENTS);
        if (acknowledgements.isEmpty()) {
            skipped.add(new SkippedFigure("acknowledged breaks", "acknowledgements table absent: no break is "
                    + "acknowledged, every break counts in the alerts"));
        }
        BreakLedger.Result computed = BreakLedger.run(new BreakLedger.Inputs(asOf, reconciliation, deals, bookingDates,
                previous, acknowledgements, keepResolvedDays, lag));
        // The ledger feeds its table, the acknowledgements and the alert; the transitions their
        // table and the review sheet: each is computed once.
        BreakLedger.Result result = new BreakLedger.Result(keep.apply(computed.ledger()),
                keep.apply(computed.transitions()), computed.acknowledgements());
        steps.step("audit break ledger", () -> store.stage(LedgerTables.LEDGER, result.ledger(), false,
                LedgerTables.BREAK_ID), n -> n);
        steps.step("audit category transitions", () -> store.stage(LedgerTables.TRANSITIONS, result.transitions(), true,
                LedgerTables.FROM_CATEGORY, LedgerTables.TO_CATEGORY), n -> n);
        result.acknowledgements().ifPresent(acks -> {
            long unknown = steps.step("audit acknowledgements", () -> store.stage(LedgerTables.ACKNOWLEDGEMENTS, acks,
                    true, LedgerTables.BREAK_ID), n -> n) == 0 ? 0
                    : acks.filter(col(LedgerTables.STATE).equalTo(LedgerTables.ACK_UNKNOWN_BREAK)).count();
            if (unknown > 0) {
                LOG.warn("{} acknowledgement(s) name a break_id the ledger does not know: see {} (state {})", unknown,
                        LedgerTables.ACKNOWLEDGEMENTS, LedgerTables.ACK_UNKNOWN_BREAK);
                skipped.add(new SkippedFigure("acknowledgements", unknown + " acknowledgement(s) name an unknown "
                        + "break_id and apply to nothing (state " + LedgerTables.ACK_UNKNOWN_BREAK + " in "
                        + LedgerTables.ACKNOWLEDGEMENTS + ")"));
            }
        });
        Row fresh = result.ledger()
                .filter(col(LedgerTables.STATUS).isin(LedgerTables.NEW, LedgerTables.REOPENED)
                        .and(col(LedgerTables.ACKNOWLEDGED).equalTo(false)))
                .agg(count(lit(1)), coalesce(sum(abs(col(LedgerTables.AMOUNT))), lit(java.math.BigDecimal.ZERO)),
                        count_if(col(LedgerTables.AMOUNT).isNull()))
                .first();
        return new Outcome(CategoryMovement.largest(result.transitions(), MOVEMENTS_SHOWN),
                new BreakAlert.NewBreaks(fresh.getLong(0), fresh.getDecimal(1), fresh.getLong(2)));
    }
}
