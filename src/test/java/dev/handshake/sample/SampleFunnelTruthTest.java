package dev.handshake.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifest's funnel is the generator's own truth (furthest stage and omitted evidence per lead).
 * Here the funnel is recomputed from the written tables with the evidence rules of section 1, so a
 * plant that does not produce the evidence it intends shows up as a difference.
 */
class SampleFunnelTruthTest {
    private static final String[] STAGES = {"CAPTURED", "MQL", "ASSIGNED", "WORKED", "SAL", "OPPORTUNITY", "WON", "BOOKED"};
    private static SampleFixture.Generated sample;

    @BeforeAll
    static void register() {
        sample = SampleFixture.main();
        SampleQueries.register(sample, "f");
        SampleQueries.registerEvidence("f", sample.manifest().asOfDate());
    }

    @Test
    void allCohortMonthsMatchTheEvidenceInTheTables() {
        Manifest.FunnelCut expected = sample.manifest().funnelCut("all", "*");
        assertEquals(expected, recomputed("all", "*", "true"));
        assertEquals(sample.manifest().count("leads.cohort"), expected.cohortLeads());
        // The plants are there: skips at MQL, ASSIGNED, WORKED and SAL, and some leads get to BOOKED.
        for (String stage : new String[] {"MQL", "ASSIGNED", "WORKED", "SAL"}) {
            assertTrue(expected.stage(stage).skipped() > 0, stage);
        }
        assertTrue(expected.stage("BOOKED").entered() > 0);
    }

    @Test
    void eachCohortMonthMatchesTheEvidenceInTheTables() {
        List<Manifest.FunnelCut> months = sample.manifest().funnel().stream()
                .filter(c -> c.dimension().equals("cohort_month")).toList();
        assertTrue(months.size() >= 12, months.toString());
        assertEquals(months, recomputedByMonth());
    }

    @Test
    void skipsComeFromTheEvidenceTheGeneratorOmitted() {
        Manifest m = sample.manifest();
        Manifest.FunnelCut all = m.funnelCut("all", "*");
        assertEquals(m.count("funnel.plant.outbound_without_mql") + m.count("funnel.plant.mql_missing"),
                all.stage("MQL").skipped());
        assertEquals(m.count("funnel.plant.assigned_missing"), all.stage("ASSIGNED").skipped());
        assertEquals(m.count("funnel.plant.worked_missing"), all.stage("WORKED").skipped());
        assertEquals(m.count("funnel.plant.sal_missing"), all.stage("SAL").skipped());
        // Evidence from status history / activity / opportunity link only is not a skip.
        long mqlFromHistoryOnly = SampleQueries.count("SELECT count(*) FROM f_cohort l JOIN f_lsh_stage h "
                + "ON h.lead_id = l.lead_id AND h.stage = 'MQL' WHERE l.mql_at IS NULL");
        assertEquals(m.count("funnel.plant.mql_from_status_history_only"), mqlFromHistoryOnly);
        long workedFromActivityOnly = SampleQueries.count("SELECT count(*) FROM f_cohort l JOIN f_sales_activity a "
                + "ON a.lead_id = l.lead_id WHERE l.first_touch_at IS NULL");
        assertEquals(m.count("funnel.plant.worked_from_activity_only"), workedFromActivityOnly);
        long linkOnly = SampleQueries.count("SELECT count(*) FROM f_cohort l JOIN f_valid_opps o "
                + "ON o.opportunity_id = l.converted_opportunity_id WHERE l.converted_at IS NULL");
        assertEquals(m.count("funnel.plant.opportunity_from_link_only"), linkOnly);
        long undone = SampleQueries.count("SELECT count(*) FROM f_cohort l JOIN f_opportunities o "
                + "ON o.opportunity_id = l.converted_opportunity_id WHERE o.is_deleted");
        assertEquals(m.count("funnel.plant.conversion_undone"), undone);
    }

    private static Manifest.FunnelCut recomputed(String dimension, String value, String where) {
        return cut(dimension, value, SampleQueries.spark().sql(funnelQuery("'*'", where)).first());
    }

    private static List<Manifest.FunnelCut> recomputedByMonth() {
        List<Manifest.FunnelCut> cuts = new ArrayList<>();
        for (Row r : SampleQueries.spark().sql(funnelQuery("month", "true") + " GROUP BY month ORDER BY month")
                .collectAsList()) {
            cuts.add(cut("cohort_month", r.getString(0), r));
        }
        return cuts;
    }

    /** entered(k) = reached k or later; skipped(k) = reached k or later without evidence of k. */
    private static String funnelQuery(String key, String where) {
        StringBuilder sql = new StringBuilder("SELECT ").append(key).append(", count(*)");
        for (int k = 0; k < STAGES.length; k++) {
            sql.append(", count_if(reached >= ").append(k).append(")");
            sql.append(", count_if(reached >= ").append(k).append(" AND NOT e").append(k).append(")");
        }
        return sql.append(" FROM f_evidence WHERE ").append(where).toString();
    }

    private static Manifest.FunnelCut cut(String dimension, String value, Row r) {
        List<Manifest.FunnelStage> stages = new ArrayList<>();
        for (int k = 0; k < STAGES.length; k++) {
            stages.add(new Manifest.FunnelStage(STAGES[k], r.getLong(2 + 2 * k), r.getLong(3 + 2 * k)));
        }
        return new Manifest.FunnelCut(dimension, value, r.getLong(1), stages);
    }
}
