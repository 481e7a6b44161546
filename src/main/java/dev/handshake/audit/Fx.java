package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.FX_RATES;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.AuditWindow;
import dev.handshake.model.ColumnType;
import dev.handshake.source.AuditInputs;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Conversion into the reporting currency with the latest rate on or before the amount's date
 * (input contract, fx_rates). An amount with no usable rate is never converted at 1.0: its
 * converted value is null and the row says so, so totals can exclude and count it.
 *
 * <p>The rates are expanded once into a small dense table (currency x day, forward-filled up to
 * as_of) and broadcast, so converting a large table is one equi-join.
 */
public final class Fx {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__fx_";
    static final String RATE = PREFIX + "rate";
    private static final String CODE = PREFIX + "code";
    private static final String DATE = PREFIX + "date";
    private static final String CCY = PREFIX + "ccy";
    private static final String DAY = PREFIX + "day";

    private final String reportingCurrency;
    private final Optional<Dataset<Row>> dailyRates;

    private Fx(String reportingCurrency, Optional<Dataset<Row>> dailyRates) {
        this.reportingCurrency = requireNonNull(reportingCurrency, "reportingCurrency is null");
        this.dailyRates = dailyRates;
    }

    public static Fx of(AuditInputs in, String reportingCurrency, AuditWindow window) {
        return new Fx(reportingCurrency, in.optional(FX_RATES).map(rates -> dense(rates, window)));
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    public boolean hasRates() {
        return dailyRates.isPresent();
    }

    /** A row's currency as rates are keyed: upper case, a missing one the reporting currency. */
    public Column code(Column currency) {
        return upperAscii(coalesce(currency, lit(reportingCurrency)));
    }

    /**
     * ISO 4217 codes are ASCII letters, so only those are folded: Spark's {@code upper} maps case
     * through ICU, row by row, at a cost out of all proportion to a three-letter code.
     */
    private static Column upperAscii(Column code) {
        return translate(code, "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }

    /**
     * Adds {@code target} (amount in reporting currency, rounded half-up to cents; null when no
     * rate) and {@code target + "_resolved"}. A null currency means the reporting currency.
     */
    public Dataset<Row> convert(Dataset<Row> rows, Column amount, Column currency, Column date, String target) {
        Column code = code(currency);
        Dataset<Row> keyed = rows.withColumn(CODE, code).withColumn(DATE, date);
        Column rate;
        if (dailyRates.isPresent()) {
            keyed = keyed.join(dailyRates.get(), col(CODE).equalTo(col(CCY))
                    .and(col(DATE).equalTo(col(DAY))), "left");
            rate = when(col(CODE).equalTo(lit(reportingCurrency)), lit(1)).otherwise(col(RATE));
        } else {
            rate = when(col(CODE).equalTo(lit(reportingCurrency)), lit(1));
        }
        Column converted = round(amount.multiply(rate), 2).cast(ColumnType.DECIMAL.sparkType());
        Dataset<Row> out = keyed
                .withColumn(target, when(amount.isNotNull(), converted))
                .withColumn(target + "_resolved", amount.isNull().or(rate.isNotNull()));
        return dailyRates.isPresent()
                ? out.drop(CODE, DATE, CCY, DAY, RATE)
                : out.drop(CODE, DATE);
    }

    private static Dataset<Row> dense(Dataset<Row> rates, AuditWindow window) {
        Dataset<Row> usable = rates.filter(col("rate_date").leq(lit(window.asOf()))
                .and(col("rate_to_reporting").gt(0)))
                .select(upperAscii(col("currency_code")).as("ccy"), col("rate_date"), col("rate_to_reporting"));
        // One rate per currency and day (the largest, should a feed carry two), then every day from
        // the first rate to as_of carries the latest rate on or before it.
        Dataset<Row> perDay = usable.groupBy("ccy", "rate_date").agg(max("rate_to_reporting").as("rate"));
        Dataset<Row> days = perDay.groupBy(col("ccy").as("day_ccy")).agg(min("rate_date").as("first"))
                .select(col("day_ccy"), explode(sequence(col("first"), lit(window.asOf()))).as("day"));
        Dataset<Row> filled = days.join(perDay, col("day_ccy").equalTo(col("ccy"))
                        .and(col("day").equalTo(col("rate_date"))), "left")
                .select(col("day_ccy").as("ccy"), col("day"), col("rate"))
                .withColumn(RATE, last(col("rate"), true).over(Window.partitionBy("ccy").orderBy("day")));
        return broadcast(filled.select(col("ccy").as(CCY), col("day").as(DAY), col(RATE)));
    }
}
