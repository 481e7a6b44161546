package dev.handshake.source;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * What is wrong with the inputs, all of it at once, for a person fixing an export: each contract
 * problem with its rows and example values, each labelled column with the labels its mapping
 * does not know, and each labelled column that could not be checked, with why. Pure: Datasets
 * in, small Datasets out (one row per problem or label).
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
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__findings_";
    private static final String COUNT = PREFIX + "n";
    private static final String PROBLEM_COLUMN = PREFIX + "column";
    private static final String RANK = PREFIX + "rank";
    private static final String RAW = PREFIX + "raw";
    private static final String VALUE = PREFIX + "value";

    /**
     * The column a contract reason names, read after the prefixes {@link ContractEnforcer} builds
     * its reasons from (so a change of wording there cannot silently lose the column here); no
     * match, so no column, for a malformed line.
     */
    static final String NAMED_COLUMN = ContractEnforcer.prefixesNamingAColumn().stream().map(Pattern::quote)
            .collect(Collectors.joining("|", "^(?:", ")([A-Za-z0-9_]+)"));

    /** A column whose values are labels the configuration maps: where an unmapped one is fixed. */
    public record LabelColumn(CanonicalTable table, String column, String configKey, LabelMapping mapping) {}

    /** A labelled column whose labels were not checked, and why, in plain words. */
    public record NotChecked(CanonicalTable table, String column, String why) {
        /** "not checked: opportunities.loss_reason (column not in the export)". */
        public String line() {
            return "not checked: " + table.tableName() + "." + column + " (" + why + ")";
        }
    }

    /**
     * The labels of the checked columns that their mapping does not know (empty when no column
     * was checked), and the labelled columns not checked: "no unmapped label" is only ever said of
     * the checked ones.
     */
    public record LabelFindings(Optional<Dataset<Row>> unmapped, List<LabelColumn> checked,
                                List<NotChecked> notChecked) {
        public LabelFindings {
            requireNonNull(unmapped, "unmapped is null");
            checked = List.copyOf(checked);
            notChecked = List.copyOf(notChecked);
        }

        /**
         * What validate prints: a heading that claims nothing about a column not checked, a line
         * per column's unmapped labels, then a line per column not checked. Brings the findings
         * (a row per checked column at most) to the driver.
         */
        public List<String> report() {
            List<String> labels = unmapped.map(d -> lines(d.collectAsList())).orElse(List.of());
            List<String> out = new ArrayList<>();
            out.add(checked.isEmpty() ? "unmapped labels: not checked (no labelled column given)"
                    : labels.isEmpty() ? "unmapped labels: none in " + checked.size() + " checked column(s)"
                    : "unmapped labels (read as no stage, role or category; up to " + EXAMPLES
                            + " examples, most frequent first):");
            labels.forEach(l -> out.add("  " + l));
            notChecked.forEach(n -> out.add("  " + n.line()));
            return out;
        }
    }

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
                .select(col(Quarantine.SOURCE_TABLE).as(TABLE), col(Quarantine.RAW_RECORD).as(RAW),
                        explode(split(col(Quarantine.REASON), Pattern.quote(ContractEnforcer.REASON_SEPARATOR)))
                                .as(PROBLEM))
                // The column a problem names ("invalid date: close_date (...)", "missing required value:
                // amount", "duplicate key ...: lead_id"); none for a malformed line, shown itself.
                .withColumn(PROBLEM_COLUMN, regexp_extract(col(PROBLEM), NAMED_COLUMN, 1));
        Column value = when(col(PROBLEM_COLUMN).equalTo(""), col(RAW))
                .otherwise(call_function("get_json_object", col(RAW), concat(lit("$."), col(PROBLEM_COLUMN))));
        Dataset<Row> values = each.withColumn(VALUE, substring(value, 1, EXAMPLE_CHARS))
                .groupBy(col(TABLE), col(PROBLEM), col(VALUE)).agg(count(lit(1)).as(COUNT));
        return mostFrequent(values, col(VALUE));
    }

    /**
     * Per labelled column checked: rows whose label the mapping does not know, and up to
     * {@link #EXAMPLES} of those labels, the most frequent first. Columns: table, problem
     * ("unmapped label in COLUMN: add it to KEY"), rows, examples. A column is not checked, and
     * said so, when its table or the column itself was not given (an absent column reads as null,
     * which no mapping is asked about), or its mapping is not configured (every label would be
     * listed).
     *
     * @param columnsGiven per table the source gave, the contract's columns it carries
     *                     ({@link InputLoader.Loaded#columnsGiven}): {@code inputs} alone cannot
     *                     tell, since it holds every contract column and stands in for absent tables
     */
    public static LabelFindings unmappedLabels(AuditInputs inputs, Map<CanonicalTable, Set<String>> columnsGiven,
                                               List<LabelColumn> columns) {
        List<Dataset<Row>> parts = new ArrayList<>();
        List<LabelColumn> checked = new ArrayList<>();
        List<NotChecked> notChecked = new ArrayList<>();
        for (LabelColumn c : columns) {
            Optional<String> why = whyNotChecked(c, inputs, columnsGiven);
            if (why.isPresent()) {
                notChecked.add(new NotChecked(c.table(), c.column(), why.get()));
                continue;
            }
            checked.add(c);
            Column label = col(c.column());
            parts.add(inputs.table(c.table()).filter(c.mapping().isUnmapped(label))
                    .groupBy(label.as(VALUE)).agg(count(lit(1)).as(COUNT))
                    .select(lit(c.table().tableName()).as(TABLE),
                            lit("unmapped label in " + c.column() + ": add it to " + c.configKey()).as(PROBLEM),
                            col(VALUE), col(COUNT)));
        }
        return new LabelFindings(parts.stream().reduce(Dataset::unionByName).map(all -> mostFrequent(all, col(VALUE))),
                checked, notChecked);
    }

    /** Why a labelled column cannot be checked, the most basic reason first; empty when it can. */
    private static Optional<String> whyNotChecked(LabelColumn c, AuditInputs inputs,
                                                  Map<CanonicalTable, Set<String>> columnsGiven) {
        if (inputs.optional(c.table()).isEmpty() || !columnsGiven.containsKey(c.table())) {
            return Optional.of("table not given");
        }
        if (!columnsGiven.get(c.table()).contains(c.column())) {
            return Optional.of("column not in the export");
        }
        if (c.mapping().byNormalizedLabel().isEmpty()) {
            return Optional.of("no mapping configured under " + c.configKey());
        }
        return Optional.empty();
    }

    /** One line per finding row: "bookings: invalid date: booking_date: 3 rows, e.g. '15/06/2026'". */
    public static List<String> lines(List<Row> findings) {
        List<String> out = new ArrayList<>();
        for (Row r : findings) {
            List<String> examples = r.getList(r.fieldIndex(EXAMPLE_VALUES));
            out.add(r.getAs(TABLE) + ": " + r.getAs(PROBLEM) + ": " + r.<Long>getAs(ROWS) + " row(s)"
                    + (examples.isEmpty() ? "" : ", e.g. " + examples.stream().map(v -> "'" + v + "'")
                            .collect(Collectors.joining(", "))));
        }
        return out;
    }

    /** (table, problem, VALUE, COUNT) to one row per (table, problem) with its top values. */
    private static Dataset<Row> mostFrequent(Dataset<Row> values, Column value) {
        WindowSpec byProblem = Window.partitionBy(col(TABLE), col(PROBLEM));
        return values
                .withColumn(RANK, row_number().over(byProblem.orderBy(col(COUNT).desc(), value.asc_nulls_last())))
                .groupBy(col(TABLE), col(PROBLEM))
                .agg(sum(col(COUNT)).as(ROWS),
                        collect_list(when(col(RANK).leq(EXAMPLES), value)).as(EXAMPLE_VALUES))
                .orderBy(col(TABLE), col(PROBLEM));
    }
}
