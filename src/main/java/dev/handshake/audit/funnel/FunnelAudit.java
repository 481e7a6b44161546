package dev.handshake.audit.funnel;

import static dev.handshake.audit.LeadJourney.REACHED_ORDER;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.audit.LeadJourney;
import dev.handshake.model.Stage;
import dev.handshake.audit.benchmark.WorkflowPopulation;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-stage conversion of the lead cohort (section 1), for every cut and cohort month.
 *
 * <p>One aggregation over the journey counts the leads per distinct profile (cut values, cohort
 * month, stages with evidence); each profile is then expanded into its cut rows (all, segment,
 * lead_source, channel, workflows) times (its cohort month, all months), and the stage counts
 * are fused into a single {@code agg} over those few rows. Only the small result is reshaped
 * into one row per stage.
 */
public final class FunnelAudit {
    private static final int LAST = Stage.BOOKED.order();
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__funnel_";
    private static final String CUT_BY_CHANNEL = PREFIX + "channel";
    private static final String CUT_BY_LEAD_SOURCE = PREFIX + "lead_source";
    private static final String CUT_BY_SEGMENT = PREFIX + "segment";
    private static final String LEADS = PREFIX + "leads";
    /** Followed by a stage order: whether the profile has evidence of that stage. */
    private static final String HAS_STAGE = PREFIX + "has_";

    private FunnelAudit() {}

    public static Dataset<Row> run(LeadJourney journey) {
        return run(journey, java.util.Set.of());
    }

    /**
     * @param untracked stages the CRM does not record (docs/coverage.md): a stage after the last
     *                  tracked one (BOOKED without bookings; everything after CAPTURED in a lead list)
     *                  has no later stage to infer it from, so it has no entered or skipped count and
     *                  the last tracked stage no conversion, drop or rate (never "everyone dropped")
     */
    public static Dataset<Row> run(LeadJourney journey, java.util.Set<Stage> untracked) {
        boolean workflows = journey.tagged();
        // First the leads are counted per distinct profile (cut values, month, stages with
        // evidence): a few thousand rows. Only those are expanded into their cut rows, so the
        // expansion never multiplies the lead rows.
        List<Column> profile = new ArrayList<>();
        profile.add(coalesce(col("segment"), lit(LeadJourney.UNKNOWN)).as(CUT_BY_SEGMENT));
        profile.add(coalesce(col("lead_source"), lit(LeadJourney.UNKNOWN)).as(CUT_BY_LEAD_SOURCE));
        profile.add(coalesce(col(LeadJourney.CHANNEL), lit(LeadJourney.UNKNOWN)).as(CUT_BY_CHANNEL));
        profile.add(col(LeadJourney.COHORT_MONTH));
        if (workflows) {
            profile.add(col(WorkflowPopulation.WORKFLOWS));
        }
        profile.add(col(REACHED_ORDER));
        for (Stage s : Stage.values()) {
            profile.add(col(LeadJourney.evidence(s)).isNotNull().as(HAS_STAGE + s.order()));
        }
        Dataset<Row> profiles = journey.leads().groupBy(profile.toArray(Column[]::new)).agg(count(lit(1)).as(LEADS));

        Column cuts = array(
                cut(FunnelTable.CUT_ALL, lit(FunnelTable.ALL)),
                cut(FunnelTable.CUT_SEGMENT, col(CUT_BY_SEGMENT)),
                cut(FunnelTable.CUT_LEAD_SOURCE, col(CUT_BY_LEAD_SOURCE)),
                cut(FunnelTable.CUT_CHANNEL, col(CUT_BY_CHANNEL)));
        if (workflows) {
            // A lead counts once in the funnel of every workflow it belongs to.
            cuts = concat(cuts, transform(col(WorkflowPopulation.WORKFLOWS),
                    w -> struct(lit(FunnelTable.CUT_WORKFLOW).as("dimension"), w.as("value"))));
        }
        Column months = array(col(LeadJourney.COHORT_MONTH), lit(FunnelTable.ALL));

        Column leads = col(LEADS);
        List<Column> counts = new ArrayList<>();
        for (Stage s : Stage.values()) {
            Column reached = col(REACHED_ORDER).geq(s.order());
            counts.add(sum(when(reached, leads).otherwise(lit(0L))).as("entered_" + s.order()));
            counts.add(sum(when(reached.and(col(HAS_STAGE + s.order()).equalTo(false)), leads).otherwise(lit(0L)))
                    .as("skipped_" + s.order()));
        }
        List<Column> carried = new ArrayList<>();
        carried.add(col(REACHED_ORDER));
        carried.add(leads);
        for (Stage s : Stage.values()) {
            carried.add(col(HAS_STAGE + s.order()));
        }
        List<Column> withCut = new ArrayList<>(carried);
        withCut.add(explode(cuts).as("cut"));
        withCut.add(months.as("months"));
        List<Column> withMonth = new ArrayList<>(carried);
        withMonth.add(col("cut"));
        withMonth.add(explode(col("months")).as("m"));
        Dataset<Row> wide = profiles
                .select(withCut.toArray(Column[]::new))
                .select(withMonth.toArray(Column[]::new))
                .groupBy(col("cut.dimension").as(FunnelTable.CUT_DIMENSION),
                        col("cut.value").as(FunnelTable.CUT_VALUE),
                        col("m").as(FunnelTable.COHORT_MONTH))
                .agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new));

        // An untracked stage is inferred from a later tracked one; past the last tracked stage there
        // is nothing to infer from, so those stages are not measured (null), and neither is the
        // conversion out of the last tracked stage: never "everyone dropped" for what the CRM does not record.
        int lastTracked = Stage.inOrder().stream().filter(s -> !untracked.contains(s)).mapToInt(Stage::order)
                .max().orElse(0);
        Column none = lit(null).cast(DataTypes.LongType);
        List<Column> stages = new ArrayList<>();
        for (Stage s : Stage.values()) {
            boolean measured = s.order() <= lastTracked;
            Column converted = s.order() == LAST || s.order() >= lastTracked ? none : col("entered_" + (s.order() + 1));
            stages.add(struct(lit(s.name()).as(FunnelTable.STAGE), lit(s.order()).as(FunnelTable.STAGE_ORDER),
                    (measured ? col("entered_" + s.order()) : none).as(FunnelTable.ENTERED),
                    converted.as(FunnelTable.CONVERTED),
                    (measured ? col("skipped_" + s.order()) : none).as(FunnelTable.SKIPPED)));
        }
        Dataset<Row> perStage = wide
                .select(col(FunnelTable.CUT_DIMENSION), col(FunnelTable.CUT_VALUE),
                        col(FunnelTable.COHORT_MONTH), explode(array(stages.toArray(Column[]::new))).as("s"))
                .select(col(FunnelTable.CUT_DIMENSION), col(FunnelTable.CUT_VALUE),
                        col(FunnelTable.COHORT_MONTH), col("s.*"))
                .withColumn(FunnelTable.CONVERSION_RATE, when(col(FunnelTable.ENTERED).gt(0),
                        col(FunnelTable.CONVERTED).cast(DataTypes.DoubleType).divide(col(FunnelTable.ENTERED))))
                .withColumn(FunnelTable.DROPPED, col(FunnelTable.ENTERED).minus(col(FunnelTable.CONVERTED)));

        // Largest drop and lowest conversion per funnel; ties go to the earlier stage. A funnel
        // that loses nobody has neither.
        WindowSpec funnel = Window.partitionBy(FunnelTable.CUT_DIMENSION, FunnelTable.CUT_VALUE,
                FunnelTable.COHORT_MONTH);
        Column dropRank = row_number().over(funnel.orderBy(
                coalesce(col(FunnelTable.DROPPED), lit(-1L)).desc(), col(FunnelTable.STAGE_ORDER).asc()));
        Column weakRank = row_number().over(funnel.orderBy(
                coalesce(col(FunnelTable.CONVERSION_RATE), lit(2.0)).asc(), col(FunnelTable.STAGE_ORDER).asc()));
        return perStage
                .withColumn(FunnelTable.IS_BIGGEST_DROP,
                        dropRank.equalTo(1).and(coalesce(col(FunnelTable.DROPPED), lit(0L)).gt(0)))
                .withColumn(FunnelTable.IS_WEAKEST_STAGE,
                        weakRank.equalTo(1).and(coalesce(col(FunnelTable.CONVERSION_RATE), lit(1.0)).lt(1.0)))
                .select(FunnelTable.COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    private static Column cut(String dimension, Column value) {
        return struct(lit(dimension).as("dimension"),
                coalesce(value, lit(LeadJourney.UNKNOWN)).as("value"));
    }
}
