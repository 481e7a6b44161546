package dev.handshake.audit.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.consistency.RunInvariants.HandoffCount;
import dev.handshake.audit.consistency.RunInvariants.Invariant;
import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.config.ConfigLoader;
import dev.handshake.config.HandoffContract;
import dev.handshake.source.TableCount;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The run's invariants on a small set of tables that agree, worked out by hand, and each broken
 * on purpose in one place: the run fails naming the invariant and its numbers.
 *
 * <pre>
 * handoffs (conf/local.yaml): marketing_to_sales enters at MQL, sdr_to_ae at SAL (leads),
 * sales_to_finance at WON (opportunities, action BOOKED)
 * funnel all/*:  entered CAPTURED 10, MQL 6, ASSIGNED 5, WORKED 5, SAL 3, OPPORTUNITY 3, WON 2, BOOKED 1
 *                workflow w1 CAPTURED 4
 * handoff rows:  marketing_to_sales 6 (4 actions), sdr_to_ae 3 (2), sales_to_finance 2 (1: O1's booking)
 * scope:         O1 won, O2 won, O3 open -> 2 wins
 * reconciliation rows: O1 [B1] lag 2 | O2 no booking | (no opportunity) [B2] -> 2 wins once, 1 with a
 *                visible booking; bookings in scope B1, B2, each once
 * bridge 2026-03: crm_bookings -1000, CRM_ONLY +1000... as steps: crm 1000, MATCHED 0, CRM_ONLY -1000,
 *                FINANCE_ONLY 500, finance 500 -> 1000 + 0 - 1000 + 500 = 500: ties out
 * inputs:        leads read 10 = 9 accepted + 1 quarantined; bookings 3 = 3 + 0; audit_quarantine 1 row
 * workflow w1:   4 records = its funnel's CAPTURED 4
 * </pre>
 */
class RunInvariantsTest {
    private static final List<HandoffContract> HANDOFFS =
            ConfigLoader.load(Path.of("conf/local.yaml")).handoffs();

    private static SparkSession spark() {
        return SharedSpark.get();
    }

    private static Dataset<Row> funnelRows(long workflowCaptured) {
        StructType schema = new StructType().add("cut_dimension", DataTypes.StringType)
                .add("cut_value", DataTypes.StringType).add("cohort_month", DataTypes.StringType)
                .add("stage", DataTypes.StringType).add("entered", DataTypes.LongType);
        String[] stages = {"CAPTURED", "MQL", "ASSIGNED", "WORKED", "SAL", "OPPORTUNITY", "WON", "BOOKED"};
        long[] entered = {10, 6, 5, 5, 3, 3, 2, 1};
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < stages.length; k++) {
            rows.add(RowFactory.create("all", "*", "*", stages[k], entered[k]));
            // A month's funnel is not the cohort's: ignored.
            rows.add(RowFactory.create("all", "*", "2026-03", stages[k], 1L));
        }
        rows.add(RowFactory.create("workflow", "w1", "*", "CAPTURED", workflowCaptured));
        rows.add(RowFactory.create("workflow", "w1", "*", "MQL", 3L));
        return spark().createDataFrame(rows, schema);
    }

    private static Dataset<Row> scope() {
        StructType schema = new StructType().add(OpportunityScope.ID, DataTypes.StringType)
                .add(OpportunityScope.WON_ON, DataTypes.DateType);
        return spark().createDataFrame(List.of(RowFactory.create("O1", Date.valueOf("2026-03-10")),
                RowFactory.create("O2", Date.valueOf("2026-03-12")), RowFactory.create("O3", null)), schema);
    }

    /** Reconciliation rows: opportunity id, booking ids, lag days. */
    private static Dataset<Row> reconRows(Object[]... rows) {
        StructType schema = new StructType().add(ReconciliationTables.OPPORTUNITY_ID, DataTypes.StringType)
                .add(ReconciliationTables.BOOKING_IDS, new ArrayType(DataTypes.StringType, true))
                .add(ReconciliationTables.LAG_DAYS, DataTypes.IntegerType);
        return spark().createDataFrame(Arrays.stream(rows).map(r -> RowFactory.create(r)).toList(), schema);
    }

    private static final Object[] O1 = {"O1", new String[] {"B1"}, 2};
    private static final Object[] O2 = {"O2", null, null};
    private static final Object[] B2 = {null, new String[] {"B2"}, null};

    private static Dataset<Row> bridgeRows(String financeAmount) {
        StructType schema = new StructType().add(ReconciliationTables.BRIDGE_NAME, DataTypes.StringType)
                .add(ReconciliationTables.PERIOD, DataTypes.StringType)
                .add(ReconciliationTables.STEP_ORDER, DataTypes.IntegerType)
                .add(ReconciliationTables.STEP, DataTypes.StringType)
                .add(ReconciliationTables.AMOUNT, DataTypes.createDecimalType(24, 6))
                .add(ReconciliationTables.RUNNING_TOTAL, DataTypes.createDecimalType(24, 6));
        String b = ReconciliationTables.CRM_TO_FINANCE;
        return spark().createDataFrame(List.of(
                RowFactory.create(b, "2026-03", 0, "crm_bookings", new BigDecimal("1000"), null),
                RowFactory.create(b, "2026-03", 1, "MATCHED", new BigDecimal("0"), null),
                RowFactory.create(b, "2026-03", 7, "CRM_ONLY", new BigDecimal("-1000"), null),
                RowFactory.create(b, "2026-03", 8, "FINANCE_ONLY", new BigDecimal("500"), null),
                RowFactory.create(b, "2026-03", 10, "finance_bookings", new BigDecimal(financeAmount), null)), schema);
    }

    private static ReconciliationAudit.Result bookings(String... ids) {
        Dataset<Row> none = spark().emptyDataFrame();
        Dataset<Row> scoped = spark().createDataFrame(Arrays.stream(ids).map(i -> RowFactory.create(i)).toList(),
                new StructType().add(BookingMatch.B_ID, DataTypes.StringType));
        return new ReconciliationAudit.Result(none, none, none, none, none, scoped);
    }

    /** The agreeing tables, with the parts a test breaks given. */
    private record Run(List<TableCount> inputs, long quarantineRows, Dataset<Row> funnel, List<HandoffCount> counts,
                       Dataset<Row> reconciliation, Dataset<Row> bridge, Map<String, Long> workflows) {
        static Run agreeing() {
            return new Run(List.of(new TableCount("leads", true, 10, 9, 1, 0), new TableCount("bookings", true, 3, 3, 0, 0)),
                    1, funnelRows(4), counts(6, 4, 3, 2, 2, 1), reconRows(O1, O2, B2), bridgeRows("500"), Map.of("w1", 4L));
        }

        static List<HandoffCount> counts(long m2s, long m2sActions, long s2a, long s2aActions, long s2f, long s2fActions) {
            return List.of(new HandoffCount("marketing_to_sales", m2s, m2sActions),
                    new HandoffCount("sdr_to_ae", s2a, s2aActions), new HandoffCount("sales_to_finance", s2f, s2fActions));
        }

        RunInvariants.Tables tables() {
            return new RunInvariants.Tables(inputs, quarantineRows, funnel, HANDOFFS, counts, scope(),
                    bookings("B1", "B2"), reconciliation, bridge, workflows);
        }

        /** As the job does it: the handoff rows first, then the check before the commit. */
        void check() {
            RunInvariants invariants = new RunInvariants();
            invariants.handoffRows(spark().createDataFrame(counts.stream().flatMap(c -> {
                List<Row> rows = new ArrayList<>();
                for (long i = 0; i < c.entered(); i++) {
                    rows.add(RowFactory.create(c.handoff(), i < c.actions() ? (i % 2 == 0 ? "MET" : "BREACHED") : "NEVER"));
                }
                return rows.stream();
            }).toList(), new StructType().add("handoff", DataTypes.StringType).add("sla_status", DataTypes.StringType)));
            invariants.check(inputs, quarantineRows, funnel, HANDOFFS, scope(), bookings("B1", "B2"), reconciliation,
                    bridge, workflows);
        }
    }

    private static void assertFailsNaming(Run broken, String invariant, long expected, long actual) {
        IllegalStateException e = assertThrows(IllegalStateException.class, broken::check);
        assertTrue(e.getMessage().contains(invariant + " expected " + expected + ", actual " + actual), e.getMessage());
    }

    @Test
    void tablesThatAgreePassEveryInvariant() {
        List<Invariant> all = RunInvariants.evaluate(Run.agreeing().tables());
        List<String> names = all.stream().map(Invariant::name).toList();
        assertEquals(List.of("input_rows:leads", "input_rows:bookings", "quarantine_rows",
                "handoff_entries:marketing_to_sales", "handoff_entries:sdr_to_ae", "handoff_entries:sales_to_finance",
                "finance_actions:sales_to_finance", "won_opportunities_in_reconciliation",
                "won_opportunities_once_in_reconciliation", "bookings_in_reconciliation",
                "bookings_once_in_reconciliation", "bridge_tie_out", "workflow_records:w1"), names);
        assertTrue(all.stream().allMatch(Invariant::pass), all.toString());
        assertEquals(new Invariant("handoff_entries:marketing_to_sales", 6, 6), all.get(3));
        assertEquals(new Invariant("finance_actions:sales_to_finance", 1, 1), all.get(6));
        Run.agreeing().check();
    }

    @Test
    void aHandoffRowRemovedFailsHandoffEntries() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), Run.counts(5, 4, 3, 2, 2, 1), r.reconciliation(),
                r.bridge(), r.workflows()), "handoff_entries:marketing_to_sales", 6, 5);
    }

    @Test
    void aWinWhoseBookingVanishedFromTheReconciliationFailsFinanceActions() {
        Run r = Run.agreeing();
        // O1's booking gone from its row: the reconciliation has 0 visible bookings, sales_to_finance 1 action.
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), reconRows(
                new Object[] {"O1", null, null}, O2, new Object[] {null, new String[] {"B1"}, null},
                B2), r.bridge(), r.workflows()), "finance_actions:sales_to_finance", 0, 1);
    }

    @Test
    void aWinMissingFromTheReconciliationFailsWonOpportunitiesInReconciliation() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), reconRows(O1, B2), r.bridge(),
                r.workflows()), "won_opportunities_in_reconciliation", 2, 1);
    }

    @Test
    void aWinInTwoRowsInsteadOfAnotherFailsWonOpportunitiesOnce() {
        Run r = Run.agreeing();
        // Two rows for two wins, but both are O1: the count agrees, the distinct count does not.
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), reconRows(O1,
                new Object[] {"O1", null, null}, B2), r.bridge(), r.workflows()),
                "won_opportunities_once_in_reconciliation", 2, 1);
    }

    @Test
    void aBookingInTwoRowsFailsBookingsInReconciliation() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), reconRows(
                new Object[] {"O1", new String[] {"B1", "B2"}, 2}, O2, B2), r.bridge(), r.workflows()),
                "bookings_in_reconciliation", 2, 3);
    }

    @Test
    void aBookingLostAndAnotherCountedTwiceFailsBookingsOnce() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), reconRows(O1, O2,
                new Object[] {null, new String[] {"B1"}, null}), r.bridge(), r.workflows()),
                "bookings_once_in_reconciliation", 2, 1);
    }

    @Test
    void aBridgeThatDoesNotTieOutFailsBridgeTieOut() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, r.funnel(), r.counts(), r.reconciliation(), bridgeRows("450"),
                r.workflows()), "bridge_tie_out", 0, 1);
    }

    @Test
    void aWorkflowWhoseRecordsDifferFromItsFunnelFailsWorkflowRecords() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 1, funnelRows(5), r.counts(), r.reconciliation(), r.bridge(),
                r.workflows()), "workflow_records:w1", 5, 4);
    }

    @Test
    void aQuarantinedRowMissingFromAuditQuarantineFailsQuarantineRows() {
        Run r = Run.agreeing();
        assertFailsNaming(new Run(r.inputs(), 0, r.funnel(), r.counts(), r.reconciliation(), r.bridge(),
                r.workflows()), "quarantine_rows", 1, 0);
    }

    @Test
    void inputRowsHoldByConstructionAndAreRecorded() {
        // A table count whose read rows are not accepted + quarantined cannot even be built.
        assertThrows(IllegalStateException.class, () -> new TableCount("leads", true, 10, 9, 0, 0));
        assertEquals(new Invariant("input_rows:leads", 10, 10), RunInvariants.inputRows(
                List.of(new TableCount("leads", true, 10, 9, 1, 0)), 1).get(0));
    }
}
