package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.LabelMapping;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * is_won / is_closed from stage_mapping (issue 25, item 4), on a CRM pipeline export whose
 * deal_stage is Won / Lost / Engaging / Prospecting and which has no is_won column.
 *
 * <pre>
 * row  stage_name  is_won  is_closed  mapped to     derived is_won / is_closed
 * O1   Won         -       -          WON           true  / true    (2 facts derived)
 * O2   Lost        -       -          NONE          false / true    (2 derived)
 * O3   Engaging    -       -          OPPORTUNITY   false / false   (2 derived)
 * O4   Won         false   -          WON           false / true    (is_won stated: kept, disagrees; is_closed derived)
 * O5   -           -       -          (no stage)    null  / null
 * O6   Paused      -       -          (unmapped)    null  / null
 * O7   Prospecting true    true       OPPORTUNITY   true  / true    (stated, both disagree)
 * </pre>
 * derived is_won: O1, O2, O3 = 3; derived is_closed: O1-O4 = 4; is_won disagreements O4, O7 = 2;
 * is_closed disagreements O7 = 1; live rows 7; won after deriving O1, O7 = 2.
 */
class DerivedOpportunityFactsTest {
    private static final LabelMapping STAGES = stages();

    private static LabelMapping stages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("prospecting", "OPPORTUNITY");
        m.put("engaging", "OPPORTUNITY");
        m.put("won", "WON");
        m.put("lost", "NONE");
        return new LabelMapping(m);
    }

    private static Dataset<Row> opportunities(Fixture f) {
        return f.dataset(SharedSpark.get(), OPPORTUNITIES);
    }

    private static Fixture export() {
        Fixture f = new Fixture();
        String[][] rows = {
            {"O1", "Won", null, null}, {"O2", "Lost", null, null}, {"O3", "Engaging", null, null},
            {"O4", "Won", "false", null}, {"O5", null, null, null}, {"O6", "Paused", null, null},
            {"O7", "Prospecting", "true", "true"}};
        for (String[] r : rows) {
            f.row(OPPORTUNITIES, "opportunity_id", r[0], "created_at", "2026-01-05T00:00:00Z", "stage_name", r[1],
                    "is_won", r[2], "is_closed", r[3]);
        }
        return f;
    }

    @Test
    void missingFactsAreTakenFromTheStageAndStatedOnesAreKept() {
        Map<String, Row> byId = new HashMap<>();
        for (Row r : DerivedOpportunityFacts.apply(opportunities(export()), STAGES).collectAsList()) {
            byId.put(r.getAs("opportunity_id"), r);
        }
        String[][] expected = {{"O1", "true", "true"}, {"O2", "false", "true"}, {"O3", "false", "false"},
            {"O4", "false", "true"}, {"O5", null, null}, {"O6", null, null}, {"O7", "true", "true"}};
        for (String[] e : expected) {
            Row r = byId.get(e[0]);
            assertEquals(e[1] == null ? null : Boolean.valueOf(e[1]), r.getAs("is_won"), e[0] + " is_won");
            assertEquals(e[2] == null ? null : Boolean.valueOf(e[2]), r.getAs("is_closed"), e[0] + " is_closed");
        }
    }

    @Test
    void derivedFactsAndDisagreementsAreCountedAndReported() {
        DerivedOpportunityFacts.Counts c = DerivedOpportunityFacts.count(opportunities(export()), STAGES);
        assertEquals(new DerivedOpportunityFacts.Counts(3, 4, 2, 1, 7, 2), c);
        assertEquals(2, c.notes().size());
        assertTrue(c.notes().get(1).startsWith("2 opportunity row(s) state is_won and 1 is_closed against"),
                c.notes().get(1));
    }

    @Test
    void noWonDealAnywhereIsSaidNotPassedOverInSilence() {
        // The stage column is mapped but WON lists no label the data uses: nothing is won.
        Fixture f = new Fixture().row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-01-05T00:00:00Z",
                "stage_name", "Closed Won");
        DerivedOpportunityFacts.Counts c = DerivedOpportunityFacts.count(opportunities(f), STAGES);
        assertEquals(new DerivedOpportunityFacts.Counts(0, 0, 0, 0, 1, 0), c);
        assertEquals(1, c.notes().size());
        assertTrue(c.notes().get(0).startsWith("no opportunity is won"), c.notes().get(0));
        assertNull(DerivedOpportunityFacts.apply(opportunities(f), STAGES).first().getAs("is_won"));
    }
}
