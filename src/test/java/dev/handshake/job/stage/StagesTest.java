package dev.handshake.job.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.model.CanonicalTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order in which kept results are released is a property of the declared stage list: each
 * result goes right after the last stage that reads it.
 */
class StagesTest {

    @Test
    void theWideJourneyIsReleasedAfterTheHandoffsItsLastReader() {
        // Readers of the journey, as declared: scope, finance arrival, coverage, benchmark journey,
        // funnel and handoffs (the last four through the arrival journey, the kept journey plus a
        // column). The benchmark reads its own narrow copy, so the journey goes before the
        // changes, the reconciliation and the benchmark run.
        Map<Class<?>, Class<?>> after = Stages.releasedAfter(Stages.NIGHTLY);
        assertEquals(HandoffStage.class, after.get(JourneyStage.class));
        assertTrue(index(HandoffStage.class) < index(ChangesStage.class));
    }

    @Test
    void theSharedResultsLiveUntilTheirLastReader() {
        Map<Class<?>, Class<?>> after = Stages.releasedAfter(Stages.NIGHTLY);
        // The scope and the reconciliation are read by the invariants, the last stage.
        assertEquals(InvariantsStage.class, after.get(ScopeStage.class));
        assertEquals(InvariantsStage.class, after.get(ReconciliationStage.class));
        // The benchmark's narrow journey copy by the benchmark only.
        assertEquals(BenchmarkStage.class, after.get(BenchmarkJourneyStage.class));
        // Drift and the ledger by the report.
        assertEquals(ReportStage.class, after.get(DriftStage.class));
        assertEquals(ReportStage.class, after.get(LedgerStage.class));
        // A result nothing reads goes with its own stage.
        assertEquals(InvariantsStage.class, after.get(InvariantsStage.class));
    }

    @Test
    void theLeadTableIsReleasedAfterTheScopeItsLastReader() {
        // The journey and the scope read the lead table; nothing after them does.
        List<AuditStage<?>> declaring = Stages.NIGHTLY.stream()
                .filter(s -> s.lastReadOf().contains(CanonicalTable.LEADS)).toList();
        assertEquals(1, declaring.size());
        assertEquals(ScopeStage.class, declaring.get(0).getClass());
        assertTrue(index(JourneyStage.class) < index(ScopeStage.class));
    }

    @Test
    void everyStageIsListedOnceAfterTheStagesItReads() {
        // releasedAfter refuses a list that breaks this; the declared one passes.
        Stages.releasedAfter(Stages.NIGHTLY);
        for (AuditStage<?> stage : Stages.NIGHTLY) {
            for (Class<?> read : stage.reads()) {
                assertTrue(index(read) < index(stage.getClass()), stage.name() + " reads " + read.getSimpleName());
            }
        }
    }

    @Test
    void aStageBeforeWhatItReadsIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Stages.releasedAfter(List.of(new ScopeStage(), new JourneyStage())));
        assertEquals("ScopeStage reads JourneyStage, which does not run before it", e.getMessage());
    }

    @Test
    void aStageListedTwiceIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Stages.releasedAfter(List.of(new JourneyStage(), new JourneyStage())));
        assertEquals("JourneyStage is listed twice", e.getMessage());
    }

    @Test
    void aTableIsWrittenInAStepNamedAfterIt() {
        // The step log and audit_run have named the writes "audit funnel", "audit handoff map".
        assertEquals("audit funnel", FunnelTable.OUTPUT.stepName());
        assertEquals("audit handoff map", HandoffTables.MAP_OUTPUT.stepName());
    }

    private static int index(Class<?> stage) {
        for (int i = 0; i < Stages.NIGHTLY.size(); i++) {
            if (Stages.NIGHTLY.get(i).getClass() == stage) {
                return i;
            }
        }
        throw new AssertionError(stage.getSimpleName() + " is not in the list");
    }
}
