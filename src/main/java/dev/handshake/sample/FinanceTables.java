package dev.handshake.sample;

import static dev.handshake.sample.DealPlan.isCase;
import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.Tables.date;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.grouping;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.BreakId;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnType;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** bookings (per the planted {@link ReconCase}, plus finance-only and malformed rows), fx_rates, modeled_metrics. */
final class FinanceTables {
    /** Currencies with rates. BRL, used by CURRENCY_UNRESOLVED, is deliberately absent. */
    static final String[] FX_CURRENCIES = {"USD", "EUR", "GBP"};
    static final String UNRESOLVED_CURRENCY = "BRL";
    /** The translation layer's planted drift: modeled bookings inflated by 4% in some periods. */
    static final BigDecimal DRIFT = new BigDecimal("1.04");
    private static final String NO_SEGMENT = "~";

    private final SampleSpec spec;
    private final SampleCalendar cal;
    private final Draws draws;

    FinanceTables(SampleSpec spec, SampleCalendar cal, Draws draws) {
        this.spec = spec;
        this.cal = cal;
        this.draws = draws;
    }

    /** Bookings finance made with no CRM counterpart: 0.4% of N, at least 2. */
    static long financeOnly(long leads) {
        return Math.max(2L, Math.round(leads * 0.004));
    }

    /** Malformed bookings: id % 4 = 0 null booking_id, 1 null booking_date, 2 null amount, 3 duplicate id (2 rows). */
    static long quarantineExtras(long leads) {
        return Math.max(4L, (leads + 1_999) / 2_000);
    }

    Dataset<Row> bookings(SparkSession spark, Dataset<Row> plan) {
        Column rc = col(RECON);
        Column reversal = isCase(rc, ReconCase.REVERSED);
        Column first = when(col(BOOKING1_DAY).isNotNull(), struct(lit(0L).as("slot"), col(BOOKING1_DAY).as("day"),
                col(BOOKING1_AMOUNT).as("amount"), lit("booked").as("status"),
                when(not(isCase(rc, ReconCase.MATCHED_FALLBACK)), col(OPP_ID)).as("opp")));
        Column second = when(col(BOOKING2_DAY).isNotNull(), struct(lit(1L).as("slot"), col(BOOKING2_DAY).as("day"),
                when(reversal, functions.negate(col(AMOUNT))).otherwise(col(AMOUNT)).as("amount"),
                when(reversal, lit("reversed")).otherwise(lit("booked")).as("status"), col(OPP_ID).as("opp")));
        // Only won opportunities have booking days, so the array is empty for every other lead.
        Dataset<Row> rows = plan.select(col(ID), col(ACCOUNT_ID), col(CURRENCY), col(OPP_TYPE),
                explode(array(first, second)).as("e")).filter(col("e").isNotNull());
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("booking_id", Tables.id("B", 10, col(ID).multiply(2).plus(col("e.slot"))));
        c.put("opportunity_id", col("e.opp"));
        c.put("account_id", col(ACCOUNT_ID));
        c.put("booking_date", date(col("e.day")));
        c.put("fiscal_period", fiscalPeriod(col("e.day"), draws.u(col(ID).multiply(2).plus(col("e.slot")), "fp.null")));
        c.put("amount", col("e.amount"));
        c.put("currency_code", col(CURRENCY));
        c.put("arr", when(col(OPP_TYPE).notEqual(lit("renewal")), col("e.amount")));
        c.put("booking_type", col(OPP_TYPE));
        c.put("status", col("e.status"));
        Dataset<Row> linked = Tables.conform(rows, CanonicalTable.BOOKINGS, c);
        return linked.unionByName(financeOnlyRows(spark)).unionByName(malformed(spark));
    }

    /**
     * Finance's acknowledgements of known breaks: every third planted CRM_ONLY deal, acknowledged
     * until 30 days after as_of as expected CRM_ONLY, and one row naming a break id no ledger has
     * (the audit must report it, not drop it).
     */
    Dataset<Row> acknowledgements(SparkSession spark, Dataset<Row> plan) {
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("break_id", BreakId.of(col(OPP_ID),
                lit(null).cast("array<string>")));
        c.put("acknowledged_by", lit("revenue-operations"));
        c.put("reason", lit("won without a purchase order yet; booking expected next month"));
        c.put("until", lit(java.sql.Date.valueOf(cal.asOf().plusDays(30))));
        c.put("expected_category", lit(ReconCase.CRM_ONLY.name()));
        Dataset<Row> known = Tables.conform(plan.filter(isCase(col(RECON), ReconCase.CRM_ONLY)
                .and(pmod(col(ID), lit(3)).equalTo(0))), CanonicalTable.ACKNOWLEDGEMENTS, c);
        Map<String, Column> u = new LinkedHashMap<>();
        u.put("break_id", lit("BRK-0000000000000000"));
        u.put("acknowledged_by", lit("revenue-operations"));
        u.put("reason", lit("a break id copied wrongly"));
        u.put("until", lit(java.sql.Date.valueOf(cal.asOf().plusDays(30))));
        u.put("expected_category", lit(null).cast("string"));
        Dataset<Row> unknown = Tables.conform(spark.range(1).toDF(), CanonicalTable.ACKNOWLEDGEMENTS, u);
        return known.unionByName(unknown).repartition(1).sortWithinPartitions("break_id");
    }

    /** yyyy-MM of the booking date; left null in 8% of rows (the reader derives it). */
    private static Column fiscalPeriod(Column day, Column u) {
        return when(u.geq(lit(0.08)), date_format(date(day), "yyyy-MM"));
    }

    private Dataset<Row> financeOnlyRows(SparkSession spark) {
        long n = financeOnly(spec.leads());
        Dataset<Row> base = spark.range(0, n, 1, (int) Math.max(1, (n + 499_999) / 500_000)).toDF();
        Column id = col("id");
        Column day = lit(cal.asOfDay()).minus(draws.below(id, "fo.day", 360));
        Column currency = Draws.pickLabel(draws.u(id, "fo.currency"), new double[] {80, 12, 8}, FX_CURRENCIES);
        Column amount = floor(exp(lit(Math.log(20_000)).plus(draws.normal(id, "fo.amount").multiply(0.8)))
                .divide(10.0)).multiply(10.0).plus(lit(100.0));
        Column type = Draws.pickLabel(draws.u(id, "fo.type"), new double[] {50, 30, 20}, "new", "expansion", "renewal");
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("booking_id", Tables.id("BF", 9, id));
        c.put("opportunity_id", lit(null).cast("string"));
        // Accounts finance knows and the CRM does not, so no fallback match is possible.
        c.put("account_id", Tables.id("AF", 8, id));
        c.put("booking_date", date(day));
        c.put("fiscal_period", fiscalPeriod(day, draws.u(id, "fo.fp.null")));
        c.put("amount", amount);
        c.put("currency_code", currency);
        c.put("arr", when(type.notEqual(lit("renewal")), amount));
        c.put("booking_type", type);
        c.put("status", lit("booked"));
        return Tables.conform(base, CanonicalTable.BOOKINGS, c);
    }

    private Dataset<Row> malformed(SparkSession spark) {
        Column kind = pmod(col("id"), lit(4L));
        Dataset<Row> rows = spark.range(0, quarantineExtras(spec.leads()), 1, 1).toDF()
                .withColumn("copy", explode(when(kind.equalTo(lit(3L)), array(lit(0), lit(1))).otherwise(array(lit(0)))));
        Column day = lit(cal.asOfDay()).minus(draws.below(col("id"), "q.booking.day", 300));
        Column amount = lit(new BigDecimal("1000")).plus(col("copy").multiply(lit(500)));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("booking_id", when(kind.notEqual(lit(0L)), Tables.id("BQ", 7, col("id"))));
        c.put("opportunity_id", lit(null).cast("string"));
        c.put("account_id", Tables.id("AQB", 6, col("id")));
        c.put("booking_date", when(kind.notEqual(lit(1L)), date(day)));
        c.put("fiscal_period", lit(null).cast("string"));
        c.put("amount", when(kind.notEqual(lit(2L)), amount));
        c.put("currency_code", lit("USD"));
        c.put("arr", lit(null).cast("decimal(24,6)"));
        c.put("booking_type", lit("new"));
        c.put("status", lit("booked"));
        return Tables.conform(rows, CanonicalTable.BOOKINGS, c);
    }

    /** Daily rates from 60 days before the window to 15 days after as_of; a gentle seasonal wave. */
    Dataset<Row> fxRates(SparkSession spark) {
        long firstDay = cal.windowStartDay() - 60;
        long days = cal.asOfDay() + 15 - firstDay + 1;
        Column id = col("id");
        Column currencyIndex = pmod(id, lit((long) FX_CURRENCIES.length));
        Column day = lit(firstDay).plus(id.divide(lit(FX_CURRENCIES.length)).cast("long"));
        Column wave = sin(day.cast("double").divide(45.0));
        Column noise = draws.u(id, "fx.noise").minus(0.5);
        Column rate = when(currencyIndex.equalTo(lit(0L)), lit(1.0))
                .when(currencyIndex.equalTo(lit(1L)), lit(1.08).plus(wave.multiply(0.04)).plus(noise.multiply(0.01)))
                .otherwise(lit(1.27).plus(wave.multiply(0.03)).plus(noise.multiply(0.01)));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("currency_code", Draws.oneOf(currencyIndex, FX_CURRENCIES));
        c.put("rate_date", date(day));
        c.put("rate_to_reporting", round(rate, 6));
        return Tables.conform(spark.range(0, days * FX_CURRENCIES.length, 1, 1).toDF(), CanonicalTable.FX_RATES, c);
    }

    /**
     * What the warehouse translation layer publishes, per month of the window and segment (null =
     * all): bookings = won amounts by close month in raw currency (no FX: the layer's own rule),
     * won_deals = their count, sourced_pipeline = amounts of opportunities created in the month whose
     * lead or own record carries a campaign. Bookings are inflated by {@link #DRIFT} in drift periods.
     */
    Dataset<Row> modeledMetrics(Dataset<Row> plan) {
        Column wonMonth = date_format(date(col(CLOSE_DAY)), "yyyy-MM");
        Column createdMonth = date_format(date(floor(col(T_OPP).divide(lit(DAY)))), "yyyy-MM");
        Column sourced = col(SETTLED).and(col(LEAD_HAS_CAMPAIGN).or(col(OPP_CAMPAIGN).isNotNull()
                .and(trim(col(OPP_CAMPAIGN)).notEqual(lit("")))));
        Column[] perDeal = {
            when(col(WON_AS_OF), metricRow("bookings", wonMonth, col(AMOUNT))),
            when(col(WON_AS_OF), metricRow("won_deals", wonMonth, lit(1))),
            when(sourced, metricRow("sourced_pipeline", createdMonth, coalesce(col(OPP_AMOUNT), lit(0))))
        };
        // Deals without a valid segment count in the all-segments row only.
        Column segment = when(col(SEGMENT_LABEL).isin("SMB", "MM", "ENT"), col(SEGMENT_LABEL)).otherwise(lit(NO_SEGMENT));
        Dataset<Row> rows = plan.select(segment.as("segment"), explode(array(perDeal)).as("e"))
                .filter(col("e").isNotNull())
                .select(col("e.metric").as("metric"), col("e.period").as("period"), col("segment"), col("e.value").as("value"));
        // One scan: rollup gives (metric, period, segment) and (metric, period) = all segments.
        Dataset<Row> grouped = rows.rollup(col("metric"), col("period"), col("segment"))
                .agg(sum(col("value")).as("value"), grouping(col("period")).as("g_period"),
                        grouping(col("segment")).as("g_segment"))
                .filter(col("metric").isNotNull().and(col("g_period").equalTo(lit(0)))
                        .and(col("g_segment").equalTo(lit(1)).or(col("segment").notEqual(lit(NO_SEGMENT)))));
        String first = cal.asOf().minusDays(cal.lookbackDays()).toString().substring(0, 7);
        String last = cal.asOf().toString().substring(0, 7);
        Column inWindow = col("period").geq(lit(first)).and(col("period").leq(lit(last)));
        Column drift = col("metric").equalTo(lit("bookings")).and(isDriftPeriod(col("period")));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("metric", col("metric"));
        c.put("period", col("period"));
        c.put("segment", when(col("g_segment").equalTo(lit(0)), col("segment")));
        c.put("value", when(drift, col("value").multiply(lit(DRIFT))).otherwise(col("value")));
        c.put("source_model", when(col("metric").equalTo(lit("sourced_pipeline")), lit("dbt.fct_pipeline"))
                .otherwise(lit("dbt.fct_bookings")));
        // Small (months x metrics x segments): one ordered file for a stable layout.
        return Tables.conform(grouped.filter(inWindow), CanonicalTable.MODELED_METRICS, c)
                .repartition(1).sortWithinPartitions("metric", "period", "segment");
    }

    private static Column metricRow(String metric, Column period, Column value) {
        return struct(lit(metric).as("metric"), period.as("period"),
                value.cast(ColumnType.DECIMAL.sparkType()).as("value"));
    }

    /**
     * The periods whose modeled bookings drift: the months 2 and 5 before the as_of month, fixed
     * so that every sample has drift to find and the manifest can name it.
     */
    List<String> driftPeriods() {
        YearMonth asOfMonth = YearMonth.from(cal.asOf());
        return List.of(asOfMonth.minusMonths(5).toString(), asOfMonth.minusMonths(2).toString());
    }

    Column isDriftPeriod(Column period) {
        return period.isin(driftPeriods().toArray());
    }
}
