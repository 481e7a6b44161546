package dev.handshake.audit;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.ReconciliationSettings;
import dev.handshake.model.AuditWindow;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Which booking belongs to which win (section 3): the reconciliation's matching, the authority for
 * "the win reached finance, and when". A booking belongs to a win when it is linked to it by
 * opportunity_id, or, carrying no link to a win, when the fallback rule pairs it with a win nothing
 * else matched (same account, amount within tolerance, booking_date within the fallback window of
 * the close date; the closest pair wins on both sides).
 *
 * <p>{@link #firstBooked()} is the one definition of when a win reached finance: its first booking
 * with a positive amount after status mapping (a reversal is negative, an excluded status is no
 * booking), dated on or before as_of. A run makes the match once: the reconciliation is built from
 * it (its {@code lag_days} is the same first positive booking), and the funnel's {@code BOOKED}
 * ({@link LeadJourney#withFinanceArrival}) and {@code sales_to_finance}
 * ({@link OpportunityScope#withFinanceArrival}) read {@link #firstBooked()}.
 *
 * @param won         won opportunities in scope, columns {@code __o_*}
 * @param scoped      bookings in scope after status mapping and conversion, columns {@code __b_*}
 * @param excluded    bookings in scope whose status maps to excluded (not bookings): booking_id, status
 * @param assigned    scoped bookings matched to a win: the booking columns, {@link #O_ID} and {@link #BY}
 * @param financeOnly scoped bookings matched to no win
 */
public record BookingMatch(Dataset<Row> won, Dataset<Row> scoped, Dataset<Row> excluded, Dataset<Row> assigned,
                           Dataset<Row> financeOnly) {
    public static final String B_ID = "__b_id";
    public static final String B_OPP = "__b_opp";
    public static final String B_ACCOUNT = "__b_account";
    public static final String B_DATE = "__b_date";
    public static final String B_PERIOD = "__b_period";
    /** The raw amount with the status applied: a reversal is negative. */
    public static final String B_SIGNED = "__b_signed";
    /** Whether the booking's status maps to {@code reversed} (a reversal of 0 is still a reversal). */
    public static final String B_REVERSAL = "__b_reversal";
    public static final String B_CURRENCY = "__b_currency";
    /** {@link #B_SIGNED} in reporting currency (null when not convertible). */
    public static final String B_AMOUNT = "__b_amount";
    public static final String B_CCY = "__b_ccy";
    public static final String B_RESOLVED = "__b_resolved";
    public static final String B_UNMAPPED_STATUS = "__b_unmapped_status";
    public static final String O_ID = "__o_id";
    public static final String O_ACCOUNT = "__o_account";
    public static final String O_CLOSE = "__o_close";
    public static final String O_PERIOD = "__o_period";
    public static final String O_AMOUNT = "__o_amount";
    public static final String O_RESOLVED = "__o_resolved";
    public static final String O_RAW_AMOUNT = "__o_raw_amount";
    public static final String O_CURRENCY = "__o_currency";
    public static final String O_CCY = "__o_ccy";
    public static final String O_SEGMENT = "__o_segment";
    /** How an assigned booking was matched: {@link #LINK} or {@link #FALLBACK}. */
    public static final String BY = "__b_matched_by";
    public static final String LINK = "link";
    public static final String FALLBACK = "fallback";
    /** Columns of {@link #firstBooked()}. */
    public static final String ARRIVED_OPP = "__fb_arrived_opp";
    public static final String ARRIVED_ON = "__fb_arrived_on";

    /**
     * Scoped bookings with a negative amount whose status does not map to reversed: taken as
     * given (a credit, an adjustment), but implausible enough to be counted and reported (the sign
     * may be an export error), never accepted without a word.
     */
    public Dataset<Row> negativeOutsideReversal() {
        return scoped.filter(col(B_SIGNED).lt(0).and(col(B_REVERSAL).equalTo(false)));
    }

    public BookingMatch {
        requireNonNull(won, "won is null");
        requireNonNull(scoped, "scoped is null");
        requireNonNull(excluded, "excluded is null");
        requireNonNull(assigned, "assigned is null");
        requireNonNull(financeOnly, "financeOnly is null");
    }

    /**
     * @param scope       the run's opportunities ({@link OpportunityScope}, FIRST_BOOKED_ON not needed)
     * @param materialize keeps the wins, the scoped bookings and the assignment, which several
     *                    outputs read
     */
    public static BookingMatch of(Dataset<Row> scope, Dataset<Row> bookings, Fx fx, ReconciliationSettings settings,
                                  AuditWindow window, Materializer materialize) {
        Dataset<Row> won = materialize.apply(scope.filter(col(OpportunityScope.WON_ON).isNotNull()).select(
                col(OpportunityScope.ID).as(O_ID),
                col(OpportunityScope.PREFIX + "account_id").as(O_ACCOUNT),
                col(OpportunityScope.WON_ON).as(O_CLOSE),
                date_format(col(OpportunityScope.WON_ON), "yyyy-MM").as(O_PERIOD),
                col(OpportunityScope.AMOUNT_REPORTING).as(O_AMOUNT),
                col(OpportunityScope.AMOUNT_RESOLVED).as(O_RESOLVED),
                col(OpportunityScope.PREFIX + "amount").as(O_RAW_AMOUNT),
                col(OpportunityScope.PREFIX + "currency_code").as(O_CURRENCY),
                fx.code(col(OpportunityScope.PREFIX + "currency_code")).as(O_CCY),
                col(OpportunityScope.SEGMENT).as(O_SEGMENT)));

        Column status = settings.bookingStatus().map(col("status"));
        Dataset<Row> candidates = bookings
                .filter(col("booking_date").leq(lit(window.asOf())))
                .join(scope.select(col(OpportunityScope.ID).as("__scope_id")),
                        col("opportunity_id").equalTo(col("__scope_id")), "left")
                .filter(col("booking_date").geq(lit(window.startDate())).or(col("__scope_id").isNotNull()))
                .withColumn("__status", coalesce(status, lit("booked")));
        Dataset<Row> excluded = candidates.filter(col("__status").equalTo("excluded"))
                .select(col("booking_id"), col("status"));
        Dataset<Row> scoped = materialize.apply(fx.convert(candidates.filter(col("__status").notEqual("excluded"))
                        .withColumn(B_SIGNED, when(col("__status").equalTo("reversed"), negate(abs(col("amount"))))
                                .otherwise(col("amount"))),
                col(B_SIGNED), col("currency_code"), col("booking_date"), B_AMOUNT)
                .select(col("booking_id").as(B_ID), col("opportunity_id").as(B_OPP), col("account_id").as(B_ACCOUNT),
                        col("booking_date").as(B_DATE),
                        coalesce(col("fiscal_period"), date_format(col("booking_date"), "yyyy-MM")).as(B_PERIOD),
                        col(B_SIGNED), col("__status").equalTo("reversed").as(B_REVERSAL),
                        col("currency_code").as(B_CURRENCY), col(B_AMOUNT),
                        fx.code(col("currency_code")).as(B_CCY),
                        col(B_AMOUNT + "_resolved").as(B_RESOLVED),
                        when(col("status").isNotNull().and(status.isNull()), col("status")).as(B_UNMAPPED_STATUS)));

        Dataset<Row> linked = scoped.join(won.select(col(O_ID)), col(B_OPP).equalTo(col(O_ID)), "inner")
                .withColumn(BY, lit(LINK));
        Dataset<Row> unlinked = scoped.join(won.select(col(O_ID)), col(B_OPP).equalTo(col(O_ID)), "left_anti");

        // Fallback: an unlinked booking and a win nothing else matched, same account, amount within
        // tolerance, dates within the window; the closest pair wins on both sides.
        Dataset<Row> openWins = won.join(linked.select(col(O_ID).as("__linked")), col(O_ID).equalTo(col("__linked")),
                "left_anti");
        Column dayGap = abs(datediff(col(B_DATE), col(O_CLOSE)));
        Dataset<Row> pairs = unlinked.filter(col(B_ACCOUNT).isNotNull().and(col(B_RESOLVED)))
                .join(openWins.filter(col(O_RESOLVED)), col(B_ACCOUNT).equalTo(col(O_ACCOUNT)), "inner")
                .filter(when(col(B_CCY).equalTo(col(O_CCY)),
                                abs(col(B_SIGNED).minus(col(O_RAW_AMOUNT))).leq(tolerance(col(O_RAW_AMOUNT), settings)))
                        .otherwise(abs(col(B_AMOUNT).minus(col(O_AMOUNT))).leq(tolerance(col(O_AMOUNT), settings)))
                        .and(dayGap.leq(settings.fallbackWindowDays())))
                .withColumn("__gap", dayGap)
                .withColumn("__rank_b", row_number().over(Window.partitionBy(B_ID).orderBy(col("__gap"), col(O_ID))))
                .filter(col("__rank_b").equalTo(1))
                .withColumn("__rank_o", row_number().over(Window.partitionBy(O_ID).orderBy(col("__gap"), col(B_ID))))
                .filter(col("__rank_o").equalTo(1))
                .select(col(B_ID).as("__fb_booking"), col(O_ID).as("__fb_opp"));
        Dataset<Row> fallback = unlinked.join(pairs, col(B_ID).equalTo(col("__fb_booking")), "inner")
                .withColumn(O_ID, col("__fb_opp")).withColumn(BY, lit(FALLBACK))
                .drop("__fb_booking", "__fb_opp");
        Dataset<Row> assigned = materialize.apply(linked.unionByName(fallback));
        Dataset<Row> financeOnly = unlinked.join(pairs, col(B_ID).equalTo(col("__fb_booking")), "left_anti");
        return new BookingMatch(won, scoped, excluded, assigned, financeOnly);
    }

    /**
     * When each win reached finance: {@link #ARRIVED_OPP}, {@link #ARRIVED_ON} (the date of its
     * first assigned booking that {@link #reachesFinance() reaches finance}); wins that have none are absent.
     */
    public Dataset<Row> firstBooked() {
        return assigned.filter(reachesFinance())
                .groupBy(col(O_ID).as(ARRIVED_OPP)).agg(min(col(B_DATE)).as(ARRIVED_ON));
    }

    /**
     * Whether an assigned booking is one by which the win reached finance: a positive amount, or
     * an amount of 0 that is not a reversal (a deal of value 0 booked at 0 has reached finance; a
     * reversal never is the booking that reaches finance).
     */
    public static Column reachesFinance() {
        return col(B_SIGNED).gt(0).or(col(B_SIGNED).equalTo(0).and(col(B_REVERSAL).equalTo(false)));
    }

    /** Amounts agree within the larger of the absolute and the relative tolerance. */
    public static Column tolerance(Column amount, ReconciliationSettings settings) {
        return greatest(lit(settings.amountTolerance()),
                abs(amount).multiply(lit(settings.amountTolerancePct())).divide(100));
    }
}
