package dev.handshake.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.LabelMapping;
import dev.handshake.model.CanonicalTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * What is wrong with the inputs, all of it at once, for a person fixing an export: each contract
 * problem with its rows and example values, each labelled column with the labels its mapping
 * does not know. Pure: Datasets in, small Datasets out (one row per problem or label).
 */
public final class InputFindings {
    /** Example values shown per problem or column. */
    public static final int EXAMPLES = 5;
    /** Characters of an example value shown (a malformed line is shown from its start). */
    static final int EXAMPLE_CHARS = 60;

    public static final String TABLE = "table";
    public static final String PROBLEM = "problem";
    public static final String ROWS = "rows";
    public static final String EXAMPLE_VALUES = "examples";

    /** A column whose values are labels the configuration maps: where an unmapped one is fixed. */
    public record LabelColumn(CanonicalTable table, String column, String configKey, LabelMapping mapping) {}

    private InputFindings() {}

    /** The labelled columns of the contract and the configuration key that maps each. */
    public static List<LabelColumn> labelColumns(AuditConfig config) {
        return List.of(
                new LabelColumn(CanonicalTable.LEADS, "status", "stage_mapping.lead_status", config.leadStatusStages()),
                new LabelColumn(CanonicalTable.LEAD_STATUS_HISTORY, "status", "stage_mapping.lead_status",
                        config.leadStatusStages()),
                new LabelColumn(CanonicalTable.OPPORTUNITIES, "stage_name", "stage_mapping.opportunity_stage",
                        config.opportunityStages()),
                new LabelColumn(CanonicalTable.OPPORTUNITY_HISTORY, "stage_name", "stage_mapping.opportunity_stage",
                        config.opportunityStages()),
                new LabelColumn(CanonicalTable.OPPORTUNITIES, "loss_reason", "reason_categories",
                        config.reasonCategories()),
                new LabelColumn(CanonicalTable.USERS, "role", "role_mapping", config.roles()),
                new LabelColumn(CanonicalTable.BOOKINGS, "status", "reconciliation.booking_status",
                        config.reconciliation().bookingStatus()));
    }

    /**
     * Quarantined rows by table and problem (a row with two problems counts under each): rows and
     * up to {@link #EXAMPLES} distinct values of the column the problem names, the most frequent
     * first; for a malformed line, the line's start. Columns: table, problem, rows, examples.
     */
    public static Dataset<Row> problems(Dataset<Row> quarantine) {
        Dataset<Row> each = quarantine
                .select(col(Quarantine.SOURCE_TABLE).as(TABLE), col(Quarantine.RAW_RECORD).as("__raw"),
                        explode(split(col(Quarantine.REASON), "; ")).as(PROBLEM))
                // The column a problem names ("invalid date: close_date (...)", "missing required value:
                // amount", "duplicate key ...: lead_id"); none for a malformed line, shown itself.
                .withColumn("__column", regexp_extract(col(PROBLEM),
                        "^(?:invalid [a-z]+|missing required value|duplicate key[a-z ,]*): ([A-Za-z0-9_]+)", 1));
        Column value = when(col("__column").equalTo(""), col("__raw"))
                .otherwise(expr("get_json_object(__raw, concat('$.', __column))"));
        Dataset<Row> values = each.withColumn("__value", substring(value, 1, EXAMPLE_CHARS))
                .groupBy(col(TABLE), col(PROBLEM), col("__value")).agg(count(lit(1)).as("__n"));
        return mostFrequent(values, col("__value"));
    }

    /**
     * Per labelled column of a present table: rows whose label the mapping does not know, and up
     * to {@link #EXAMPLES} of those labels, the most frequent first. Columns: table, problem
     * ("unmapped label in COLUMN: add it to KEY"), rows, examples. A mapping that is not
     * configured at all is left out: every label would be listed.
     */
    public static Optional<Dataset<Row>> unmappedLabels(AuditInputs inputs, List<LabelColumn> columns) {
        List<Dataset<Row>> parts = new ArrayList<>();
        for (LabelColumn c : columns) {
            Optional<Dataset<Row>> rows = inputs.optional(c.table());
            if (rows.isEmpty() || c.mapping().byNormalizedLabel().isEmpty()
                    || Arrays.stream(rows.get().columns()).noneMatch(c.column()::equals)) {
                continue;
            }
            Column label = col(c.column());
            parts.add(rows.get().filter(c.mapping().isUnmapped(label))
                    .groupBy(label.as("__value")).agg(count(lit(1)).as("__n"))
                    .select(lit(c.table().tableName()).as(TABLE),
                            lit("unmapped label in " + c.column() + ": add it to " + c.configKey()).as(PROBLEM),
                            col("__value"), col("__n")));
        }
        return parts.stream().reduce(Dataset::unionByName).map(all -> mostFrequent(all, col("__value")));
    }

    /** One line per finding row: "bookings: invalid date: booking_date: 3 rows, e.g. '15/06/2026'". */
    public static List<String> lines(List<Row> findings) {
        List<String> out = new ArrayList<>();
        for (Row r : findings) {
            List<String> examples = r.getList(r.fieldIndex(EXAMPLE_VALUES));
            out.add(r.getAs(TABLE) + ": " + r.getAs(PROBLEM) + ": " + r.<Long>getAs(ROWS) + " row(s)"
                    + (examples.isEmpty() ? "" : ", e.g. " + examples.stream().map(v -> "'" + v + "'")
                            .collect(java.util.stream.Collectors.joining(", "))));
        }
        return out;
    }

    /** (table, problem, __value, __n) to one row per (table, problem) with its top values. */
    private static Dataset<Row> mostFrequent(Dataset<Row> values, Column value) {
        WindowSpec byProblem = Window.partitionBy(col(TABLE), col(PROBLEM));
        return values
                .withColumn("__rank", row_number().over(byProblem.orderBy(col("__n").desc(), value.asc_nulls_last())))
                .groupBy(col(TABLE), col(PROBLEM))
                .agg(sum(col("__n")).as(ROWS),
                        collect_list(when(col("__rank").leq(EXAMPLES), value)).as(EXAMPLE_VALUES))
                .orderBy(col(TABLE), col(PROBLEM));
    }
}
