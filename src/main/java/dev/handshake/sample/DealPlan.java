package dev.handshake.sample;

import static dev.handshake.sample.LeadPlan.BOOKED;
import static dev.handshake.sample.LeadPlan.OPPORTUNITY;
import static dev.handshake.sample.LeadPlan.WON_STAGE;
import static dev.handshake.sample.LeadPlan.seconds;
import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.SampleCalendar.HOUR;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.ColumnType;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The opportunity and booking half of the plan: an opportunity is derived from its lead's id (one
 * per converted lead, same number), its outcome from the lead's furthest stage, and its planted
 * reconciliation case ({@link ReconCase}) from a hash, subject to what the dates allow.
 */
final class DealPlan {
    /** Rough USD value of one unit, only to size amounts in other currencies plausibly. */
    private static final double EUR_USD = 1.08;
    private static final double GBP_USD = 1.27;
    private static final double BRL_USD = 0.19;

    private final SampleCalendar cal;
    private final SampleDirectory dir;
    private final Draws draws;

    private DealPlan(SampleCalendar cal, SampleDirectory dir, Draws draws) {
        this.cal = cal;
        this.dir = dir;
        this.draws = draws;
    }

    static Dataset<Row> extend(Dataset<Row> plan, int partitions, SampleCalendar cal, SampleDirectory dir,
                               Draws draws) {
        DealPlan p = new DealPlan(cal, dir, draws);
        Dataset<Row> result = plan;
        for (PlanStage stage : List.of(p.opportunity(), p.path(), p.reconciliation(), p.quarantine())) {
            result = LeadPlan.codegenBoundary(stage.applyTo(result), partitions);
        }
        return result;
    }

    private PlanStage stage() {
        return new PlanStage(draws, col(ID));
    }

    private PlanStage opportunity() {
        PlanStage s = stage();
        Column f1 = col(F1);
        Column seg = col(SEGMENT);
        Column cutoff = lit(cal.cutoff());
        Column median = when(seg.equalTo(lit(0)), lit(12_000.0)).when(seg.equalTo(lit(1)), lit(45_000.0))
                .otherwise(lit(160_000.0));
        Column sigma = when(seg.equalTo(lit(0)), lit(0.55)).when(seg.equalTo(lit(1)), lit(0.6)).otherwise(lit(0.7));
        Column usd = exp(log(median).plus(sigma.multiply(s.normal("amount"))));
        Column brl = s.u("currency.brl").lt(lit(0.02));
        Column currency = when(brl, lit("BRL"))
                .otherwise(Draws.pickLabel(s.u("currency"), new double[] {76, 15, 9}, "USD", "EUR", "GBP"));
        Column perUnit = when(col(CURRENCY).equalTo(lit("EUR")), lit(EUR_USD))
                .when(col(CURRENCY).equalTo(lit("GBP")), lit(GBP_USD))
                .when(col(CURRENCY).equalTo(lit("BRL")), lit(BRL_USD)).otherwise(lit(1.0));
        // Whole tens, at least 100: deal values as a rep would enter them.
        Column amount = greatest(lit(100.0), floor(usd.divide(perUnit).divide(10.0).plus(0.5)).multiply(10.0));

        s.put(OPP_ID, Tables.id("O", 9, col(ID)));
        s.put(ACCOUNT_ID, Tables.id("A", 9, col(ID)));
        s.put(WON, f1.geq(lit(WON_STAGE)).or(col(FUTURE_WON)));
        s.put(WON_AS_OF, f1.geq(lit(WON_STAGE)));
        s.put(LOST, f1.equalTo(lit(OPPORTUNITY)).and(col(F_DRAW).equalTo(lit(OPPORTUNITY)))
                .and(col(T_CLOSE).lt(cutoff)).and(s.u("lost").lt(lit(0.7))));
        s.put(OPEN, col(HAS_OPP).and(not(col(WON))).and(not(col(LOST))));
        s.put(SETTLED, col(HAS_OPP).and(not(col(FUTURE_CONVERSION))).and(not(col(FUTURE_WON))).and(not(col(UNDONE))));
        s.put(STAGE_INDEX, when(col(WON), lit(5)).when(col(LOST), s.below("stage.lost", 6).cast("int"))
                .when(col(FUTURE_CONVERSION), lit(0))
                // Created in the last day before the cutoff: still at the first stage.
                .when(lit(cal.cutoff()).minus(col(T_OPP)).lt(lit(DAY)), lit(0))
                .otherwise(floor(pow(s.u("stage.open"), lit(1.4)).multiply(6.0)).cast("int")));
        s.put(CURRENCY, currency);
        s.put(AMOUNT, amount.cast(ColumnType.DECIMAL.sparkType()));
        s.put(OPP_TYPE, Draws.pickLabel(s.u("opp.type"), new double[] {80, 12, 8}, "new", "expansion", "renewal"));

        Column firstAe = dir.ae(s.hash("opp.ae"));
        s.put(OWNER_NOT_AE, col(HAS_OPP).and(s.u("owner.not_ae").lt(ChannelRates.OWNER_NOT_AE.of())));
        s.put(T_REOWNED, col(T_OPP).plus(lit(DAY)).plus(seconds(s.u("reown.t").multiply(20 * DAY))));
        s.put(REOWNED, col(SETTLED).and(not(col(OWNER_NOT_AE))).and(s.u("reown").lt(ChannelRates.REOWNED.of()))
                .and(col(T_REOWNED).lt(cutoff)));
        s.put(OPP_FIRST_OWNER, when(col(OWNER_NOT_AE), col(WORKER_SDR)).otherwise(firstAe));
        s.put(OPP_OWNER, when(col(REOWNED), dir.otherAe(s.hash("opp.ae"), s.hash("opp.ae2"))).otherwise(col(OPP_FIRST_OWNER)));

        s.put(LINKAGE_LOST, col(HAS_OPP).and(col(LEAD_HAS_CAMPAIGN)).and(s.u("linkage.lost").lt(ChannelRates.LINKAGE_LOST.of())));
        s.put(LINKAGE_OVERRIDE_ROW, col(LINKAGE_LOST).and(col(SETTLED)).and(s.u("linkage.row").lt(lit(0.5)))
                .and(col(T_OPP).plus(lit(HOUR)).lt(cutoff)));
        s.put(OPP_SOURCE, when(not(col(LINKAGE_LOST)), col(LEAD_SOURCE)));
        s.put(OPP_CAMPAIGN, when(not(col(LINKAGE_LOST)), col(CAMPAIGN_ID)));
        s.put(MISSING_OPP_AMOUNT, col(OPEN).and(s.u("gap.opp.amount").lt(lit(0.04))));
        s.put(MISSING_OPP_CLOSE, col(OPEN).and(s.u("gap.opp.close").lt(lit(0.03))));
        s.put(LOSS_CATEGORY, when(col(LOST), Draws.pick(s.u("loss.cat"), new double[] {30, 12, 8, 45, 3, 2},
                lit(0), lit(1), lit(2), lit(3), lit(4), lit(5))));
        s.put(LOSS_REASON, when(col(LOST), Reasons.label(col(LOSS_CATEGORY), s.hash("loss.label"), s.u("loss.sloppy"))));
        s.put(CLOSE_DAY, floor(col(T_CLOSE).divide(lit(DAY))));
        return s;
    }

    /** The stage path written to opportunity_history, in conf/local.yaml order, with planted anomalies. */
    private PlanStage path() {
        PlanStage s = stage();
        Column stages = lit(Labels.OPEN_STAGES);
        Column j = col(STAGE_INDEX);
        Column none = lit(new String[0]);
        Column cutoff = lit(cal.cutoff());

        s.put(VERBAL_WON, col(WON_AS_OF).and(s.u("verbal.won").lt(ChannelRates.VERBAL_WON.of())));
        s.put(VERBAL_OPEN, col(OPEN).and(col(SETTLED)).and(col(STAGE_INDEX).geq(lit(1)))
                .and(s.u("verbal.open").lt(lit(0.04))));
        s.put(BACKWARD, col(SETTLED).and(j.geq(lit(2))).and(s.u("backward").lt(ChannelRates.BACKWARD.of())));
        s.put(REOPENED, col(WON_AS_OF).or(col(LOST)).and(s.u("reopened").lt(ChannelRates.REOPENED.of())));
        Column back = when(col(BACKWARD), array(element_at(stages, j.minus(lit(1))), element_at(stages, j.plus(lit(1)))))
                .otherwise(none);
        Column verbal = when(col(VERBAL_WON).or(col(VERBAL_OPEN)), array(lit(Labels.UNMAPPED_STAGE))).otherwise(none);
        Column close = when(col(WON), array(lit(Labels.STAGE_WON))).when(col(LOST), array(lit(Labels.STAGE_LOST)))
                .otherwise(none);
        Column reopen = when(col(REOPENED).and(col(WON)),
                        array(lit(Labels.OPEN_STAGES[Labels.OPEN_STAGES.length - 1]), lit(Labels.STAGE_WON)))
                .when(col(REOPENED), array(element_at(stages, j.plus(lit(1))), lit(Labels.STAGE_LOST)))
                .otherwise(none);
        s.put(PATH, concat(slice(stages, lit(1), j.plus(lit(1))), back, verbal, close, reopen));
        Column current = when(col(WON), lit(Labels.STAGE_WON)).when(col(LOST), lit(Labels.STAGE_LOST))
                .when(col(VERBAL_OPEN), lit(Labels.UNMAPPED_STAGE)).otherwise(element_at(stages, j.plus(lit(1))));
        s.put(STAGE_NAME, when(col(VERBAL_OPEN), current).otherwise(Labels.sloppy(current, s.u("stage.sloppy"), 0.01)));
        // Open deals were last touched somewhere between creation and the cutoff.
        s.put(T_END, when(col(WON).or(col(LOST)), col(T_CLOSE)).when(col(FUTURE_CONVERSION), col(T_OPP))
                .otherwise(col(T_OPP).plus(seconds(cutoff.minus(lit(1L)).minus(col(T_OPP))
                        .multiply(s.u("t_end").multiply(0.65).plus(0.3))))));

        Column span = col(T_END).minus(col(T_OPP));
        s.put(AMOUNT_OVERRIDE, col(SETTLED).and(not(col(MISSING_OPP_AMOUNT))).and(s.u("amount.override").lt(ChannelRates.AMOUNT_OVERRIDE.of())));
        s.put(T_AMOUNT_OVERRIDE, col(T_OPP).plus(seconds(span.multiply(s.u("amount.override.t").multiply(0.4).plus(0.3)))));
        s.put(CLOSE_OVERRIDE, col(SETTLED).and(not(col(MISSING_OPP_CLOSE))).and(s.u("close.override").lt(ChannelRates.CLOSE_OVERRIDE.of())));
        s.put(T_CLOSE_OVERRIDE, col(T_OPP).plus(seconds(span.multiply(s.u("close.override.t").multiply(0.4).plus(0.4)))));
        s.put(OLD_CLOSE_DAY, col(CLOSE_DAY).minus(lit(14L)).minus(s.below("close.override.days", 32)));
        return s;
    }

    private PlanStage reconciliation() {
        PlanStage s = stage();
        long asOfDay = cal.asOfDay();
        Column closeDay = col(CLOSE_DAY);
        Column daysBefore = lit(asOfDay).minus(closeDay);
        Column monthEnd = col(MONTH_END_DAY);
        Column nextMonth = col(NEXT_MONTH_DAY);
        Column r = s.u("recon");
        // The amount-mismatch band's width is the channel's rate; the bands after it shift along.
        Column mismatch = ChannelRates.AMOUNT_MISMATCH.of();
        Column recon = when(not(col(WON_AS_OF)), code(ReconCase.NONE))
                .when(col(CURRENCY).equalTo(lit("BRL")), code(ReconCase.CURRENCY_UNRESOLVED))
                .when(daysBefore.leq(lit(3L)), when(r.lt(lit(0.6)), code(ReconCase.LAGGING))
                        .otherwise(code(ReconCase.MATCHED)))
                .when(r.lt(lit(0.015)), code(ReconCase.REVERSED))
                .when(r.lt(lit(0.03)), code(ReconCase.DUPLICATE_BOOKING))
                .when(r.lt(lit(0.03).plus(mismatch)), code(ReconCase.AMOUNT_MISMATCH))
                .when(r.lt(lit(0.07).plus(mismatch)), when(nextMonth.leq(lit(asOfDay)), code(ReconCase.PERIOD_MISMATCH))
                        .otherwise(code(ReconCase.MATCHED)))
                .when(r.lt(lit(0.10).plus(mismatch)), code(ReconCase.MATCHED_FALLBACK))
                .when(r.lt(lit(0.13).plus(mismatch)), when(daysBefore.geq(lit(8L)), code(ReconCase.CRM_ONLY))
                        .otherwise(code(ReconCase.MATCHED)))
                .otherwise(code(ReconCase.MATCHED));
        // Days from close to booking: mostly same or next day, a tail out to a month (longest for
        // enterprise deals), so p90 means something.
        Column lagDraw = SegmentRates.bookingLag(s);
        // Inside the close month and not after as_of, so only PERIOD_MISMATCH changes period.
        Column sameMonth = closeDay.plus(least(lagDraw, monthEnd.minus(closeDay), daysBefore));
        Column rc = col(RECON);
        Column b1 = when(isCase(rc, ReconCase.CURRENCY_UNRESOLVED), closeDay)
                .when(isCase(rc, ReconCase.PERIOD_MISMATCH), nextMonth)
                .when(isCase(rc, ReconCase.LAGGING), when(s.u("lagging.future").lt(lit(0.5)),
                        lit(asOfDay + 1).plus(s.below("lagging.day", 10))))
                .when(isCase(rc, ReconCase.MATCHED).or(isCase(rc, ReconCase.MATCHED_FALLBACK))
                        .or(isCase(rc, ReconCase.AMOUNT_MISMATCH)).or(isCase(rc, ReconCase.DUPLICATE_BOOKING))
                        .or(isCase(rc, ReconCase.REVERSED)), sameMonth);
        Column b2 = when(isCase(rc, ReconCase.DUPLICATE_BOOKING),
                        least(col(BOOKING1_DAY).plus(s.below("dup.day", 4)), monthEnd, lit(asOfDay)))
                .when(isCase(rc, ReconCase.REVERSED),
                        least(col(BOOKING1_DAY).plus(lit(1L)).plus(s.below("reversal.day", 10)), lit(asOfDay)));
        Column factor = when(s.u("mismatch.side").lt(lit(0.5)), s.u("mismatch").multiply(0.15).plus(0.80))
                .otherwise(s.u("mismatch").multiply(0.15).plus(1.05));
        Column booked = lit(false);
        for (ReconCase c : ReconCase.values()) {
            if (c.bookedEvidence) {
                booked = booked.or(isCase(rc, c));
            }
        }

        s.put(MONTH_END_DAY, unix_date(last_day(date_from_unix_date(closeDay.cast("int")))).cast("long"));
        s.put(NEXT_MONTH_DAY, monthEnd.plus(lit(1L)).plus(s.below("recon.period.day", 5)));
        s.put(RECON, recon);
        s.put(BOOKING1_DAY, b1);
        s.put(BOOKING2_DAY, b2);
        s.put(BOOKING1_AMOUNT, when(isCase(rc, ReconCase.AMOUNT_MISMATCH),
                round(col(AMOUNT).cast("double").multiply(factor), 2).cast(ColumnType.DECIMAL.sparkType()))
                .otherwise(col(AMOUNT)));
        s.put(BOOKED_EVIDENCE, booked);
        s.put(F, when(col(WON_AS_OF).and(col(BOOKED_EVIDENCE)), lit(BOOKED)).otherwise(col(F1)));
        s.put(LAG_DAYS, when(col(BOOKED_EVIDENCE), col(BOOKING1_DAY).minus(closeDay)));
        s.put(MISSING_OPP_CURRENCY, isCase(rc, ReconCase.MATCHED).and(col(CURRENCY).equalTo(lit("USD")))
                .and(s.u("gap.opp.currency").lt(lit(0.04))));
        s.put(MISSING_OPP_ACCOUNT, isCase(rc, ReconCase.MATCHED).and(not(col(MISSING_OPP_CURRENCY)))
                .and(s.u("gap.opp.account").lt(lit(0.03))));
        s.put(OPP_CURRENCY, when(not(col(MISSING_OPP_CURRENCY)), col(CURRENCY)));
        s.put(OPP_ACCOUNT, when(not(col(MISSING_OPP_ACCOUNT)), col(ACCOUNT_ID)));
        s.put(OPP_AMOUNT, when(not(col(MISSING_OPP_AMOUNT)), col(AMOUNT)));
        s.put(OPP_CLOSE_DAY, when(not(col(MISSING_OPP_CLOSE)), closeDay));
        return s;
    }

    /**
     * Extra malformed rows in child tables (each on a lead that is otherwise unaffected), and which
     * audit-trail rows log a reason.
     */
    private PlanStage quarantine() {
        PlanStage s = stage();
        s.put(Q_STATUS_HISTORY, col(HAS_CHILDREN).and(s.u("q.lsh").lt(lit(0.003))));
        s.put(Q_ACTIVITY, col(HAS_CHILDREN).and(col(O_FIRST_TOUCH_AT).isNotNull())
                .and(col(T_TOUCH).lt(lit(cal.cutoff()))).and(s.u("q.act").lt(lit(0.003))));
        s.put(SYSTEM_ASSIGNMENT_ROW, col(HAS_CHILDREN).and(col(O_ASSIGNED_AT).isNotNull())
                .and(s.u("sys.assign").lt(lit(0.9))));
        s.put(Q_FIELD_HISTORY, col(SYSTEM_ASSIGNMENT_ROW).and(s.u("q.fh").lt(lit(0.003))));
        s.put(Q_OPP_HISTORY, col(SETTLED).and(s.u("q.oh").lt(lit(0.006))));
        s.put(Q_STATUS_HISTORY_NULL_STATUS, col(Q_STATUS_HISTORY).and(s.u("q.lsh.kind").lt(lit(0.5))));
        s.put(Q_OPP_HISTORY_NULL_STAGE, col(Q_OPP_HISTORY).and(s.u("q.oh.kind").lt(lit(0.5))));
        s.put(R_ASSIGNMENT, s.u("reason.assign").lt(lit(0.5)));
        s.put(R_SOURCE, s.u("reason.source").lt(ChannelRates.REASON_SOURCE.of()));
        s.put(R_REOWNED, s.u("reason.reown").lt(ChannelRates.REASON_REOWNED.of()));
        s.put(R_AMOUNT, s.u("reason.amount").lt(ChannelRates.REASON_AMOUNT.of()));
        s.put(R_CLOSE, s.u("reason.close").lt(ChannelRates.REASON_CLOSE.of()));
        s.put(R_BACKWARD, s.u("reason.backward").lt(ChannelRates.REASON_STAGE.of()));
        s.put(R_REOPENED, s.u("reason.reopen").lt(ChannelRates.REASON_STAGE.of()));
        s.put(R_LINKAGE, s.u("reason.linkage").lt(ChannelRates.REASON_LINKAGE.of()));
        return s;
    }

    /**
     * The instant of position {@code pos} of the stage path: evenly spaced from the opportunity's
     * creation to its last change, so opportunity_history and field_history agree on it.
     */
    static Column pathTime(Column pos) {
        Column steps = greatest(size(col(PATH)).minus(lit(1)), lit(1)).cast("long");
        // One second per step is reserved so that consecutive steps never share an instant.
        Column span = greatest(col(T_END).minus(col(T_OPP)).minus(steps), lit(0L));
        Column p = pos.cast("long");
        return col(T_OPP).plus(floor(p.multiply(span).divide(steps)).cast("long")).plus(p);
    }

    static Column code(ReconCase c) {
        return lit(c.code);
    }

    static Column isCase(Column recon, ReconCase c) {
        return recon.equalTo(lit(c.code));
    }
}
