package dev.handshake.audit.consistency;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.audit.OpportunityScope;
import dev.handshake.model.Stage;
import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.config.HandoffContract;
import dev.handshake.config.HandoffContract.RecordKind;
import dev.handshake.source.TableCount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What must hold between the output tables of one run, checked at the end of the run before the
 * commit: two tables of the same night never state one fact two ways. Every figure is read from a
 * table the run keeps anyway (funnel, reconciliation rows, bridge, scope, the handoff rows while
 * they are kept) or from counts already in hand; no input is read again. A failed invariant fails
 * the run with its name and numbers, so the previous night stays published; all of them, passed
 * or not, are recorded in {@code audit_run.invariants}.
 */
public final class RunInvariants {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__invariants_";
    private static final String BOOKING_ID = PREFIX + "b";
    /** Names, with {@code :<handoff>}, {@code :<workflow>} or {@code :<table>} where per item. */
    public static final String HANDOFF_ENTRIES = "handoff_entries";
    public static final String FINANCE_ACTIONS = "finance_actions";
    public static final String WINS_IN_RECONCILIATION = "won_opportunities_in_reconciliation";
    public static final String WINS_ONCE = "won_opportunities_once_in_reconciliation";
    public static final String BOOKINGS_IN_RECONCILIATION = "bookings_in_reconciliation";
    public static final String BOOKINGS_ONCE = "bookings_once_in_reconciliation";
    public static final String BRIDGE_TIE_OUT = "bridge_tie_out";
    public static final String WORKFLOW_RECORDS = "workflow_records";
    public static final String INPUT_ROWS = "input_rows";
    public static final String QUARANTINE_ROWS = "quarantine_rows";

    /** One invariant: it passes when the two independently produced counts agree. */
    public record Invariant(String name, long expected, long actual) {
        public Invariant {
            requireNonNull(name, "name is null");
        }

        public boolean pass() {
            return expected == actual;
        }

        @Override
        public String toString() {
            return name + " expected " + expected + ", actual " + actual;
        }
    }

    /** Per handoff, read from its rows while the run keeps them: records entered, and required actions taken. */
    public record HandoffCount(String handoff, long entered, long actions) {}

    /**
     * The tables and counts of a finished run the invariants read.
     *
     * @param quarantineRows   rows written to audit_quarantine
     * @param handoffCounts    {@link #handoffCounts} of the evaluated handoff rows (empty without handoffs)
     * @param scope            the run's opportunities ({@link OpportunityScope})
     * @param workflowRecords  per workflow, the records the benchmark counted (its leads)
     */
    public record Tables(List<TableCount> inputs, long quarantineRows, Dataset<Row> funnel,
                         List<HandoffContract> handoffs, List<HandoffCount> handoffCounts, Dataset<Row> scope,
                         ReconciliationAudit.Result reconciliation, Dataset<Row> reconciliationRows, Dataset<Row> bridge,
                         Map<String, Long> workflowRecords) {
        public Tables {
            inputs = List.copyOf(inputs);
            handoffs = List.copyOf(handoffs);
            handoffCounts = List.copyOf(handoffCounts);
            workflowRecords = Map.copyOf(workflowRecords);
            requireNonNull(funnel, "funnel is null");
            requireNonNull(scope, "scope is null");
            requireNonNull(reconciliation, "reconciliation is null");
            requireNonNull(reconciliationRows, "reconciliationRows is null");
            requireNonNull(bridge, "bridge is null");
        }
    }

    private final List<HandoffCount> handoffCounts = new ArrayList<>();
    private final List<Invariant> results = new ArrayList<>();

    /** Counts of the evaluated handoff rows, one row per handoff (few): called while the job keeps them. */
    public void handoffRows(Dataset<Row> failures) {
        handoffCounts.clear();
        handoffCounts.addAll(handoffCounts(failures));
    }

    public static List<HandoffCount> handoffCounts(Dataset<Row> failures) {
        return failures.groupBy(HandoffTables.HANDOFF).agg(count(lit(1)),
                        count_if(col(HandoffTables.SLA_STATUS).isin(HandoffTables.MET, HandoffTables.BREACHED)))
                .collectAsList().stream()
                .map(r -> new HandoffCount(r.getString(0), r.getLong(1), r.getLong(2))).toList();
    }

    /** The invariants evaluated so far (empty until {@link #check}), for the run record. */
    public List<Invariant> results() {
        return List.copyOf(results);
    }

    /**
     * Evaluates every invariant against the run's tables, keeps the results, and fails when one does
     * not hold. Called before the commit: a failed run publishes nothing.
     */
    public void check(List<TableCount> inputs, long quarantineRows, Dataset<Row> funnel, List<HandoffContract> handoffs,
                      Dataset<Row> scope, ReconciliationAudit.Result reconciliation, Dataset<Row> reconciliationRows,
                      Dataset<Row> bridge, Map<String, Long> workflowRecords) {
        results.clear();
        results.addAll(evaluate(new Tables(inputs, quarantineRows, funnel, handoffs, handoffCounts, scope,
                reconciliation, reconciliationRows, bridge, workflowRecords)));
        require(results);
    }

    /** Throws naming every failed invariant with its numbers. */
    public static void require(List<Invariant> invariants) {
        List<Invariant> failed = invariants.stream().filter(i -> !i.pass()).toList();
        if (!failed.isEmpty()) {
            // The tables of this run contradict each other: a defect in the audit, never a finding.
            throw new IllegalStateException("run invariant(s) failed, nothing published: "
                    + failed.stream().map(Invariant::toString).collect(Collectors.joining("; ")));
        }
    }

    public static List<Invariant> evaluate(Tables t) {
        List<Invariant> out = new ArrayList<>(inputRows(t.inputs(), t.quarantineRows()));
        Map<String, Long> funnelAll = new HashMap<>();
        Map<String, Long> workflowCaptured = new HashMap<>();
        // The cohort-wide funnel (8 rows) and each workflow's CAPTURED row: small.
        for (Row r : t.funnel().filter(col(FunnelTable.COHORT_MONTH).equalTo(FunnelTable.ALL)
                        .and(col(FunnelTable.CUT_DIMENSION).equalTo(FunnelTable.CUT_ALL)
                                .or(col(FunnelTable.CUT_DIMENSION).equalTo(FunnelTable.CUT_WORKFLOW)
                                        .and(col(FunnelTable.STAGE).equalTo(Stage.CAPTURED.name())))))
                .select(FunnelTable.CUT_DIMENSION, FunnelTable.CUT_VALUE, FunnelTable.STAGE, FunnelTable.ENTERED)
                .collectAsList()) {
            if (r.isNullAt(3)) {
                continue; // not measured (docs/outputs.md): no handoff measured tonight enters there
            }
            if (r.getString(0).equals(FunnelTable.CUT_ALL)) {
                funnelAll.put(r.getString(2), r.getLong(3));
            } else {
                workflowCaptured.put(r.getString(1), r.getLong(3));
            }
        }
        Reconciled recon = Reconciled.of(t);
        Map<String, HandoffCount> counts = t.handoffCounts().stream()
                .collect(Collectors.toMap(HandoffCount::handoff, c -> c));
        for (HandoffContract h : t.handoffs()) {
            HandoffCount c = counts.getOrDefault(h.name(), new HandoffCount(h.name(), 0, 0));
            if (h.record() == RecordKind.LEAD) {
                out.add(new Invariant(HANDOFF_ENTRIES + ":" + h.name(),
                        funnelAll.getOrDefault(h.entryStage().name(), 0L), c.entered()));
            } else if (h.entryStage() == Stage.WON) {
                out.add(new Invariant(HANDOFF_ENTRIES + ":" + h.name(), recon.winRows(), c.entered()));
            }
            if (h.record() == RecordKind.OPPORTUNITY && h.actionStage() == Stage.BOOKED) {
                out.add(new Invariant(FINANCE_ACTIONS + ":" + h.name(), recon.winsBooked(), c.actions()));
            }
        }
        out.add(new Invariant(WINS_IN_RECONCILIATION, recon.wins(), recon.winRows()));
        out.add(new Invariant(WINS_ONCE, recon.wins(), recon.distinctWins()));
        out.add(new Invariant(BOOKINGS_IN_RECONCILIATION, recon.bookings(), recon.bookingRefs()));
        out.add(new Invariant(BOOKINGS_ONCE, recon.bookings(), recon.distinctBookings()));
        out.add(new Invariant(BRIDGE_TIE_OUT, 0, ReconciliationAudit.tieOutBreaks(t.bridge()).count()));
        t.workflowRecords().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(
                new Invariant(WORKFLOW_RECORDS + ":" + e.getKey(), workflowCaptured.getOrDefault(e.getKey(), 0L),
                        e.getValue())));
        return out;
    }

    /** Every row read is accepted or quarantined, and every quarantined row is in audit_quarantine. */
    static List<Invariant> inputRows(List<TableCount> inputs, long quarantineRows) {
        List<Invariant> out = new ArrayList<>();
        long quarantined = 0;
        for (TableCount c : inputs) {
            out.add(new Invariant(INPUT_ROWS + ":" + c.table(), c.rowsRead(), c.rowsAccepted() + c.rowsQuarantined()));
            quarantined += c.rowsQuarantined();
        }
        out.add(new Invariant(QUARANTINE_ROWS, quarantined, quarantineRows));
        return out;
    }

    /**
     * The reconciliation's figures against the scope's, from one aggregate over the kept rows each.
     *
     * @param wins        won opportunities in scope
     * @param winsBooked  reconciliation rows of a win with a visible booking (its lag_days is set: a
     *                    first positive booking by as_of)
     * @param bookings    bookings in scope
     * @param bookingRefs booking ids over all reconciliation rows
     */
    private record Reconciled(long wins, long winRows, long distinctWins, long winsBooked, long bookings,
                              long bookingRefs, long distinctBookings) {
        static Reconciled of(Tables t) {
            long wins = t.scope().filter(col(OpportunityScope.WON_ON).isNotNull()).count();
            Dataset<Row> rows = t.reconciliationRows();
            Row r = rows.agg(count_if(col(ReconciliationTables.OPPORTUNITY_ID).isNotNull()),
                    count_distinct(col(ReconciliationTables.OPPORTUNITY_ID)),
                    count_if(col(ReconciliationTables.OPPORTUNITY_ID).isNotNull()
                            .and(col(ReconciliationTables.LAG_DAYS).isNotNull()))).first();
            Row b = rows.select(explode(col(ReconciliationTables.BOOKING_IDS)).as(BOOKING_ID))
                    .agg(count(col(BOOKING_ID)), count_distinct(col(BOOKING_ID))).first();
            long refs = b.getLong(0);
            long distinctBookings = b.getLong(1);
            return new Reconciled(wins, r.getLong(0), r.getLong(1), r.getLong(2),
                    t.reconciliation().bookings().count(), refs, distinctBookings);
        }
    }
}
