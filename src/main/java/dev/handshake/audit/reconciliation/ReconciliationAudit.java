package dev.handshake.audit.reconciliation;

import static dev.handshake.audit.reconciliation.ReconciliationTables.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.bool_or;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.model.FiscalCalendar;
import dev.handshake.model.Layer;
import dev.handshake.audit.Materializer;
import dev.handshake.config.LabelMapping;
import dev.handshake.config.ReconciliationSettings;
import dev.handshake.model.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Modeled versus finance-safe (section 3): every won opportunity and every booking in scope lands
 * in exactly one reconciliation row of exactly one category; the bridge from CRM bookings to
 * finance bookings per period is built from those rows; and the metrics are set side by side
 * with the translation layer's published numbers.
 *
 * <p>The bridge generalises the spec's per-row rule to rows whose bookings fall in several
 * periods: each booking contributes to its own finance period. For a row whose bookings share one
 * period this is exactly the spec's rule, and it keeps the tie-out exact in every case.
 */
public final class ReconciliationAudit {
    private static final String B_ID = BookingMatch.B_ID;
    private static final String B_OPP = BookingMatch.B_OPP;
    private static final String B_ACCOUNT = BookingMatch.B_ACCOUNT;
    private static final String B_DATE = BookingMatch.B_DATE;
    private static final String B_PERIOD = BookingMatch.B_PERIOD;
    private static final String B_SIGNED = BookingMatch.B_SIGNED;
    private static final String B_CURRENCY = BookingMatch.B_CURRENCY;
    private static final String B_AMOUNT = BookingMatch.B_AMOUNT;
    private static final String O_ID = BookingMatch.O_ID;
    private static final String O_CLOSE = BookingMatch.O_CLOSE;
    private static final String O_PERIOD = BookingMatch.O_PERIOD;
    private static final String O_AMOUNT = BookingMatch.O_AMOUNT;
    private static final String B_RESOLVED = BookingMatch.B_RESOLVED;
    private static final String B_CCY = BookingMatch.B_CCY;
    private static final String O_ACCOUNT = BookingMatch.O_ACCOUNT;
    private static final String O_RESOLVED = BookingMatch.O_RESOLVED;
    private static final String O_RAW_AMOUNT = BookingMatch.O_RAW_AMOUNT;
    private static final String O_CURRENCY = BookingMatch.O_CURRENCY;
    private static final String O_CCY = BookingMatch.O_CCY;
    private static final String O_SEGMENT = BookingMatch.O_SEGMENT;
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__recon_";
    private static final String ROW_KEY = PREFIX + "row_key";
    private static final String ACCEPTED_TOTAL = PREFIX + "accepted";
    private static final String BY_FALLBACK = PREFIX + "by_fallback";
    private static final String B_CCYS = PREFIX + "b_ccys";
    private static final String B_UNCONVERTED = PREFIX + "b_unconverted";
    private static final String CHAIN = PREFIX + "chain";
    private static final String CRM_TOTAL = PREFIX + "crm_total";
    private static final String C_OPP = PREFIX + "c_opp";
    private static final String C_PERIOD = PREFIX + "c_period";
    private static final String FINANCE_TOTAL = PREFIX + "finance";
    private static final String FIN_TOTAL = PREFIX + "fin_total";
    private static final String FIRST_DATE = PREFIX + "first_date";
    private static final String F_PERIOD = PREFIX + "f_period";
    private static final String M_B = PREFIX + "m_b";
    private static final String M_OPP = PREFIX + "m_opp";
    private static final String NET_AMOUNT = PREFIX + "net";
    private static final String NET_ORIGINAL = PREFIX + "net_original";
    private static final String POSITIVE = PREFIX + "positive";
    private static final String P_MAX = PREFIX + "p_max";
    private static final String P_MIN = PREFIX + "p_min";
    private static final String P_OPP = PREFIX + "p_opp";
    private static final String S_PERIOD = PREFIX + "s_period";
    private static final String THROUGH_STEPS = PREFIX + "through_steps";
    private static final String UNRESOLVED = PREFIX + "unresolved";
    private static final String UN_PERIOD = PREFIX + "un_period";
    private static final String U_B = PREFIX + "u_b";
    private static final String U_NOTE = PREFIX + "u_note";
    private static final String U_OPP = PREFIX + "u_opp";
    private static final String U_ROWS = PREFIX + "u_rows";

    private ReconciliationAudit() {}

    /**
     * @param tieOutBreaks periods whose bridge does not tie out; empty unless there is a bug. The job
     *                     fails the run when it is not empty.
     * @param excludedBookings bookings in scope whose status maps to excluded (not bookings), counted
     * @param bookings the bookings in scope, one row each: every one is in exactly one reconciliation row
     */
    public record Result(Dataset<Row> reconciliation, Dataset<Row> bridge, Dataset<Row> tieOutBreaks,
                         Dataset<Row> metrics, Dataset<Row> excludedBookings, Dataset<Row> bookings) {
        public Result {
            requireNonNull(reconciliation, "reconciliation is null");
            requireNonNull(bridge, "bridge is null");
            requireNonNull(tieOutBreaks, "tieOutBreaks is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(excludedBookings, "excludedBookings is null");
            requireNonNull(bookings, "bookings is null");
        }
    }

    /**
     * What the reconciliation is judged by and how it keeps its intermediates.
     *
     * @param reasonCategories the loss-reason mapping, for the three-number bridge
     * @param materialize      keeps the deal rows and the finance-only rows, which the bridge, the metrics
     *                         and the table all read
     */
    public record Context(ReconciliationSettings settings, LabelMapping reasonCategories, AuditWindow window,
                          Materializer materialize) {
        public Context {
            requireNonNull(settings, "settings is null");
            requireNonNull(reasonCategories, "reasonCategories is null");
            requireNonNull(window, "window is null");
            requireNonNull(materialize, "materialize is null");
        }
    }

    /**
     * @param changes {@link dev.handshake.audit.OpportunityChanges} rows, for the three-number bridge
     * @param match   the run's matching of bookings to wins on this scope, the one every figure of
     *                "the win reached finance" reads ({@link BookingMatch})
     * @param modeled the translation layer's published metrics, if given
     */
    public static Result run(Dataset<Row> scope, Dataset<Row> changes, BookingMatch match,
                             Optional<Dataset<Row>> modeled, Context context) {
        ReconciliationSettings settings = context.settings();
        AuditWindow window = context.window();
        Materializer materialize = context.materialize();
        Dataset<Row> won = match.won();
        Dataset<Row> scoped = match.scoped();
        Dataset<Row> assigned = match.assigned();
        Dataset<Row> financeOnly = match.financeOnly();

        Dataset<Row> perOpp = assigned.groupBy(col(O_ID).as(P_OPP)).agg(
                array_sort(collect_list(col(B_ID))).as(BOOKING_IDS),
                sum(col(B_AMOUNT)).as(NET_AMOUNT),
                count_if(col(B_RESOLVED).equalTo(false)).as(UNRESOLVED),
                count_if(col(B_SIGNED).gt(0)).as(POSITIVE),
                min(B_PERIOD).as(P_MIN), max(B_PERIOD).as(P_MAX),
                // When the win reached finance: as BookingMatch.firstBooked (positive, or 0 and not a reversal).
                min(when(BookingMatch.reachesFinance(), col(B_DATE))).as(FIRST_DATE),
                bool_or(col(BookingMatch.BY).equalTo(BookingMatch.FALLBACK)).as(BY_FALLBACK),
                sum(col(B_SIGNED)).as(NET_ORIGINAL),
                org.apache.spark.sql.functions.collect_set(col(B_CCY)).as(B_CCYS),
                concat_ws(", ", array_sort(collect_list(when(col(B_RESOLVED).equalTo(false),
                        format_string("%s %s", coalesce(col(B_CURRENCY), lit("?")), cents(col(B_SIGNED)))))))
                        .as(B_UNCONVERTED));

        Column net = col(NET_AMOUNT);
        Column crm = col(O_AMOUNT);
        // When every booking is in the deal's own currency, amounts are compared in that currency:
        // the same 1,000 EUR on both sides is a match, whatever the rates on the two dates. The
        // translation difference still shows in the variance (in reporting currency).
        Column sameCurrency = coalesce(org.apache.spark.sql.functions.size(col(B_CCYS)).equalTo(1)
                .and(org.apache.spark.sql.functions.array_contains(col(B_CCYS), col(O_CCY))), lit(false));
        Column compareNet = when(sameCurrency, col(NET_ORIGINAL)).otherwise(net);
        Column compareCrm = when(sameCurrency, col(O_RAW_AMOUNT)).otherwise(crm);
        Column compareTolerance = tolerance(compareCrm, settings);
        Column booked = col(BOOKING_IDS).isNotNull();
        Column oppCategory = when(col(O_RESOLVED).equalTo(false).or(coalesce(col(UNRESOLVED), lit(0L)).gt(0)),
                lit(CURRENCY_UNRESOLVED))
                .when(booked.equalTo(false), when(date_add(col(O_CLOSE), settings.bookingLagDays()).gt(lit(window.asOf())),
                        lit(LAGGING)).otherwise(lit(CRM_ONLY)))
                // Bookings netting to zero are a reversal only of a deal that had a value: a deal of
                // value 0 booked at 0 is booked as claimed (and is not an FX problem either).
                .when(abs(compareNet).leq(lit(settings.amountTolerance()))
                        .and(coalesce(abs(compareCrm).gt(lit(settings.amountTolerance())), lit(true))), lit(REVERSED))
                // A booked win without an amount in the CRM: the booking cannot agree with it.
                .when(compareCrm.isNull(), lit(AMOUNT_MISMATCH))
                .when(col(POSITIVE).gt(1).and(compareNet.gt(compareCrm.plus(compareTolerance))),
                        lit(DUPLICATE_BOOKING))
                .when(abs(compareNet.minus(compareCrm)).gt(compareTolerance), lit(AMOUNT_MISMATCH))
                .when(col(P_MIN).notEqual(col(O_PERIOD)).or(col(P_MAX).notEqual(col(O_PERIOD))),
                        lit(PERIOD_MISMATCH))
                .otherwise(lit(MATCHED));
        Column unconvertedCrm = when(col(O_RESOLVED).equalTo(false), format_string("%s %s",
                coalesce(col(O_CURRENCY), lit("?")), cents(col(O_RAW_AMOUNT))));

        Dataset<Row> oppRows = materialize.apply(won.join(perOpp, col(O_ID).equalTo(col(P_OPP)), "left")
                .withColumn(CATEGORY, oppCategory)
                .select(col(O_ID).as(OPPORTUNITY_ID), col(BOOKING_IDS), col(O_ACCOUNT).as(ACCOUNT_ID),
                        col(CATEGORY),
                        when(booked, when(col(BY_FALLBACK), lit("fallback")).otherwise(lit("link"))).as(MATCHED_BY),
                        money(crm).as(CRM_AMOUNT), money(net).as(FINANCE_AMOUNT),
                        // A win without an amount claims no value: its variance is what finance booked.
                        money(when(col(CATEGORY).notEqual(CURRENCY_UNRESOLVED),
                                coalesce(net, lit(0)).minus(coalesce(crm, lit(0))))).as(VARIANCE),
                        col(O_PERIOD).as(CRM_PERIOD), col(P_MIN).as(FINANCE_PERIOD),
                        datediff(col(FIRST_DATE), col(O_CLOSE)).as(LAG_DAYS),
                        layer(col(CATEGORY)).as(LAYER), col(O_SEGMENT).as(SEGMENT),
                        nullIfEmpty(concat_ws(", ", unconvertedCrm, nullIfEmpty(col(B_UNCONVERTED)))).as(UNCONVERTED),
                        nullIfEmpty(concat_ws("; ",
                                when(col(O_RAW_AMOUNT).isNull().and(col(CATEGORY).notEqual(CURRENCY_UNRESOLVED)),
                                        lit("no value: the won deal carries no amount in the CRM")),
                                when(col(BY_FALLBACK), lit("matched by account, amount and date: the booking "
                                        + "carries no opportunity link")),
                                when(sameCurrency.and(col(CATEGORY).isin(MATCHED, PERIOD_MISMATCH))
                                                .and(net.notEqual(crm)),
                                        lit("amounts agree in the deal's currency; the variance is FX translation "
                                                + "between the close and booking dates")))).as(NOTE)));

        Dataset<Row> financeRows = materialize.apply(financeOnly.select(lit(null).cast("string").as(OPPORTUNITY_ID),
                array(col(B_ID)).as(BOOKING_IDS), col(B_ACCOUNT).as(ACCOUNT_ID),
                when(col(B_RESOLVED), lit(FINANCE_ONLY)).otherwise(lit(CURRENCY_UNRESOLVED)).as(CATEGORY),
                lit(null).cast("string").as(MATCHED_BY), money(lit(null)).as(CRM_AMOUNT),
                money(col(B_AMOUNT)).as(FINANCE_AMOUNT), money(col(B_AMOUNT)).as(VARIANCE),
                lit(null).cast("string").as(CRM_PERIOD), col(B_PERIOD).as(FINANCE_PERIOD),
                lit(null).cast("int").as(LAG_DAYS), lit(null).cast("string").as(LAYER),
                lit(dev.handshake.audit.LeadJourney.UNKNOWN).as(SEGMENT),
                when(col(B_RESOLVED).equalTo(false), format_string("%s %s", coalesce(col(B_CURRENCY), lit("?")),
                        cents(col(B_SIGNED)))).as(UNCONVERTED),
                when(col(B_OPP).isNotNull(), format_string("linked opportunity %s is not a won opportunity in scope",
                        col(B_OPP))).as(NOTE))
                .withColumn(LAYER, layer(col(CATEGORY)))
                .withColumn(VARIANCE, when(col(CATEGORY).equalTo(FINANCE_ONLY), col(VARIANCE))));

        Dataset<Row> reconciliation = oppRows.unionByName(financeRows);
        Dataset<Row> bridge = bridge(won, scoped, assigned, oppRows, financeRows);
        Dataset<Row> story = ThreeNumberBridge.build(scope, changes, oppRows, modeled, context.reasonCategories());
        Column fiscal = FiscalCalendar.quarter(col(PERIOD), settings.fiscalYearStartMonth());
        Dataset<Row> bridgeRows = bridge.unionByName(story).withColumn(FISCAL_QUARTER, fiscal)
                .select(BRIDGE_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
        return new Result(reconciliation, bridgeRows, tieOutBreaks(bridgeRows),
                MetricComparison.build(scope, oppRows, scoped, assigned, financeRows, modeled, fiscal),
                match.excluded(), scoped);
    }

    /**
     * Bridge name and period of every published bridge whose steps do not tie out: CRM to finance,
     * the steps before finance_bookings must sum to it; the three numbers, the running total after
     * qualification must be the sales-accepted amount. Read from the bridge rows themselves, so
     * what is checked is what is written (and a job can check its kept copy without recomputing).
     */
    public static Dataset<Row> tieOutBreaks(Dataset<Row> bridgeRows) {
        Column crm = col(BRIDGE_NAME).equalTo(CRM_TO_FINANCE);
        Column finance = col(STEP).equalTo("finance_bookings");
        Column z = lit(0);
        return bridgeRows.groupBy(BRIDGE_NAME, PERIOD).agg(
                        sum(when(crm.and(finance.equalTo(false)), col(AMOUNT))).as(THROUGH_STEPS),
                        max(when(crm.and(finance), col(AMOUNT))).as(FINANCE_TOTAL),
                        max(when(crm.equalTo(false).and(col(STEP_ORDER).equalTo(4)), col(RUNNING_TOTAL))).as(CHAIN),
                        max(when(crm.equalTo(false).and(col(STEP_ORDER).equalTo(5)), col(AMOUNT))).as(ACCEPTED_TOTAL))
                .filter(when(crm, coalesce(col(THROUGH_STEPS), z).notEqual(coalesce(col(FINANCE_TOTAL), z)))
                        .otherwise(coalesce(col(CHAIN), z).notEqual(coalesce(col(ACCEPTED_TOTAL), z))))
                .select(col(BRIDGE_NAME), col(PERIOD));
    }

    private static Dataset<Row> bridge(Dataset<Row> won, Dataset<Row> scoped, Dataset<Row> assigned,
                                 Dataset<Row> oppRows, Dataset<Row> financeRows) {
        Column notUnresolved = col(CATEGORY).notEqual(CURRENCY_UNRESOLVED);
        Dataset<Row> oppCategory = oppRows.select(col(OPPORTUNITY_ID).as(C_OPP), col(CATEGORY));
        Dataset<Row> crmSide = oppRows.filter(notUnresolved).select(col(CRM_PERIOD).as(PERIOD), col(CATEGORY),
                org.apache.spark.sql.functions.negate(col(CRM_AMOUNT)).as(AMOUNT), col(OPPORTUNITY_ID).as(ROW_KEY));
        Dataset<Row> financeLinked = assigned.join(oppCategory, col(O_ID).equalTo(col(C_OPP)), "inner")
                .filter(notUnresolved)
                .select(col(B_PERIOD).as(PERIOD), col(CATEGORY), col(B_AMOUNT).as(AMOUNT), col(O_ID).as(ROW_KEY));
        Dataset<Row> financeAlone = financeRows.filter(notUnresolved).select(col(FINANCE_PERIOD).as(PERIOD),
                col(CATEGORY), col(FINANCE_AMOUNT).as(AMOUNT), col(BOOKING_IDS).getItem(0).as(ROW_KEY));
        Dataset<Row> steps = crmSide.unionByName(financeLinked).unionByName(financeAlone)
                .groupBy(PERIOD, CATEGORY).agg(sum(AMOUNT).as(AMOUNT), count_distinct(col(ROW_KEY)).as(ROWS));

        // Unresolved rows are in neither total: a step of 0 with their count and unconverted amounts.
        Dataset<Row> unresolvedOpp = oppRows.filter(col(CATEGORY).equalTo(CURRENCY_UNRESOLVED));
        Dataset<Row> unresolved = unresolvedOpp.select(col(CRM_PERIOD).as(PERIOD), col(UNCONVERTED),
                        col(OPPORTUNITY_ID).as(ROW_KEY))
                .unionByName(financeRows.filter(col(CATEGORY).equalTo(CURRENCY_UNRESOLVED))
                        .select(col(FINANCE_PERIOD).as(PERIOD), col(UNCONVERTED), col(BOOKING_IDS).getItem(0).as(ROW_KEY)))
                .groupBy(PERIOD).agg(count_distinct(col(ROW_KEY)).as(U_ROWS),
                        concat_ws("; ", array_sort(collect_list(col(UNCONVERTED)))).as(U_NOTE));

        // Totals straight from the inputs, so a booking counted twice or lost breaks the tie-out.
        Dataset<Row> crmTotal = crmContributions(won, oppRows)
                .groupBy(col(PERIOD)).agg(sum(AMOUNT).as(CRM_TOTAL));
        Dataset<Row> financeTotal = financeContributions(scoped, assigned, oppRows)
                .groupBy(col(PERIOD)).agg(sum(AMOUNT).as(FIN_TOTAL));

        Dataset<Row> periods = steps.select(PERIOD).union(crmTotal.select(PERIOD)).union(financeTotal.select(PERIOD))
                .union(unresolved.select(PERIOD)).filter(col(PERIOD).isNotNull()).distinct();
        StructType stepSchema = new StructType().add(STEP, DataTypes.StringType).add(STEP_ORDER, DataTypes.IntegerType)
                .add(LAYER, DataTypes.StringType);
        List<Row> stepRows = new ArrayList<>();
        stepRows.add(RowFactory.create("crm_bookings", 0, null));
        for (int i = 0; i < CATEGORIES.size(); i++) {
            stepRows.add(RowFactory.create(CATEGORIES.get(i), i + 1, layerOf(CATEGORIES.get(i))));
        }
        stepRows.add(RowFactory.create("finance_bookings", CATEGORIES.size() + 1, null));
        Dataset<Row> stepNames = won.sparkSession().createDataFrame(stepRows, stepSchema);

        Column decimal0 = lit(0).cast(ColumnType.DECIMAL.sparkType());
        Dataset<Row> grid = periods.crossJoin(org.apache.spark.sql.functions.broadcast(stepNames))
                .join(steps.withColumnRenamed(PERIOD, S_PERIOD),
                        col(PERIOD).equalTo(col(S_PERIOD)).and(col(STEP).equalTo(col(CATEGORY))), "left")
                .join(crmTotal.withColumnRenamed(PERIOD, C_PERIOD), col(PERIOD).equalTo(col(C_PERIOD)), "left")
                .join(financeTotal.withColumnRenamed(PERIOD, F_PERIOD), col(PERIOD).equalTo(col(F_PERIOD)), "left")
                .join(unresolved.withColumnRenamed(PERIOD, UN_PERIOD), col(PERIOD).equalTo(col(UN_PERIOD)), "left")
                .select(lit(CRM_TO_FINANCE).as(BRIDGE_NAME), col(PERIOD), col(STEP_ORDER), col(STEP), col(LAYER),
                        when(col(STEP).equalTo("crm_bookings"), coalesce(col(CRM_TOTAL), decimal0))
                                .when(col(STEP).equalTo("finance_bookings"), coalesce(col(FIN_TOTAL), decimal0))
                                .otherwise(coalesce(col(AMOUNT), decimal0)).cast(ColumnType.DECIMAL.sparkType()).as(AMOUNT),
                        when(col(STEP).equalTo(CURRENCY_UNRESOLVED), coalesce(col(U_ROWS), lit(0L)))
                                .otherwise(coalesce(col(ROWS), lit(0L))).as(ROWS),
                        when(col(STEP).equalTo(CURRENCY_UNRESOLVED).and(col(U_NOTE).isNotNull()),
                                org.apache.spark.sql.functions.concat(lit("not converted, left out of both totals: "),
                                        col(U_NOTE))).as(NOTE));
        Column running = sum(when(col(STEP).equalTo("finance_bookings"), decimal0).otherwise(col(AMOUNT)))
                .over(Window.partitionBy(PERIOD).orderBy(STEP_ORDER));
        Dataset<Row> rows = grid.withColumn(RUNNING_TOTAL, when(col(STEP).equalTo("finance_bookings"), col(AMOUNT))
                        .otherwise(running).cast(ColumnType.DECIMAL.sparkType()))
                .select(BRIDGE_COLUMNS.stream().filter(c -> !c.equals(FISCAL_QUARTER)).map(c -> col(c))
                        .toArray(Column[]::new));
        return rows;
    }

    /**
     * What each record adds to its period's published CRM bookings and finance bookings (the
     * bridge's {@code crm_bookings} and {@code finance_bookings} steps are their sums): a won deal
     * its amount to its close-date period ({@link #CRM_SIDE}), a booking its signed amount to its
     * finance period ({@link #FINANCE_SIDE}), in reporting currency. A deal not converted
     * ({@code CURRENCY_UNRESOLVED}) and its bookings, and a booking not converted, add to neither.
     *
     * @param reconciliation the run's reconciliation rows (its CURRENCY_UNRESOLVED deals are read)
     * @return {@link ReconciliationTables#PERIOD}, {@link ReconciliationTables#SIDE},
     *         {@link ReconciliationTables#RECORD_ID} (the deal or the booking),
     *         {@link ReconciliationTables#OPPORTUNITY_ID} (for a booking, the win it is matched to),
     *         {@link ReconciliationTables#RECORD_DATE} (close date, booking date),
     *         {@link ReconciliationTables#AMOUNT}
     */
    public static Dataset<Row> contributions(BookingMatch match, Dataset<Row> reconciliation) {
        Dataset<Row> deals = reconciliation.filter(col(OPPORTUNITY_ID).isNotNull());
        Dataset<Row> matchedTo = match.assigned().select(col(B_ID).as(M_B), col(O_ID).as(M_OPP));
        Dataset<Row> bookings = financeContributions(match.scoped(), match.assigned(), deals)
                .join(matchedTo, col(RECORD_ID).equalTo(col(M_B)), "left")
                .withColumn(OPPORTUNITY_ID, col(M_OPP));
        return crmContributions(match.won(), deals).withColumn(OPPORTUNITY_ID, col(RECORD_ID))
                .unionByName(bookings.select(CONTRIBUTION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new)))
                .select(CONTRIBUTION_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    private static Dataset<Row> unresolvedDeals(Dataset<Row> oppRows) {
        return oppRows.filter(col(CATEGORY).equalTo(CURRENCY_UNRESOLVED)).select(col(OPPORTUNITY_ID).as(U_OPP));
    }

    /** Won deals, converted, by their close-date period (contribution columns but the deal id). */
    private static Dataset<Row> crmContributions(Dataset<Row> won, Dataset<Row> oppRows) {
        return won.filter(col(O_RESOLVED))
                .join(unresolvedDeals(oppRows), col(O_ID).equalTo(col(U_OPP)), "left_anti")
                .select(col(O_PERIOD).as(PERIOD), lit(CRM_SIDE).as(SIDE), col(O_ID).as(RECORD_ID),
                        col(O_CLOSE).as(RECORD_DATE), col(O_AMOUNT).as(AMOUNT));
    }

    /** Bookings, converted, not of an unconverted deal, by their finance period (no deal column). */
    private static Dataset<Row> financeContributions(Dataset<Row> scoped, Dataset<Row> assigned, Dataset<Row> oppRows) {
        Dataset<Row> unresolvedBookings = assigned.join(unresolvedDeals(oppRows), col(O_ID).equalTo(col(U_OPP)),
                "inner").select(col(B_ID).as(U_B));
        return scoped.filter(col(B_RESOLVED))
                .join(unresolvedBookings, col(B_ID).equalTo(col(U_B)), "left_anti")
                .select(col(B_PERIOD).as(PERIOD), lit(FINANCE_SIDE).as(SIDE), col(B_ID).as(RECORD_ID),
                        col(B_DATE).as(RECORD_DATE), col(B_AMOUNT).as(AMOUNT));
    }

    private static Column tolerance(Column amount, ReconciliationSettings settings) {
        return BookingMatch.tolerance(amount, settings);
    }

    /** An amount as text with two decimals, for notes. */
    private static Column cents(Column amount) {
        return amount.cast("decimal(24,2)").cast("string");
    }

    static Column money(Column amount) {
        return amount.cast(ColumnType.DECIMAL.sparkType());
    }

    private static Column nullIfEmpty(Column text) {
        return when(text.notEqual(lit("")), text);
    }

    static String layerOf(String category) {
        return switch (category) {
            case MATCHED -> null;
            case FINANCE_ONLY -> Layer.CRM_STAGE_OWNERSHIP.name();
            default -> Layer.FINANCE_NORMALIZATION.name();
        };
    }

    /** The layer of a category, as a map lookup (one expression, however many categories). */
    private static Column layer(Column category) {
        List<Column> kv = new ArrayList<>();
        for (String c : CATEGORIES) {
            if (layerOf(c) != null) {
                kv.add(lit(c));
                kv.add(lit(layerOf(c)));
            }
        }
        return org.apache.spark.sql.functions.try_element_at(
                org.apache.spark.sql.functions.map(kv.toArray(Column[]::new)), category);
    }


}
