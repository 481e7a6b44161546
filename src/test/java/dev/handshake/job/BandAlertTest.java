package dev.handshake.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.model.Dimension;
import dev.handshake.audit.benchmark.Scorecard;
import dev.handshake.config.Workflow;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --fail-on-band: certain bands compare directly; an uncertain band alerts only on its best case. */
class BandAlertTest {
    /** A report with the given scores in dimension order (null = no data). */
    private static BenchmarkAudit.WorkflowReport report(String name, Integer... scores) {
        Map<Dimension, Scorecard.DimensionScore> byDimension = new EnumMap<>(Dimension.class);
        for (int i = 0; i < scores.length; i++) {
            Dimension d = Dimension.values()[i];
            byDimension.put(d, new Scorecard.DimensionScore(name, d, 10, null, scores[i], List.of(), null));
        }
        Workflow w = new Workflow(name, null, Workflow.Population.NONE, Workflow.Population.NONE);
        return new BenchmarkAudit.WorkflowReport(w, byDimension, Scorecard.total(byDimension.values()),
                null, null, null, null, null);
    }

    @Test
    void workflowsAtOrWorseThanTheThresholdAlert() {
        // Totals: 6 (CLEAN), 11 (DISTORTING), 15 (BREAKING).
        List<BenchmarkAudit.WorkflowReport> reports = List.of(report("clean", 1, 1, 1, 1, 1, 1),
                report("distorting", 2, 2, 2, 2, 2, 1), report("breaking", 3, 3, 3, 2, 2, 2));
        assertEquals(List.of("workflow breaking: band BREAKING, total 15"),
                BandAlert.alerts(reports, BandAlert.Band.BREAKING));
        assertEquals(2, BandAlert.alerts(reports, BandAlert.Band.DISTORTING).size());
        assertEquals(3, BandAlert.alerts(reports, BandAlert.Band.CLEAN).size());
    }

    @Test
    void anUncertainBandAlertsOnlyWhenEvenItsBestCaseReachesTheThreshold() {
        // 3+3+3+3 = 12 with two dimensions missing: 14..18, BREAKING either way (band certain).
        // 2+2+2+2 = 8 with two missing: 10..14, DISTORTING or BREAKING: at least DISTORTING.
        BenchmarkAudit.WorkflowReport certain = report("certain", 3, 3, 3, 3, null, null);
        BenchmarkAudit.WorkflowReport between = report("between", 2, 2, 2, 2, null, null);
        assertEquals("BREAKING", certain.total().band());
        assertEquals(null, between.total().band());
        assertEquals(List.of("workflow certain: band BREAKING, total 12"),
                BandAlert.alerts(List.of(certain, between), BandAlert.Band.BREAKING));
        assertEquals(List.of("workflow certain: band BREAKING, total 12",
                        "workflow between: band at least DISTORTING (2 dimension(s) without data), total 8"),
                BandAlert.alerts(List.of(certain, between), BandAlert.Band.DISTORTING));
    }
}
