package dev.handshake.audit;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.LabelMapping;
import dev.handshake.source.AuditInputs;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.Stage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code is_won} and {@code is_closed} of an opportunity, derived from its stage through
 * {@code stage_mapping.opportunity_stage} where the export does not state them (docs/coverage.md):
 * a stage mapped to WON is won and closed, a stage mapped to NONE is closed and lost, any other
 * mapped stage is open. A stated value is never overwritten; where the stated and the mapped fact
 * disagree, the stated one is used and the disagreement is counted and reported.
 */
public final class DerivedOpportunityFacts {
    public static final String FIGURE = "opportunities.is_won / is_closed";
    private static final String PREFIX = "__derived_facts_";

    private DerivedOpportunityFacts() {}

    /**
     * How many rows got a derived fact, how many stated facts disagree with the stage mapping, and
     * how many live opportunities there are and are won once derived.
     */
    public record Counts(long derivedWon, long derivedClosed, long wonDisagreements, long closedDisagreements,
                         long opportunities, long won) {
        /** One sentence per non-zero count, for the run record and the log. */
        public List<String> notes() {
            List<String> out = new ArrayList<>();
            if (opportunities > 0 && won == 0) {
                out.add("no opportunity is won: none states is_won = true and no stage_name maps to WON in"
                        + " stage_mapping.opportunity_stage, so the reconciliation, finance lag and repeatability"
                        + " have nothing to measure. Map the won stage label(s) under WON if deals are won");
            }
            if (derivedWon > 0 || derivedClosed > 0) {
                out.add(derivedWon + " opportunity row(s) without is_won and " + derivedClosed
                        + " without is_closed took it from stage_mapping.opportunity_stage (WON = won and closed,"
                        + " NONE = closed and lost)");
            }
            if (wonDisagreements > 0 || closedDisagreements > 0) {
                out.add(wonDisagreements + " opportunity row(s) state is_won and " + closedDisagreements
                        + " is_closed against what their stage maps to; the stated value is used. Check"
                        + " stage_mapping.opportunity_stage or the export");
            }
            return out;
        }
    }

    /** The stage's mapped value: WON, NONE, another stage (open), or null (no stage, unmapped). */
    private static Column mapped(LabelMapping stages) {
        return stages.map(col("stage_name"));
    }

    static Column wonByStage(LabelMapping stages) {
        Column m = mapped(stages);
        return when(m.isNotNull(), m.equalTo(Stage.WON.name()));
    }

    static Column closedByStage(LabelMapping stages) {
        Column m = mapped(stages);
        return when(m.isNotNull(), m.isin(Stage.WON.name(), "NONE"));
    }

    /** The opportunities with each missing {@code is_won} / {@code is_closed} taken from the stage. */
    public static Dataset<Row> apply(Dataset<Row> opportunities, LabelMapping stages) {
        requireNonNull(stages, "stages is null");
        return opportunities
                .withColumn("is_won", coalesce(col("is_won"), wonByStage(stages)))
                .withColumn("is_closed", coalesce(col("is_closed"), closedByStage(stages)));
    }

    /** Counts, in one aggregation over the opportunities as read (before {@link #apply}). */
    public static Counts count(Dataset<Row> opportunities, LabelMapping stages) {
        Column won = wonByStage(stages);
        Column closed = closedByStage(stages);
        Column live = coalesce(col("is_deleted"), lit(false)).equalTo(false);
        Row r = opportunities.agg(
                count_if(col("is_won").isNull().and(won.isNotNull())).as(PREFIX + "won"),
                count_if(col("is_closed").isNull().and(closed.isNotNull())).as(PREFIX + "closed"),
                count_if(coalesce(col("is_won").notEqual(won), lit(false))).as(PREFIX + "won_disagree"),
                count_if(coalesce(col("is_closed").notEqual(closed), lit(false))).as(PREFIX + "closed_disagree"),
                count_if(live).as(PREFIX + "live"),
                count_if(live.and(coalesce(col("is_won"), won, lit(false)))).as(PREFIX + "won_after"))
                .first();
        return new Counts(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
    }

    /** The inputs with the derived facts and what was derived or found to disagree. */
    public record Derived(AuditInputs inputs, Counts counts) {}

    /** Counts on the opportunities as read, then derives; the inputs are returned unchanged but for that. */
    public static Derived derive(AuditInputs inputs, LabelMapping stages) {
        Dataset<Row> opportunities = inputs.table(CanonicalTable.OPPORTUNITIES);
        Counts counts = count(opportunities, stages);
        return new Derived(inputs.with(CanonicalTable.OPPORTUNITIES, apply(opportunities, stages)), counts);
    }
}
