package dev.handshake.audit.reconciliation;

import static dev.handshake.audit.reconciliation.ReconciliationTables.*;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.OpportunityScope;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each metric per period and segment (and segment {@code *} = all), three ways: as the translation
 * layer published it ({@code modeled_metrics}), as recomputed here from raw CRM, and finance-safe.
 *
 * <ul>
 *   <li>{@code bookings}: recomputed = crm_bookings (won amounts by close period); finance-safe =
 *       finance_bookings (booking amounts by finance period, segment of the matched opportunity).
 *   <li>{@code sourced_pipeline}: amounts of opportunities created in the period whose originating
 *       lead or own record carries a campaign; there is no finance-safe counterpart.
 * </ul>
 * Both totals leave out CURRENCY_UNRESOLVED rows, as the bridge does, so they tie to it.
 * {@code variance} = (modeled if published, else recomputed) - finance-safe: what the GTM story says
 * minus what finance can defend; {@code translation_drift} = modeled - recomputed.
 */
final class MetricComparison {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__metric_";
    private static final String M_OPP = PREFIX + "m_opp";
    private static final String VALUE = PREFIX + "v";
    private MetricComparison() {}

    static Dataset<Row> build(Dataset<Row> scope, Dataset<Row> oppRows, Dataset<Row> scoped, Dataset<Row> assigned,
                              Dataset<Row> financeRows, Optional<Dataset<Row>> modeled, Column fiscalQuarter) {
        Column resolvedRow = col(CATEGORY).notEqual(CURRENCY_UNRESOLVED);
        Dataset<Row> crm = oppRows.filter(resolvedRow)
                .select(lit(METRIC_BOOKINGS).as(METRIC), col(CRM_PERIOD).as(PERIOD), col(SEGMENT),
                        col(CRM_AMOUNT).as(VALUE));
        Dataset<Row> oppSegment = oppRows.filter(resolvedRow).select(col(OPPORTUNITY_ID).as(M_OPP),
                col(SEGMENT));
        Dataset<Row> finance = assigned.join(oppSegment, col(BookingMatch.O_ID).equalTo(col(M_OPP)), "inner")
                .select(lit(METRIC_BOOKINGS).as(METRIC), col(BookingMatch.B_PERIOD).as(PERIOD), col(SEGMENT),
                        col(BookingMatch.B_AMOUNT).as(VALUE))
                .unionByName(financeRows.filter(resolvedRow).select(lit(METRIC_BOOKINGS).as(METRIC),
                        col(FINANCE_PERIOD).as(PERIOD), col(SEGMENT), col(FINANCE_AMOUNT).as(VALUE)));
        Column linked = col(OpportunityScope.LEAD_CAMPAIGN_ID).isNotNull()
                .or(col(OpportunityScope.PREFIX + "campaign_id").isNotNull());
        Dataset<Row> sourced = scope.filter(linked.and(col(OpportunityScope.AMOUNT_RESOLVED))
                        .and(col(OpportunityScope.AMOUNT_REPORTING).isNotNull()))
                .select(lit(METRIC_SOURCED_PIPELINE).as(METRIC),
                        date_format(col(OpportunityScope.PREFIX + "created_at"), "yyyy-MM").as(PERIOD),
                        col(OpportunityScope.SEGMENT).as(SEGMENT), col(OpportunityScope.AMOUNT_REPORTING).as(VALUE));

        Dataset<Row> recomputed = bySegmentAndAll(crm.unionByName(sourced), RECOMPUTED_VALUE);
        Dataset<Row> financeSafe = bySegmentAndAll(finance, FINANCE_SAFE_VALUE);
        Dataset<Row> joined = recomputed.join(financeSafe, keys(), "full_outer");
        if (modeled.isPresent()) {
            Dataset<Row> published = modeled.get()
                    .groupBy(col("metric").as(METRIC), col("period").as(PERIOD),
                            coalesce(col("segment"), lit("*")).as(SEGMENT))
                    .agg(sum("value").as(MODELED_VALUE), first("source_model", true).as(SOURCE_MODEL));
            joined = joined.join(published, keys(), "full_outer");
        } else {
            joined = joined.withColumn(MODELED_VALUE, lit(null).cast(dev.handshake.model.ColumnType.DECIMAL.sparkType()))
                    .withColumn(SOURCE_MODEL, lit(null).cast("string"));
        }
        Column story = coalesce(col(MODELED_VALUE), col(RECOMPUTED_VALUE));
        Column variance = story.minus(col(FINANCE_SAFE_VALUE));
        return joined
                .withColumn(VARIANCE, ReconciliationAudit.money(variance))
                .withColumn(VARIANCE_PCT, when(col(FINANCE_SAFE_VALUE).notEqual(0),
                        round(variance.cast("double").multiply(100.0).divide(col(FINANCE_SAFE_VALUE).cast("double")), 2)))
                .withColumn(TRANSLATION_DRIFT, ReconciliationAudit.money(col(MODELED_VALUE).minus(col(RECOMPUTED_VALUE))))
                .withColumn(MODELED_VALUE, ReconciliationAudit.money(col(MODELED_VALUE)))
                .withColumn(FISCAL_QUARTER, fiscalQuarter)
                .select(METRIC_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    private static scala.collection.immutable.Seq<String> keys() {
        return scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(METRIC, PERIOD, SEGMENT)).toSeq();
    }

    /** Sums {@link #VALUE} per metric, period and segment, plus the all-segments row {@code *}. */
    private static Dataset<Row> bySegmentAndAll(Dataset<Row> values, String as) {
        return values.select(col(METRIC), col(PERIOD), col(VALUE),
                        explode(org.apache.spark.sql.functions.array(col(SEGMENT), lit("*"))).as(SEGMENT))
                .groupBy(METRIC, PERIOD, SEGMENT)
                .agg(ReconciliationAudit.money(sum(VALUE)).as(as));
    }

}
