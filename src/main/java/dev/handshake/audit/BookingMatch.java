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
 * @param won         won opportunities in scope, columns {@code O_*}
 * @param scoped      bookings in scope after status mapping and conversion, columns {@code B_*}
 * @param excluded    bookings in scope whose status maps to excluded (not bookings): booking_id, status
 * @param assigned    scoped bookings matched to a win: the booking columns, {@link #O_ID} and {@link #BY}
 * @param financeOnly scoped bookings matched to no win
 */
public record BookingMatch(Dataset<Row> won, Dataset<Row> scoped, Dataset<Row> excluded, Dataset<Row> assigned,
                           Dataset<Row> financeOnly) {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__match_";
    private static final String FALLBACK_BOOKING = PREFIX + "fb_booking";
    private static final String FALLBACK_OPP = PREFIX + "fb_opp";
    private static final String GAP = PREFIX + "gap";
    private static final String SCOPE_ID = PREFIX + "scope_id";
    private static final String STATUS = PREFIX + "status";
    public static final String B_ID = PREFIX + "b_id";
    public static final String B_OPP = PREFIX + "b_opp";
    public static final String B_ACCOUNT = PREFIX + "b_account";
    public static final String B_DATE = PREFIX + "b_date";
    public static final String B_PERIOD = PREFIX + "b_period";
    /** The raw amount with the status applied: a reversal is negative. */
    public static final String B_SIGNED = PREFIX + "b_signed";
    /** Whether the booking's status maps to {@code reversed} (a reversal of 0 is still a reversal). */
    public static final String B_REVERSAL = PREFIX + "b_reversal";
    public static final String B_CURRENCY = PREFIX + "b_currency";
    /** {@link #B_SIGNED} in reporting currency (null when not convertible). */
    public static final String B_AMOUNT = PREFIX + "b_amount";
    public static final String B_CCY = PREFIX + "b_ccy";
    public static final String B_RESOLVED = PREFIX + "b_resolved";
    public static final String B_UNMAPPED_STATUS = PREFIX + "b_unmapped_status";
    public static final String O_ID = PREFIX + "o_id";
    public static final String O_ACCOUNT = PREFIX + "o_account";
    public static final String O_CLOSE = PREFIX + "o_close";
    public static final String O_PERIOD = PREFIX + "o_period";
    public static final String O_AMOUNT = PREFIX + "o_amount";
    public static final String O_RESOLVED = PREFIX + "o_resolved";
    public static final String O_RAW_AMOUNT = PREFIX + "o_raw_amount";
    public static final String O_CURRENCY = PREFIX + "o_currency";
    public static final String O_CCY = PREFIX + "o_ccy";
    public static final String O_SEGMENT = PREFIX + "o_segment";
    /** How an assigned booking was matched: {@link #LINK} or {@link #FALLBACK}. */
    public static final String BY = PREFIX + "b_matched_by";
    public static final String LINK = "link";
    public static final String FALLBACK = "fallback";
    /** Columns of {@link #firstBooked()}. */
    public static final String ARRIVED_OPP = PREFIX + "arrived_opp";
    public static final String ARRIVED_ON = PREFIX + "arrived_on";
    private static final String LINKED = PREFIX + "linked";
    private static final String RANK_B = PREFIX + "rank_b";
    private static final String RANK_O = PREFIX + "rank_o";

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
                .join(scope.select(col(OpportunityScope.ID).as(SCOPE_ID)),
                        col("opportunity_id").equalTo(col(SCOPE_ID)), "left")
                .filter(col("booking_date").geq(lit(window.startDate())).or(col(SCOPE_ID).isNotNull()))
                .withColumn(STATUS, coalesce(status, lit("booked")));
        Dataset<Row> excluded = candidates.filter(col(STATUS).equalTo("excluded"))
                .select(col("booking_id"), col("status"));
        Dataset<Row> scoped = materialize.apply(fx.convert(candidates.filter(col(STATUS).notEqual("excluded"))
                        .withColumn(B_SIGNED, when(col(STATUS).equalTo("reversed"), negate(abs(col("amount"))))
                                .otherwise(col("amount"))),
                col(B_SIGNED), col("currency_code"), col("booking_date"), B_AMOUNT)
                .select(col("booking_id").as(B_ID), col("opportunity_id").as(B_OPP), col("account_id").as(B_ACCOUNT),
                        col("booking_date").as(B_DATE),
                        coalesce(col("fiscal_period"), date_format(col("booking_date"), "yyyy-MM")).as(B_PERIOD),
                        col(B_SIGNED), col(STATUS).equalTo("reversed").as(B_REVERSAL),
                        col("currency_code").as(B_CURRENCY), col(B_AMOUNT),
                        fx.code(col("currency_code")).as(B_CCY),
                        col(B_AMOUNT + "_resolved").as(B_RESOLVED),
                        when(col("status").isNotNull().and(status.isNull()), col("status")).as(B_UNMAPPED_STATUS)));

        Dataset<Row> linked = scoped.join(won.select(col(O_ID)), col(B_OPP).equalTo(col(O_ID)), "inner")
                .withColumn(BY, lit(LINK));
        Dataset<Row> unlinked = scoped.join(won.select(col(O_ID)), col(B_OPP).equalTo(col(O_ID)), "left_anti");

        // Fallback: an unlinked booking and a win nothing else matched, same account, amount within
        // tolerance, dates within the window; the closest pair wins on both sides.
        Dataset<Row> openWins = won.join(linked.select(col(O_ID).as(LINKED)), col(O_ID).equalTo(col(LINKED)),
                "left_anti");
        Column dayGap = abs(datediff(col(B_DATE), col(O_CLOSE)));
        Dataset<Row> pairs = unlinked.filter(col(B_ACCOUNT).isNotNull().and(col(B_RESOLVED)))
                .join(openWins.filter(col(O_RESOLVED)), col(B_ACCOUNT).equalTo(col(O_ACCOUNT)), "inner")
                .filter(when(col(B_CCY).equalTo(col(O_CCY)),
                                abs(col(B_SIGNED).minus(col(O_RAW_AMOUNT))).leq(tolerance(col(O_RAW_AMOUNT), settings)))
                        .otherwise(abs(col(B_AMOUNT).minus(col(O_AMOUNT))).leq(tolerance(col(O_AMOUNT), settings)))
                        .and(dayGap.leq(settings.fallbackWindowDays())))
                .withColumn(GAP, dayGap)
                .withColumn(RANK_B, row_number().over(Window.partitionBy(B_ID).orderBy(col(GAP), col(O_ID))))
                .filter(col(RANK_B).equalTo(1))
                .withColumn(RANK_O, row_number().over(Window.partitionBy(O_ID).orderBy(col(GAP), col(B_ID))))
                .filter(col(RANK_O).equalTo(1))
                .select(col(B_ID).as(FALLBACK_BOOKING), col(O_ID).as(FALLBACK_OPP));
        Dataset<Row> fallback = unlinked.join(pairs, col(B_ID).equalTo(col(FALLBACK_BOOKING)), "inner")
                .withColumn(O_ID, col(FALLBACK_OPP)).withColumn(BY, lit(FALLBACK))
                .drop(FALLBACK_BOOKING, FALLBACK_OPP);
        Dataset<Row> assigned = materialize.apply(linked.unionByName(fallback));
        Dataset<Row> financeOnly = unlinked.join(pairs, col(B_ID).equalTo(col(FALLBACK_BOOKING)), "left_anti");
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
