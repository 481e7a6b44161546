package dev.handshake.audit.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.Dimension;
import dev.handshake.model.Layer;
import dev.handshake.config.BenchmarkSettings;
import dev.handshake.config.ConfigLoader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first fork is named only from measured layers (issue 25, item 2): with nothing material and
 * a layer not measured the answer is INSUFFICIENT_EVIDENCE, never NONE and never "no repair needed".
 * Pure Java: no Spark.
 */
class FirstForkEvidenceTest {
    private static BenchmarkSettings settings;

    @BeforeAll
    static void defaults() throws Exception {
        Path yaml = Files.createTempFile("fork", ".yaml");
        Files.writeString(yaml, "source:\n  root: in\n");
        settings = ConfigLoader.load(yaml).benchmark();
        Files.delete(yaml);
    }

    private static Scorecard.DimensionScore scored(Dimension d, int score) {
        return new Scorecard.DimensionScore("w", d, 10, BigDecimal.ONE, score, List.of(), null);
    }

    private static Scorecard.DimensionScore notMeasured(Dimension d, String note) {
        return new Scorecard.DimensionScore("w", d, 0, null, null, List.of(), note);
    }

    /** Won value 1,000; every money finding 0 unless given; warehouse drift as given (null = no modeled metrics). */
    private static FirstFork.Findings findings(long leads, long wonDeals, BigDecimal qualification, BigDecimal drift) {
        BigDecimal won = wonDeals == 0 ? null : new BigDecimal("1000.00");
        return new FirstFork.Findings("w", WorkflowBasis.LEADS, leads, won, wonDeals, BigDecimal.ZERO, 0, BigDecimal.ZERO, 0, 0, 0,
                qualification, BigDecimal.ZERO, 0, BigDecimal.ZERO, 0, drift,
                drift == null ? null : new BigDecimal("1000.00"), null, null, null);
    }

    @Test
    void anOpportunityOnlyWorkflowWithNothingMaterialIsInsufficientEvidenceNotNone() {
        // Opportunity-only shape: finance and CRM dimensions scored 1 (clean), capture linkage and
        // the qualification handoff cannot be measured (no leads), no modeled metrics.
        Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(Dimension.class);
        scores.put(Dimension.CAPTURE_LINKAGE, notMeasured(Dimension.CAPTURE_LINKAGE, "not measured: no leads table"));
        scores.put(Dimension.STAGE_CONSISTENCY, scored(Dimension.STAGE_CONSISTENCY, 1));
        scores.put(Dimension.OWNER_CLARITY, scored(Dimension.OWNER_CLARITY, 1));
        scores.put(Dimension.OVERRIDE_DISCIPLINE, scored(Dimension.OVERRIDE_DISCIPLINE, 1));
        scores.put(Dimension.FINANCE_LAG, scored(Dimension.FINANCE_LAG, 1));
        scores.put(Dimension.RECONCILIATION_REPEATABILITY, scored(Dimension.RECONCILIATION_REPEATABILITY, 1));
        FirstFork.Findings f = findings(0, 4, null, null);

        Map<Layer, String> unmeasured = FirstFork.unmeasured(f, scores);
        // CAPTURE (its one dimension not scored), QUALIFICATION_HANDOFF (no impact), WAREHOUSE_LOGIC (no drift).
        assertEquals(List.of(Layer.CAPTURE, Layer.QUALIFICATION_HANDOFF, Layer.WAREHOUSE_LOGIC),
                List.copyOf(unmeasured.keySet()));
        assertTrue(unmeasured.get(Layer.CAPTURE).contains("no leads table"), unmeasured.get(Layer.CAPTURE));

        FirstFork.Fork fork = FirstFork.decide(f, scores, settings, "USD");
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.firstForkLayer());
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.problemKind());
        assertNull(fork.repairOwner());
        assertFalse(fork.nextMove().contains("No repair needed"), fork.nextMove());
        assertTrue(fork.nextMove().contains("CAPTURE") && fork.nextMove().contains("WAREHOUSE_LOGIC"), fork.nextMove());
    }

    @Test
    void aWorkflowWithNoRecordIsNotMeasured() {
        Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            scores.put(d, notMeasured(d, "not measured: no record of this workflow is measured by this dimension"));
        }
        FirstFork.Fork fork = FirstFork.decide(findings(0, 0, null, null), scores, settings, "USD");
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.firstForkLayer());
        assertTrue(fork.downstreamSymptom().startsWith("not measured: the workflow has no record"));
        // 0 of 6 dimensions scored: total 0, incomplete, no band (0 + 6 = 6 CLEAN vs 0 + 18 BREAKING).
        Scorecard.Total total = Scorecard.total(scores.values());
        assertEquals(0, total.total());
        assertFalse(total.complete());
        assertNull(total.band());
    }

    @Test
    void noneOnlyWhenEveryLayerIsMeasuredAndClean() {
        Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            scores.put(d, scored(d, 1));
        }
        // Qualification impact 0.00 (measured, no loss), drift 0 of 1,000 published: all five layers measured.
        FirstFork.Fork fork = FirstFork.decide(findings(10, 4, new BigDecimal("0.00"), BigDecimal.ZERO), scores,
                settings, "USD");
        assertEquals(FirstFork.NONE, fork.firstForkLayer());
        assertTrue(fork.nextMove().startsWith("No repair needed"));
    }

    @Test
    void aForkAfterAnUnmeasuredLayerSaysSo() {
        Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            scores.put(d, scored(d, 1));
        }
        scores.put(Dimension.CAPTURE_LINKAGE, notMeasured(Dimension.CAPTURE_LINKAGE, "not measured: no leads table"));
        scores.put(Dimension.FINANCE_LAG, scored(Dimension.FINANCE_LAG, 3));
        FirstFork.Fork fork = FirstFork.decide(findings(10, 4, new BigDecimal("0.00"), BigDecimal.ZERO), scores,
                settings, "USD");
        // finance_lag scored 3 makes FINANCE_NORMALIZATION material; CAPTURE before it was not measured.
        assertEquals("FINANCE_NORMALIZATION", fork.firstForkLayer());
        assertTrue(fork.downstreamSymptom().contains("not measured before it: CAPTURE"), fork.downstreamSymptom());
    }
}
