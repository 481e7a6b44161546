package dev.handshake.audit.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The tie-out check reads published bridge rows: hand-built bridges, one period of each broken. */
class TieOutTest {
    private static final String CRM = ReconciliationTables.CRM_TO_FINANCE;
    private static final String STORY = ThreeNumberBridge.NAME;

    private static Object[] step(String bridge, String period, int order, String step, String amount, String running) {
        return new Object[] {bridge, period, order, step, new BigDecimal(amount), new BigDecimal(running)};
    }

    private static Dataset<Row> bridge(List<Object[]> steps) {
        StructType schema = new StructType().add(ReconciliationTables.BRIDGE_NAME, DataTypes.StringType)
                .add(ReconciliationTables.PERIOD, DataTypes.StringType)
                .add(ReconciliationTables.STEP_ORDER, DataTypes.IntegerType)
                .add(ReconciliationTables.STEP, DataTypes.StringType)
                .add(ReconciliationTables.AMOUNT, DataTypes.createDecimalType(38, 6))
                .add(ReconciliationTables.RUNNING_TOTAL, DataTypes.createDecimalType(38, 6));
        List<Row> rows = new ArrayList<>();
        steps.forEach(s -> rows.add(RowFactory.create(s)));
        return SharedSpark.get().createDataFrame(rows, schema);
    }

    @Test
    void periodsThatDoNotTieOutAreNamedAndOnlyThose() {
        List<Object[]> steps = new ArrayList<>();
        // 2026-04: 1,000 CRM - 200 lagging + 50 finance only = 850 booked: ties out.
        steps.add(step(CRM, "2026-04", 0, "crm_bookings", "1000.00", "1000.00"));
        steps.add(step(CRM, "2026-04", 1, "lagging", "-200.00", "800.00"));
        steps.add(step(CRM, "2026-04", 2, "finance_only", "50.00", "850.00"));
        steps.add(step(CRM, "2026-04", 3, "finance_bookings", "850.00", "850.00"));
        // 2026-05: 1,000 - 200 = 800, but finance shows 800.01: one cent off, a break.
        steps.add(step(CRM, "2026-05", 0, "crm_bookings", "1000.00", "1000.00"));
        steps.add(step(CRM, "2026-05", 1, "lagging", "-200.00", "800.00"));
        steps.add(step(CRM, "2026-05", 3, "finance_bookings", "800.01", "800.01"));
        // Story 2026-04: after qualification 700, accepted 700: ties out.
        steps.add(step(STORY, "2026-04", 4, "rejected or disqualified", "-100.00", "700.00"));
        steps.add(step(STORY, "2026-04", 5, "sales_accepted_pipeline", "700.00", "700.00"));
        // Story 2026-05: after qualification 700, accepted 690: a break.
        steps.add(step(STORY, "2026-05", 4, "rejected or disqualified", "-100.00", "700.00"));
        steps.add(step(STORY, "2026-05", 5, "sales_accepted_pipeline", "690.00", "690.00"));

        List<String> breaks = ReconciliationAudit.tieOutBreaks(bridge(steps)).collectAsList().stream()
                .map(r -> r.getString(0) + " " + r.getString(1)).sorted().toList();
        assertEquals(List.of(CRM + " 2026-05", STORY + " 2026-05"), breaks);
    }
}
