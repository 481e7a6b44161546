package dev.handshake.sample;

import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.Tables.date;
import static dev.handshake.sample.Tables.ts;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnType;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * opportunities (one per converted lead, id O + the lead's number, plus a few stand-alone malformed
 * rows) and opportunity_history (the planned stage path, one row per step).
 */
final class OpportunityTables {
    private final SampleSpec spec;
    private final SampleCalendar cal;
    private final Draws draws;

    OpportunityTables(SampleSpec spec, SampleCalendar cal, Draws draws) {
        this.spec = spec;
        this.cal = cal;
        this.draws = draws;
    }

    /** Stand-alone malformed opportunities: id % 3 = 0 null id, 1 null created_at, 2 duplicate id (2 rows). */
    static long quarantineExtras(long leads) {
        return Math.max(3L, (leads + 1_999) / 2_000);
    }

    Dataset<Row> opportunities(SparkSession spark, Dataset<Row> plan) {
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("opportunity_id", col(OPP_ID));
        c.put("account_id", col(OPP_ACCOUNT));
        c.put("created_at", ts(col(T_OPP)));
        c.put("owner_id", col(OPP_OWNER));
        c.put("stage_name", col(STAGE_NAME));
        c.put("amount", col(OPP_AMOUNT));
        c.put("currency_code", col(OPP_CURRENCY));
        c.put("close_date", date(col(OPP_CLOSE_DAY)));
        c.put("is_closed", col(WON).or(col(LOST)));
        c.put("is_won", col(WON));
        c.put("opportunity_type", col(OPP_TYPE));
        // The sample's segment is the lead's (workflows follow leads when there are some).
        c.put("segment", lit(null).cast("string"));
        c.put("lead_source", col(OPP_SOURCE));
        c.put("campaign_id", col(OPP_CAMPAIGN));
        c.put("loss_reason", col(LOSS_REASON));
        c.put("is_deleted", col(UNDONE));
        Dataset<Row> fromLeads = Tables.conform(Tables.rowsWhere(plan, col(HAS_OPP)), CanonicalTable.OPPORTUNITIES, c);
        return fromLeads.unionByName(malformed(spark));
    }

    private Dataset<Row> malformed(SparkSession spark) {
        Dataset<Row> base = spark.range(0, quarantineExtras(spec.leads()), 1, 1).toDF();
        Column kind = pmod(col("id"), lit(3L));
        Dataset<Row> rows = base.withColumn("copy", explode(when(kind.equalTo(lit(2L)), array(lit(0), lit(1)))
                .otherwise(array(lit(0)))));
        Column created = lit(cal.windowStart()).plus(draws.below(col("id"), "q.opp.day", 360).multiply(DAY));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("opportunity_id", when(kind.notEqual(lit(0L)), Tables.id("OQ", 7, col("id"))));
        c.put("account_id", Tables.id("AQO", 6, col("id")));
        c.put("created_at", when(kind.notEqual(lit(1L)), ts(created)));
        c.put("owner_id", lit(null).cast("string"));
        c.put("stage_name", lit(Labels.OPEN_STAGES[0]));
        // The duplicate's second row disagrees on amount: a conflicting key, not an exact copy.
        c.put("amount", lit(new BigDecimal("5000")).plus(col("copy").multiply(lit(2500)))
                .cast(ColumnType.DECIMAL.sparkType()));
        c.put("currency_code", lit("USD"));
        c.put("close_date", date(created.divide(lit(DAY)).cast("long").plus(lit(60L))));
        c.put("is_closed", lit(false));
        c.put("is_won", lit(false));
        c.put("opportunity_type", lit("new"));
        c.put("segment", lit(null).cast("string"));
        c.put("lead_source", lit(null).cast("string"));
        c.put("campaign_id", lit(null).cast("string"));
        c.put("loss_reason", lit(null).cast("string"));
        c.put("is_deleted", lit(false));
        return Tables.conform(rows, CanonicalTable.OPPORTUNITIES, c);
    }

    /** One row per step of the planned path, plus a planted malformed row on a few opportunities. */
    Dataset<Row> history(Dataset<Row> plan) {
        Column steps = size(col(PATH));
        Column total = steps.plus(when(col(Q_OPP_HISTORY), lit(1)).otherwise(lit(0)));
        Dataset<Row> rows = plan.withColumn("pos", explode(when(col(HAS_OPP), sequence(lit(0), total.minus(lit(1))))
                .otherwise(array().cast("array<int>"))));
        Column pos = col("pos");
        Column extra = pos.geq(steps);
        Column nullStage = extra.and(col(Q_OPP_HISTORY_NULL_STAGE));
        Column t = DealPlan.pathTime(pos);
        Column label = element_at(col(PATH), when(extra, lit(1)).otherwise(pos.plus(lit(1))));
        Column sloppy = when(label.equalTo(lit(Labels.UNMAPPED_STAGE)), label)
                .otherwise(Labels.sloppy(label, draws.u(col(ID).multiply(32).plus(pos), "oh.sloppy"), 0.01));
        Column oldAmount = col(AMOUNT).multiply(lit(new BigDecimal("1.25")));
        Map<String, Column> c = new LinkedHashMap<>();
        c.put("opportunity_id", col(OPP_ID));
        c.put("stage_name", when(not(nullStage), sloppy));
        c.put("amount", when(col(AMOUNT_OVERRIDE).and(t.lt(col(T_AMOUNT_OVERRIDE))), oldAmount)
                .otherwise(col(OPP_AMOUNT)));
        c.put("close_date", date(when(col(CLOSE_OVERRIDE).and(t.lt(col(T_CLOSE_OVERRIDE))), col(OLD_CLOSE_DAY))
                .otherwise(col(OPP_CLOSE_DAY))));
        c.put("changed_at", when(not(extra.and(not(nullStage))), ts(when(extra, col(T_OPP)).otherwise(t))));
        c.put("changed_by", when(col(REOWNED).and(t.geq(col(T_REOWNED))), col(OPP_OWNER))
                .otherwise(col(OPP_FIRST_OWNER)));
        return Tables.conform(rows, CanonicalTable.OPPORTUNITY_HISTORY, c);
    }
}
