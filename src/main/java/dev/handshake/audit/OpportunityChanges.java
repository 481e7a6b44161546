package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.FIELD_HISTORY;
import static dev.handshake.model.CanonicalTable.OPPORTUNITY_HISTORY;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;

import dev.handshake.config.LabelMapping;
import dev.handshake.model.AuditWindow;
import dev.handshake.source.AuditInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * What happened to each in-scope opportunity after the handoff that created it, by the end of
 * as_of: stage labels no mapping knows, moves backward in the configured pipeline order, reopening
 * after a close, and owner changes (from field_history).
 *
 * <p>Columns: {@code ch_opportunity_id}, {@code ch_unmapped_labels}, {@code ch_backward_moves},
 * {@code ch_reopened}, {@code ch_owner_changes} (null when field_history is absent).
 */
public record OpportunityChanges(Dataset<Row> rows, List<SkippedFigure> skipped) {
    public static final String ID = "ch_opportunity_id";
    public static final String UNMAPPED_LABELS = "ch_unmapped_labels";
    public static final String BACKWARD_MOVES = "ch_backward_moves";
    public static final String REOPENED = "ch_reopened";
    public static final String OWNER_CHANGES = "ch_owner_changes";
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__changes_";
    private static final String ALL_ID = PREFIX + "all";
    private static final String CLOSED = PREFIX + "closed";
    private static final String OPEN = PREFIX + "open";
    private static final String OWNED_ID = PREFIX + "o_id";
    private static final String POS = PREFIX + "pos";
    private static final String PREV_CLOSED = PREFIX + "prev_closed";
    private static final String PREV_OPEN = PREFIX + "prev_open";
    private static final String PREV_POS = PREFIX + "prev_pos";
    private static final String SCOPE_CREATED = PREFIX + "s_created";
    private static final String SCOPE_ID = PREFIX + "s_id";

    public static OpportunityChanges build(AuditInputs in, Dataset<Row> scope, LabelMapping opportunityStages,
                                           AuditWindow window) {
        List<SkippedFigure> skipped = new ArrayList<>();
        Dataset<Row> ids = scope.select(col(OpportunityScope.ID).as(SCOPE_ID),
                col(OpportunityScope.PREFIX + "created_at").as(SCOPE_CREATED));
        Column stage = opportunityStages.map(col("stage_name"));
        Column closed = stage.isin("WON", "NONE");
        Column open = stage.equalTo("OPPORTUNITY");
        var order = Window.partitionBy("opportunity_id").orderBy(col("changed_at"), col("stage_name"));
        Dataset<Row> moves = in.table(OPPORTUNITY_HISTORY)
                .filter(col("changed_at").lt(lit(window.endExclusive())))
                .join(ids, col("opportunity_id").equalTo(col(SCOPE_ID)), "left_semi")
                .withColumn(POS, opportunityStages.position(col("stage_name")))
                .withColumn(OPEN, open)
                .withColumn(CLOSED, closed)
                .withColumn(PREV_POS, lag(col(POS), 1).over(order))
                .withColumn(PREV_OPEN, lag(col(OPEN), 1).over(order))
                .withColumn(PREV_CLOSED, lag(col(CLOSED), 1).over(order))
                .groupBy(col("opportunity_id").as(ID))
                .agg(count_if(col(POS).isNull()).as(UNMAPPED_LABELS),
                        count_if(coalesce(col(OPEN).and(col(PREV_OPEN))
                                .and(col(POS).lt(col(PREV_POS))), lit(false))).as(BACKWARD_MOVES),
                        count_if(coalesce(col(OPEN).and(col(PREV_CLOSED)), lit(false))).gt(0).as(REOPENED));

        Optional<Dataset<Row>> history = in.optional(FIELD_HISTORY);
        Dataset<Row> owners;
        if (history.isPresent()) {
            owners = history.get()
                    .filter(lower(col("object_type")).equalTo("opportunity").and(col("field").equalTo("owner_id"))
                            .and(col("changed_at").lt(lit(window.endExclusive()))))
                    .join(ids, col("object_id").equalTo(col(SCOPE_ID)), "inner")
                    .filter(col("changed_at").gt(col(SCOPE_CREATED)))
                    .groupBy(col("object_id").as(OWNED_ID))
                    .agg(org.apache.spark.sql.functions.count(lit(1)).as(OWNER_CHANGES));
        } else {
            skipped.add(new SkippedFigure("opportunity owner changes after the handoff",
                    "field_history table absent: re-owned opportunities cannot be seen"));
            owners = null;
        }
        Dataset<Row> out = ids.select(col(SCOPE_ID).as(ALL_ID)).join(moves, col(ALL_ID).equalTo(col(ID)), "left");
        out = out.select(col(ALL_ID).as(ID), coalesce(col(UNMAPPED_LABELS), lit(0L)).as(UNMAPPED_LABELS),
                coalesce(col(BACKWARD_MOVES), lit(0L)).as(BACKWARD_MOVES), coalesce(col(REOPENED), lit(false)).as(REOPENED));
        if (owners != null) {
            out = out.join(owners, col(ID).equalTo(col(OWNED_ID)), "left")
                    .withColumn(OWNER_CHANGES, coalesce(col(OWNER_CHANGES), lit(0L))).drop(OWNED_ID);
        } else {
            out = out.withColumn(OWNER_CHANGES, lit(null).cast("long"));
        }
        return new OpportunityChanges(out, skipped);
    }
}
