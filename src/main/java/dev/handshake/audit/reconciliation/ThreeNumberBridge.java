package dev.handshake.audit.reconciliation;

import static dev.handshake.audit.reconciliation.ReconciliationTables.*;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.Layer;
import dev.handshake.audit.OpportunityChanges;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.config.LabelMapping;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The three numbers of one story (section 3; the seed's $1.2M / $700K / lower-still example), per
 * period of opportunity creation: marketing_sourced_pipeline -> sales_accepted_pipeline ->
 * finance_booked, each step attributed to the layer it came from.
 *
 * <p>Each sourced opportunity is attributed once, to the first layer that explains it: linkage
 * lost between lead and opportunity (CAPTURE), then re-owned / moved backward / reopened after the
 * handoff (CRM_STAGE_OWNERSHIP), then lost for a qualification reason (QUALIFICATION_HANDOFF).
 * What remains is sales-accepted; what finance booked for those opportunities is the last number.
 * When the translation layer publishes sourced_pipeline, marketing's number is that, and the gap to
 * the recomputation is a WAREHOUSE_LOGIC step.
 */
public final class ThreeNumberBridge {
    static final String NAME = "marketing_sourced_to_finance_booked";
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__story_";
    private static final String ACCEPTED_N = PREFIX + "acc_n";
    private static final String ACCEPTED_V = PREFIX + "acc";
    private static final String CAPTURE_N = PREFIX + "cap_n";
    private static final String CAPTURE_V = PREFIX + "cap";
    private static final String CRM_N = PREFIX + "crm_n";
    private static final String CRM_V = PREFIX + "crm_v";
    private static final String DISQ_N = PREFIX + "disq_n";
    private static final String DISQ_V = PREFIX + "disq_v";
    private static final String FINANCE_V = PREFIX + "fin";
    private static final String MODEL = PREFIX + "model";
    private static final String MODELED = PREFIX + "modeled";
    private static final String M_PERIOD = PREFIX + "m_period";
    private static final String OPP_ACCEPTED = PREFIX + "accepted";
    private static final String OPP_AMOUNT = PREFIX + "amount";
    private static final String OPP_BOOKED = PREFIX + "booked";
    private static final String OPP_CAPTURE = PREFIX + "capture";
    private static final String OPP_CRM = PREFIX + "crm";
    private static final String OPP_DISQ = PREFIX + "disq";
    private static final String R_OPP = PREFIX + "r_opp";
    private static final String SOURCED_V = PREFIX + "s0";

    private ThreeNumberBridge() {}

    /** Columns of {@link #perOpportunity}: one row per sourced opportunity with a resolved amount. */
    public static final String OPPORTUNITY = "story_opportunity_id";
    public static final String STORY_AMOUNT = "story_amount";
    public static final String CAPTURE_LOST = "story_capture";
    public static final String CRM_CHANGED = "story_crm";
    public static final String DISQUALIFIED = "story_disqualified";
    public static final String ACCEPTED = "story_accepted";
    public static final String BOOKED = "story_booked";
    /** What became of a sourced opportunity: {@link #WON}, {@link #LOST} or {@link #OPEN}. */
    public static final String STATUS = "story_status";
    /** For a won one, how finance booked it: {@link #AS_CLAIMED}, {@link #DIFFERENTLY}, {@link #NOT_BOOKED}. */
    public static final String BOOKING = "story_booking";
    public static final String WON = "WON";
    public static final String LOST = "LOST";
    public static final String OPEN = "OPEN";
    public static final String AS_CLAIMED = "AS_CLAIMED";
    public static final String DIFFERENTLY = "DIFFERENTLY";
    public static final String NOT_BOOKED = "NOT_BOOKED";

    /**
     * Each sourced opportunity with the layer step that removes it from the story (at most one of
     * capture, crm, disqualified; else accepted) and what finance booked for it when accepted.
     * The bridge sums these per period; the benchmark sums them per workflow.
     */
    public static Dataset<Row> perOpportunity(Dataset<Row> scope, Dataset<Row> changes, Dataset<Row> oppRows,
                                              LabelMapping reasonCategories) {
        Column sourced = col(OpportunityScope.LEAD_CAMPAIGN_ID).isNotNull()
                .or(col(OpportunityScope.PREFIX + "campaign_id").isNotNull());
        Column capture = col(OpportunityScope.LEAD_CAMPAIGN_ID).isNotNull()
                .and(col(OpportunityScope.PREFIX + "campaign_id").isNull());
        Column crm = capture.equalTo(false).and(coalesce(col(OpportunityChanges.OWNER_CHANGES), lit(0L)).gt(0)
                .or(col(OpportunityChanges.BACKWARD_MOVES).gt(0)).or(col(OpportunityChanges.REOPENED)));
        Column disqualified = capture.or(crm).equalTo(false).and(col(OpportunityScope.LOST_ON).isNotNull())
                .and(coalesce(reasonCategories.map(col(OpportunityScope.PREFIX + "loss_reason")).equalTo("qualification"),
                        lit(false)));
        Column accepted = capture.or(crm).or(disqualified).equalTo(false);
        Column amount = col(OpportunityScope.AMOUNT_REPORTING);
        // A win counts as won even when a later loss date exists (reopened after the win).
        Column status = when(col(OpportunityScope.WON_ON).isNotNull(), lit(WON))
                .when(col(OpportunityScope.LOST_ON).isNotNull(), lit(LOST)).otherwise(lit(OPEN));
        Column booked = when(col(CATEGORY).notEqual(CURRENCY_UNRESOLVED), coalesce(col(FINANCE_AMOUNT), lit(0)))
                .otherwise(lit(0));

        return scope.filter(sourced.and(col(OpportunityScope.AMOUNT_RESOLVED)).and(amount.isNotNull()))
                .join(changes, col(OpportunityScope.ID).equalTo(col(OpportunityChanges.ID)), "left")
                .join(oppRows.select(col(OPPORTUNITY_ID).as(R_OPP), col(CATEGORY), col(FINANCE_AMOUNT)),
                        col(OpportunityScope.ID).equalTo(col(R_OPP)), "left")
                .withColumn(OpportunityChanges.BACKWARD_MOVES, coalesce(col(OpportunityChanges.BACKWARD_MOVES), lit(0L)))
                .withColumn(OpportunityChanges.REOPENED, coalesce(col(OpportunityChanges.REOPENED), lit(false)))
                .select(col(OpportunityScope.ID).as(OPPORTUNITY),
                        date_format(col(OpportunityScope.PREFIX + "created_at"), "yyyy-MM").as(PERIOD),
                        amount.as(STORY_AMOUNT), capture.as(CAPTURE_LOST), crm.as(CRM_CHANGED),
                        disqualified.as(DISQUALIFIED), accepted.as(ACCEPTED),
                        when(accepted, coalesce(booked, lit(0))).as(BOOKED),
                        status.as(STATUS),
                        // MATCHED is booked as the CRM claims it; no booking yet (LAGGING) or never
                        // (CRM_ONLY) is not booked; every other category is a booking that differs.
                        when(status.equalTo(WON), when(col(CATEGORY).equalTo(MATCHED), lit(AS_CLAIMED))
                                .when(col(CATEGORY).isNull().or(col(CATEGORY).isin(CRM_ONLY, LAGGING)), lit(NOT_BOOKED))
                                .otherwise(lit(DIFFERENTLY))).as(BOOKING));
    }

    /** The bridge rows per period; {@link ReconciliationAudit#tieOutBreaks} checks that they tie out. */
    static Dataset<Row> build(Dataset<Row> scope, Dataset<Row> changes, Dataset<Row> oppRows,
                        Optional<Dataset<Row>> modeled, LabelMapping reasonCategories) {
        Dataset<Row> perOpp = perOpportunity(scope, changes, oppRows, reasonCategories)
                .withColumnRenamed(STORY_AMOUNT, OPP_AMOUNT).withColumnRenamed(CAPTURE_LOST, OPP_CAPTURE)
                .withColumnRenamed(CRM_CHANGED, OPP_CRM).withColumnRenamed(DISQUALIFIED, OPP_DISQ)
                .withColumnRenamed(ACCEPTED, OPP_ACCEPTED).withColumnRenamed(BOOKED, OPP_BOOKED);

        Dataset<Row> totals = perOpp.groupBy(PERIOD).agg(
                sum(OPP_AMOUNT).as(SOURCED_V),
                sum(when(col(OPP_CAPTURE), col(OPP_AMOUNT))).as(CAPTURE_V), count_if(col(OPP_CAPTURE)).as(CAPTURE_N),
                sum(when(col(OPP_CRM), col(OPP_AMOUNT))).as(CRM_V), count_if(col(OPP_CRM)).as(CRM_N),
                sum(when(col(OPP_DISQ), col(OPP_AMOUNT))).as(DISQ_V), count_if(col(OPP_DISQ)).as(DISQ_N),
                sum(when(col(OPP_ACCEPTED), col(OPP_AMOUNT))).as(ACCEPTED_V), count_if(col(OPP_ACCEPTED)).as(ACCEPTED_N),
                sum(OPP_BOOKED).as(FINANCE_V));
        if (modeled.isPresent()) {
            Dataset<Row> published = modeled.get()
                    .filter(col("metric").equalTo(METRIC_SOURCED_PIPELINE).and(col("segment").isNull()))
                    .groupBy(col("period").as(M_PERIOD))
                    .agg(sum("value").as(MODELED), first("source_model", true).as(MODEL));
            totals = totals.join(published, col(PERIOD).equalTo(col(M_PERIOD)), "left");
        } else {
            totals = totals.withColumn(MODELED, lit(null).cast("decimal(24,6)"))
                    .withColumn(MODEL, lit(null).cast("string"));
        }
        Column z = lit(0);
        Column s0 = col(SOURCED_V);
        Column cap = coalesce(col(CAPTURE_V), z);
        Column crmV = coalesce(col(CRM_V), z);
        Column disq = coalesce(col(DISQ_V), z);
        Column acc = coalesce(col(ACCEPTED_V), z);
        Column fin = coalesce(col(FINANCE_V), z);
        Column claim = coalesce(col(MODELED), s0);
        Column afterCapture = s0.minus(cap);
        Column afterCrm = afterCapture.minus(crmV);
        Column afterQualification = afterCrm.minus(disq);
        Dataset<Row> rows = totals.select(col(PERIOD),
                explode(array(
                        step(0, "marketing_sourced_pipeline", null, claim, claim, col(ACCEPTED_N).plus(col(CAPTURE_N))
                                .plus(col(CRM_N)).plus(col(DISQ_N)), when(col(MODELED).isNotNull(),
                                org.apache.spark.sql.functions.concat(lit("as published by "), coalesce(col(MODEL),
                                        lit("the translation layer")))).otherwise(lit("recomputed from CRM (no modeled "
                                        + "sourced_pipeline published)"))),
                        step(1, "modeled differs from recomputation", Layer.WAREHOUSE_LOGIC, s0.minus(claim), s0,
                                lit(0L), null),
                        step(2, "linkage lost between lead and opportunity", Layer.CAPTURE, org.apache.spark.sql.functions.negate(cap),
                                afterCapture, col(CAPTURE_N), null),
                        step(3, "re-owned, re-staged or reopened after the handoff", Layer.CRM_STAGE_OWNERSHIP,
                                org.apache.spark.sql.functions.negate(crmV), afterCrm, col(CRM_N), null),
                        step(4, "rejected or disqualified", Layer.QUALIFICATION_HANDOFF, org.apache.spark.sql.functions.negate(disq),
                                afterQualification, col(DISQ_N), null),
                        step(5, "sales_accepted_pipeline", null, acc, acc, col(ACCEPTED_N), null),
                        step(6, "not booked or booked differently", Layer.FINANCE_NORMALIZATION, fin.minus(acc), fin,
                                col(ACCEPTED_N), null),
                        step(7, "finance_booked", null, fin, fin, col(ACCEPTED_N), null))).as("s"));
        return rows.select(lit(NAME).as(BRIDGE_NAME), col(PERIOD), col("s.*"))
                .select(BRIDGE_COLUMNS.stream().filter(c -> !c.equals(FISCAL_QUARTER)).map(c -> col(c))
                        .toArray(Column[]::new));
    }

    private static Column step(int order, String name, Layer layer, Column amount, Column running, Column rows,
                               Column note) {
        return struct(lit(order).as(STEP_ORDER), lit(name).as(STEP),
                lit(layer == null ? null : layer.name()).cast("string").as(LAYER),
                ReconciliationAudit.money(amount).as(AMOUNT), ReconciliationAudit.money(running).as(RUNNING_TOTAL),
                rows.cast("long").as(ROWS), (note == null ? lit(null).cast("string") : note).as(NOTE));
    }
}
