package dev.handshake.job.stage;

import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.reconciliation.FinanceAbsent;
import dev.handshake.audit.LeadJourney;
import dev.handshake.model.CanonicalTable;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * When each win reached finance: the reconciliation's matching, made once, since the funnel's
 * BOOKED, the handoffs and the reconciliation all read it.
 */
public final class FinanceArrivalStage implements AuditStage<FinanceArrivalStage.Arrival> {

    /** The matching, the first booking per won deal, and the journey carrying it. */
    public record Arrival(BookingMatch match, Dataset<Row> arrived, LeadJourney journey) implements StageResult {}

    @Override
    public String name() {
        return "finance arrival";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(JourneyStage.class, ScopeStage.class);
    }

    @Override
    public Arrival run(RunContext ctx) {
        Dataset<Row> scope = ctx.result(ScopeStage.class).rows();
        // Without a bookings table nothing says whether a win reached finance: the matching runs on
        // no booking and every finance figure is then reported not measured (FinanceAbsent).
        ctx.financeAbsent().ifPresent(why -> ctx.skip("reconciliation categories, revenue bridge to finance,"
                + " finance-safe metrics, finance lag, repeatability, break ledger, BOOKED, sales_to_finance", why));
        BookingMatch match = BookingMatch.of(scope, ctx.inputs().optional(CanonicalTable.BOOKINGS)
                .orElseGet(() -> FinanceAbsent.emptyBookings(scope.sparkSession())), ctx.fx(), ctx.config().reconciliation(), ctx.window(),
                ctx.keeper());
        Dataset<Row> arrived = ctx.steps().step("finance arrival", () -> ctx.keep(match.firstBooked()),
                Dataset::count);
        return new Arrival(match, arrived, ctx.result(JourneyStage.class).journey().withFinanceArrival(arrived));
    }
}
