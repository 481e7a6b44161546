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

    public static OpportunityChanges build(AuditInputs in, Dataset<Row> scope, LabelMapping opportunityStages,
                                           AuditWindow window) {
        List<SkippedFigure> skipped = new ArrayList<>();
        Dataset<Row> ids = scope.select(col(OpportunityScope.ID).as("__s_id"),
                col(OpportunityScope.PREFIX + "created_at").as("__s_created"));
        Column stage = opportunityStages.map(col("stage_name"));
        Column closed = stage.isin("WON", "NONE");
        Column open = stage.equalTo("OPPORTUNITY");
        var order = Window.partitionBy("opportunity_id").orderBy(col("changed_at"), col("stage_name"));
        Dataset<Row> moves = in.table(OPPORTUNITY_HISTORY)
                .filter(col("changed_at").lt(lit(window.endExclusive())))
                .join(ids, col("opportunity_id").equalTo(col("__s_id")), "left_semi")
                .withColumn("__pos", opportunityStages.position(col("stage_name")))
                .withColumn("__open", open)
                .withColumn("__closed", closed)
                .withColumn("__prev_pos", lag(col("__pos"), 1).over(order))
                .withColumn("__prev_open", lag(col("__open"), 1).over(order))
                .withColumn("__prev_closed", lag(col("__closed"), 1).over(order))
                .groupBy(col("opportunity_id").as(ID))
                .agg(count_if(col("__pos").isNull()).as(UNMAPPED_LABELS),
                        count_if(coalesce(col("__open").and(col("__prev_open"))
                                .and(col("__pos").lt(col("__prev_pos"))), lit(false))).as(BACKWARD_MOVES),
                        count_if(coalesce(col("__open").and(col("__prev_closed")), lit(false))).gt(0).as(REOPENED));

        Optional<Dataset<Row>> history = in.optional(FIELD_HISTORY);
        Dataset<Row> owners;
        if (history.isPresent()) {
            owners = history.get()
                    .filter(lower(col("object_type")).equalTo("opportunity").and(col("field").equalTo("owner_id"))
                            .and(col("changed_at").lt(lit(window.endExclusive()))))
                    .join(ids, col("object_id").equalTo(col("__s_id")), "inner")
                    .filter(col("changed_at").gt(col("__s_created")))
                    .groupBy(col("object_id").as("__o_id"))
                    .agg(org.apache.spark.sql.functions.count(lit(1)).as(OWNER_CHANGES));
        } else {
            skipped.add(new SkippedFigure("opportunity owner changes after the handoff",
                    "field_history table absent: re-owned opportunities cannot be seen"));
            owners = null;
        }
        Dataset<Row> out = ids.select(col("__s_id").as("__all")).join(moves, col("__all").equalTo(col(ID)), "left");
        out = out.select(col("__all").as(ID), coalesce(col(UNMAPPED_LABELS), lit(0L)).as(UNMAPPED_LABELS),
                coalesce(col(BACKWARD_MOVES), lit(0L)).as(BACKWARD_MOVES), coalesce(col(REOPENED), lit(false)).as(REOPENED));
        if (owners != null) {
            out = out.join(owners, col(ID).equalTo(col("__o_id")), "left")
                    .withColumn(OWNER_CHANGES, coalesce(col(OWNER_CHANGES), lit(0L))).drop("__o_id");
        } else {
            out = out.withColumn(OWNER_CHANGES, lit(null).cast("long"));
        }
        return new OpportunityChanges(out, skipped);
    }
}
