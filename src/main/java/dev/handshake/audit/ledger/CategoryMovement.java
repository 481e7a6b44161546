package dev.handshake.audit.ledger;

import static dev.handshake.audit.ledger.LedgerTables.AMOUNT;
import static dev.handshake.audit.ledger.LedgerTables.FROM_CATEGORY;
import static dev.handshake.audit.ledger.LedgerTables.ROWS;
import static dev.handshake.audit.ledger.LedgerTables.TO_CATEGORY;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One row of {@code audit_category_transitions} where the category moved, as the review sheet
 * shows it ("LAGGING -> CRM_ONLY: 6 deals, 412,000.00 USD"). The class that picks the largest
 * movements also reads them back.
 */
public record CategoryMovement(String fromCategory, String toCategory, long rows, BigDecimal amount) {
    public CategoryMovement {
        requireNonNull(fromCategory, "fromCategory is null");
        requireNonNull(toCategory, "toCategory is null");
    }

    /**
     * The {@code limit} largest movements by absolute amount (then by rows, then by names, so the
     * order is the same on every run). The transitions table has at most one row per pair of
     * categories, so this brings a bounded number of rows to the driver.
     */
    public static List<CategoryMovement> largest(Dataset<Row> transitions, int limit) {
        return transitions.filter(col(FROM_CATEGORY).notEqual(col(TO_CATEGORY)))
                .orderBy(abs(coalesce(col(AMOUNT), lit(0))).desc(), col(ROWS).desc(), col(FROM_CATEGORY),
                        col(TO_CATEGORY))
                .limit(limit)
                .collectAsList().stream()
                .map(r -> new CategoryMovement(r.getAs(FROM_CATEGORY), r.getAs(TO_CATEGORY), r.<Long>getAs(ROWS),
                        r.getAs(AMOUNT)))
                .toList();
    }
}
