package dev.handshake.audit.reconciliation;

import static dev.handshake.audit.reconciliation.ReconciliationTables.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.CanonicalTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run without a bookings table (docs/coverage.md): nothing says whether a win reached finance,
 * so no win is CRM_ONLY, no booking is missing and nothing ties out. The reconciliation is run on
 * an empty bookings table (so its CRM side is computed as usual) and every figure that needs
 * finance is then set to null with {@link #REASON}, never left at the 0 an empty table gives.
 */
public final class FinanceAbsent {
    public static final String REASON = "not measured: no bookings table";
    /** The three-number bridge's steps from here on need finance (not booked, finance_booked). */
    static final int FIRST_FINANCE_STORY_STEP = 6;

    private FinanceAbsent() {}

    /** An empty bookings table of the canonical schema, for the matching to run on. */
    public static Dataset<Row> emptyBookings(SparkSession spark) {
        return spark.createDataFrame(List.of(), CanonicalTable.BOOKINGS.schema());
    }

    /** Reconciliation rows with no category, finance amount, variance, lag or layer. */
    public static Dataset<Row> reconciliation(Dataset<Row> rows) {
        return rows.withColumn(CATEGORY, lit(null).cast("string"))
                .withColumn(MATCHED_BY, lit(null).cast("string"))
                .withColumn(FINANCE_AMOUNT, nullOf(rows, FINANCE_AMOUNT))
                .withColumn(VARIANCE, nullOf(rows, VARIANCE))
                .withColumn(FINANCE_PERIOD, lit(null).cast("string"))
                .withColumn(LAG_DAYS, lit(null).cast("int"))
                .withColumn(LAYER, lit(null).cast("string"))
                .withColumn(NOTE, lit(REASON));
    }

    /** The CRM-to-finance bridge left out; the three-number bridge's finance steps null with the reason. */
    public static Dataset<Row> bridge(Dataset<Row> rows) {
        Column finance = col(STEP_ORDER).geq(FIRST_FINANCE_STORY_STEP);
        return rows.filter(col(BRIDGE_NAME).notEqual(CRM_TO_FINANCE))
                .withColumn(AMOUNT, when(finance.equalTo(false), col(AMOUNT)))
                .withColumn(RUNNING_TOTAL, when(finance.equalTo(false), col(RUNNING_TOTAL)))
                .withColumn(ROWS, when(finance.equalTo(false), col(ROWS)))
                .withColumn(NOTE, when(finance, lit(REASON)).otherwise(col(NOTE)));
    }

    /** Metric comparisons without the finance-safe value and the variances measured against it. */
    public static Dataset<Row> metrics(Dataset<Row> rows) {
        return rows.withColumn(FINANCE_SAFE_VALUE, nullOf(rows, FINANCE_SAFE_VALUE))
                .withColumn(VARIANCE, nullOf(rows, VARIANCE))
                .withColumn(VARIANCE_PCT, nullOf(rows, VARIANCE_PCT));
    }

    private static Column nullOf(Dataset<Row> rows, String column) {
        return lit(null).cast(rows.schema().apply(column).dataType());
    }
}
