package dev.handshake.job.stage;

import dev.handshake.audit.BookingMatch;
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
        BookingMatch match = BookingMatch.of(ctx.result(ScopeStage.class).rows(),
                ctx.inputs().table(CanonicalTable.BOOKINGS), ctx.fx(), ctx.config().reconciliation(), ctx.window(),
                ctx.keeper());
        Dataset<Row> arrived = ctx.steps().step("finance arrival", () -> ctx.keep(match.firstBooked()),
                Dataset::count);
        return new Arrival(match, arrived, ctx.result(JourneyStage.class).journey().withFinanceArrival(arrived));
    }
}
