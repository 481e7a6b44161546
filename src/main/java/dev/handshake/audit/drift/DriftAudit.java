package dev.handshake.audit.drift;

import static dev.handshake.audit.reconciliation.ReconciliationTables.BOOKING_IDS;
import static dev.handshake.audit.reconciliation.ReconciliationTables.CATEGORY;
import static dev.handshake.audit.reconciliation.ReconciliationTables.FINANCE_SAFE_VALUE;
import static dev.handshake.audit.reconciliation.ReconciliationTables.METRIC;
import static dev.handshake.audit.reconciliation.ReconciliationTables.MODELED_VALUE;
import static dev.handshake.audit.reconciliation.ReconciliationTables.OPPORTUNITY_ID;
import static dev.handshake.audit.reconciliation.ReconciliationTables.PERIOD;
import static dev.handshake.audit.reconciliation.ReconciliationTables.RECOMPUTED_VALUE;
import static dev.handshake.audit.reconciliation.ReconciliationTables.SEGMENT;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.ColumnType;
import dev.handshake.model.OutputTable;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Night-over-night drift (section 3): each metric of this run against the previous successful
 * run's value for the same period and segment, and how many reconciliation rows moved category.
 * The first run has no previous run and says so in {@code note}.
 */
public final class DriftAudit {
    public static final String NAME = "audit_drift";
    public static final OutputTable OUTPUT = OutputTable.small(NAME, METRIC, PERIOD, SEGMENT);
    public static final String PREVIOUS_RUN_ID = "previous_run_id";
    public static final String PREVIOUS_AS_OF = "previous_as_of";
    public static final String PREVIOUS_VALUE = "previous_value";
    public static final String CURRENT_VALUE = "current_value";
    public static final String DELTA = "delta";
    public static final String DELTA_PCT = "delta_pct";
    public static final String NOTE = "note";
    public static final String CATEGORY_CHANGES = "reconciliation_rows_changed_category";
    public static final List<String> COLUMNS = List.of(METRIC, PERIOD, SEGMENT, PREVIOUS_RUN_ID, PREVIOUS_AS_OF,
            PREVIOUS_VALUE, CURRENT_VALUE, DELTA, DELTA_PCT, NOTE);
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__drift_";
    private static final String CATEGORY_NOW = PREFIX + "c_now";
    private static final String CATEGORY_THEN = PREFIX + "c_then";
    private static final String CHANGED = PREFIX + "changed";
    private static final String GONE = PREFIX + "gone";
    private static final String KEY_NOW = PREFIX + "k";
    private static final String KEY_THEN = PREFIX + "k2";
    private static final String NEW = PREFIX + "new";
    private static final String VALUE = PREFIX + "v";

    private DriftAudit() {}

    /** The previous successful run's metric comparison and reconciliation tables. */
    public record PreviousRun(String runId, LocalDate asOf, Dataset<Row> metrics, Dataset<Row> reconciliation) {
        public PreviousRun {
            requireNonNull(runId, "runId is null");
            requireNonNull(asOf, "asOf is null");
            requireNonNull(metrics, "metrics is null");
            requireNonNull(reconciliation, "reconciliation is null");
        }
    }

    public static Dataset<Row> run(Dataset<Row> metrics, Dataset<Row> reconciliation, Optional<PreviousRun> previous) {
        Dataset<Row> current = values(metrics).withColumnRenamed(VALUE, CURRENT_VALUE);
        Column money = lit(null).cast(ColumnType.DECIMAL.sparkType());
        if (previous.isEmpty()) {
            String first = "first run: no previous successful run to compare with";
            Dataset<Row> changes = reconciliation.sparkSession().range(1).select(lit(CATEGORY_CHANGES).as(METRIC),
                    lit("*").as(PERIOD), lit("*").as(SEGMENT), money.as(CURRENT_VALUE));
            return current.unionByName(changes)
                    .withColumn(PREVIOUS_RUN_ID, lit(null).cast("string"))
                    .withColumn(PREVIOUS_AS_OF, lit(null).cast("date"))
                    .withColumn(PREVIOUS_VALUE, money).withColumn(DELTA, money)
                    .withColumn(DELTA_PCT, lit(null).cast("double")).withColumn(NOTE, lit(first))
                    .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
        }
        PreviousRun prev = previous.get();
        Dataset<Row> before = values(prev.metrics()).withColumnRenamed(VALUE, PREVIOUS_VALUE);
        Dataset<Row> metricDrift = current.join(before, scala.jdk.javaapi.CollectionConverters.asScala(
                        List.of(METRIC, PERIOD, SEGMENT)).toSeq(), "full_outer")
                .withColumn(NOTE, when(col(PREVIOUS_VALUE).isNull().and(col(CURRENT_VALUE).isNotNull()),
                                lit("new since the previous run"))
                        .when(col(CURRENT_VALUE).isNull().and(col(PREVIOUS_VALUE).isNotNull()),
                                lit("no longer computed")));

        Column key = coalesce(col(OPPORTUNITY_ID), col(BOOKING_IDS).getItem(0));
        Dataset<Row> now = reconciliation.select(key.as(KEY_NOW), col(CATEGORY).as(CATEGORY_NOW));
        Dataset<Row> then = prev.reconciliation().select(key.as(KEY_THEN), col(CATEGORY).as(CATEGORY_THEN));
        Dataset<Row> changes = now.join(then, col(KEY_NOW).equalTo(col(KEY_THEN)), "full_outer")
                .agg(count_if(col(CATEGORY_NOW).isNotNull().and(col(CATEGORY_THEN).isNotNull())
                                .and(col(CATEGORY_NOW).notEqual(col(CATEGORY_THEN)))).as(CHANGED),
                        count_if(col(CATEGORY_THEN).isNull()).as(NEW),
                        count_if(col(CATEGORY_NOW).isNull()).as(GONE))
                .select(lit(CATEGORY_CHANGES).as(METRIC), lit("*").as(PERIOD), lit("*").as(SEGMENT),
                        col(CHANGED).cast(ColumnType.DECIMAL.sparkType()).as(CURRENT_VALUE),
                        money.as(PREVIOUS_VALUE),
                        concat(lit("rows in both runs that changed category; "), col(NEW).cast("string"),
                                lit(" new row(s), "), col(GONE).cast("string"), lit(" row(s) gone")).as(NOTE));
        Column delta = col(CURRENT_VALUE).minus(col(PREVIOUS_VALUE));
        return metricDrift.unionByName(changes)
                .withColumn(PREVIOUS_RUN_ID, lit(prev.runId()))
                .withColumn(PREVIOUS_AS_OF, lit(prev.asOf()))
                .withColumn(DELTA, delta.cast(ColumnType.DECIMAL.sparkType()))
                .withColumn(DELTA_PCT, when(col(PREVIOUS_VALUE).notEqual(0),
                        round(delta.cast("double").multiply(100.0).divide(col(PREVIOUS_VALUE).cast("double")), 2)))
                .select(COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** One value per drift metric: crm_bookings, finance_bookings, sourced_pipeline and modeled_*. */
    private static Dataset<Row> values(Dataset<Row> metrics) {
        Column name = col(METRIC);
        Column entries = array(
                struct(when(name.equalTo("bookings"), lit("crm_bookings")).otherwise(name).as("m"),
                        col(RECOMPUTED_VALUE).as("v")),
                struct(when(name.equalTo("bookings"), lit("finance_bookings")).as("m"), col(FINANCE_SAFE_VALUE).as("v")),
                struct(concat(lit("modeled_"), name).as("m"), col(MODELED_VALUE).as("v")));
        return metrics.select(col(PERIOD), col(SEGMENT), explode(entries).as("e"))
                .filter(col("e.m").isNotNull().and(col("e.v").isNotNull()))
                .select(col("e.m").as(METRIC), col(PERIOD), col(SEGMENT),
                        col("e.v").cast(ColumnType.DECIMAL.sparkType()).as(VALUE));
    }
}
