package dev.handshake.audit.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Previous night: bookings 2026-02 recomputed 7000, finance-safe 3000; rows O1 LAGGING,
 * O2 AMOUNT_MISMATCH, O3 CRM_ONLY. This night: 7100 / 3300, sourced_pipeline 1000 (new);
 * rows O1 MATCHED, O2 AMOUNT_MISMATCH, B7 FINANCE_ONLY.
 * crm_bookings +100 (100/7000 = 1.43 %), finance_bookings +300 (10.00 %);
 * one row changed category (O1), one new (B7), one gone (O3).
 */
class DriftAuditTest {
    private static final StructType METRICS = new StructType().add("metric", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("segment", DataTypes.StringType)
            .add("modeled_value", DataTypes.createDecimalType(24, 6))
            .add("recomputed_value", DataTypes.createDecimalType(24, 6))
            .add("finance_safe_value", DataTypes.createDecimalType(24, 6));
    private static final StructType RECON = new StructType().add("opportunity_id", DataTypes.StringType)
            .add("booking_ids", DataTypes.createArrayType(DataTypes.StringType)).add("category", DataTypes.StringType);

    private static BigDecimal d(String v) {
        return v == null ? null : new BigDecimal(v).setScale(6);
    }

    private static Dataset<Row> metrics(Object[]... rows) {
        return SharedSpark.get().createDataFrame(java.util.Arrays.stream(rows)
                .map(r -> RowFactory.create(r[0], r[1], r[2], null, d((String) r[3]), d((String) r[4]))).toList(), METRICS);
    }

    private static Dataset<Row> recon(String[]... rows) {
        return SharedSpark.get().createDataFrame(java.util.Arrays.stream(rows)
                .map(r -> RowFactory.create(r[0], List.of(r[1]), r[2])).toList(), RECON);
    }

    private static Row find(List<Row> rows, String metric) {
        return rows.stream().filter(r -> r.getAs("metric").equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void eachMetricIsComparedWithThePreviousRunAndCategoryMovesAreCounted() {
        Dataset<Row> now = metrics(new Object[] {"bookings", "2026-02", "*", "7100", "3300"},
                new Object[] {"sourced_pipeline", "2026-02", "*", "1000", null});
        Dataset<Row> before = metrics(new Object[] {"bookings", "2026-02", "*", "7000", "3000"});
        DriftAudit.PreviousRun previous = new DriftAudit.PreviousRun("run-1", LocalDate.parse("2026-03-30"), before,
                recon(new String[] {"O1", "B1", "LAGGING"}, new String[] {"O2", "B2", "AMOUNT_MISMATCH"},
                        new String[] {"O3", "B3", "CRM_ONLY"}));
        List<Row> drift = DriftAudit.run(now, recon(new String[] {"O1", "B1", "MATCHED"},
                new String[] {"O2", "B2", "AMOUNT_MISMATCH"}, new String[] {null, "B7", "FINANCE_ONLY"}),
                Optional.of(previous)).collectAsList();

        Row crm = find(drift, "crm_bookings");
        assertEquals(d("7000"), crm.getAs("previous_value"));
        assertEquals(d("7100"), crm.getAs("current_value"));
        assertEquals(d("100"), crm.getAs("delta"));
        assertEquals(1.43, (double) crm.getAs("delta_pct"), 1e-9);
        assertEquals("run-1", crm.getAs("previous_run_id"));
        Row finance = find(drift, "finance_bookings");
        assertEquals(d("300"), finance.getAs("delta"));
        assertEquals(10.0, (double) finance.getAs("delta_pct"), 1e-9);
        Row sourced = find(drift, "sourced_pipeline");
        assertNull(sourced.getAs("previous_value"));
        assertEquals("new since the previous run", sourced.getAs("note"));
        Row moved = find(drift, DriftAudit.CATEGORY_CHANGES);
        assertEquals(d("1"), moved.getAs("current_value"));
        assertEquals("rows in both runs that changed category; 1 new row(s), 1 row(s) gone", moved.getAs("note"));
        assertEquals(4, drift.size());
    }

    @Test
    void theFirstRunSaysItHasNothingToCompareWith() {
        List<Row> drift = DriftAudit.run(metrics(new Object[] {"bookings", "2026-02", "*", "7100", "3300"}),
                recon(new String[] {"O1", "B1", "MATCHED"}), Optional.empty()).collectAsList();
        assertEquals(3, drift.size());
        for (Row r : drift) {
            assertNull(r.getAs("previous_run_id"));
            assertEquals("first run: no previous successful run to compare with", r.getAs("note"));
        }
    }
}
