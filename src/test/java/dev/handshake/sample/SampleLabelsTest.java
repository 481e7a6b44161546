package dev.handshake.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generator's raw labels against conf/local.yaml: mapped ones are mapped there, planted ones nowhere. */
class SampleLabelsTest {
    private final JsonNode conf = SampleQueries.config();

    @Test
    void leadStatusesMapToTheStagesTheGeneratorAssumes() {
        JsonNode statuses = conf.path("stage_mapping").path("lead_status");
        assertMapped(statuses, "CAPTURED", Labels.STATUS_CAPTURED);
        assertMapped(statuses, "MQL", Labels.STATUS_MQL);
        assertMapped(statuses, "ASSIGNED", Labels.STATUS_ASSIGNED);
        assertMapped(statuses, "WORKED", Labels.STATUS_WORKED);
        assertMapped(statuses, "SAL", Labels.STATUS_SAL);
        assertMapped(statuses, "OPPORTUNITY", Labels.STATUS_CONVERTED);
        assertMapped(statuses, "NONE", Labels.STATUS_REJECTED);
        assertMapped(statuses, "NONE", Labels.STATUS_NURTURE, "Recycled");
        assertUnmapped(statuses, Labels.UNMAPPED_STATUS);
    }

    @Test
    void opportunityStagesAreTheConfiguredPipelineInOrder() {
        JsonNode stages = conf.path("stage_mapping").path("opportunity_stage");
        assertEquals(normalizedAll(Labels.OPEN_STAGES), SampleQueries.labels(stages, "OPPORTUNITY"));
        assertMapped(stages, "WON", Labels.STAGE_WON);
        assertMapped(stages, "NONE", Labels.STAGE_LOST);
        assertUnmapped(stages, Labels.UNMAPPED_STAGE);
    }

    @Test
    void rolesAndReasonsAreMappedExceptThePlantedOnes() {
        JsonNode roles = conf.path("role_mapping");
        assertMapped(roles, "SDR", Labels.ROLE_SDR);
        assertMapped(roles, "AE", Labels.ROLE_AE);
        assertMapped(roles, "MANAGER", Labels.ROLE_MANAGER);
        assertMapped(roles, "REVOPS", Labels.ROLE_REVOPS);
        assertMapped(roles, "FINANCE", Labels.ROLE_FINANCE);
        assertMapped(roles, "MARKETING", Labels.ROLE_MARKETING);
        assertMapped(roles, "SYSTEM", Labels.ROLE_SYSTEM);
        assertUnmapped(roles, Labels.UNMAPPED_ROLE);
        JsonNode reasons = conf.path("reason_categories");
        assertMapped(reasons, "qualification", Labels.REASON_QUALIFICATION);
        assertMapped(reasons, "timing", Labels.REASON_TIMING);
        assertMapped(reasons, "information", Labels.REASON_INFORMATION);
        assertMapped(reasons, "commercial", Labels.REASON_COMMERCIAL);
        assertUnmapped(reasons, Labels.UNMAPPED_REASON);
    }

    @Test
    void sloppyLabelsStillNormaliseToTheMappedLabel() {
        // Labels.sloppy writes UPPER or "  lower  with  doubled  spaces "; both normalise back.
        assertEquals("working - contacted", SampleQueries.normalized("  working  -  contacted "));
        assertEquals("working - contacted", SampleQueries.normalized("WORKING - CONTACTED"));
    }

    private static void assertMapped(JsonNode section, String key, String... labels) {
        List<String> mapped = SampleQueries.labels(section, key);
        for (String label : labels) {
            assertTrue(mapped.contains(SampleQueries.normalized(label)), label + " not under " + key);
        }
    }

    private static void assertUnmapped(JsonNode section, String label) {
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) section::fields) {
            assertFalse(SampleQueries.labels(section, e.getKey()).contains(SampleQueries.normalized(label)),
                    label + " is mapped under " + e.getKey());
        }
    }

    private static List<String> normalizedAll(String[] labels) {
        List<String> out = new ArrayList<>();
        for (String l : labels) {
            out.add(SampleQueries.normalized(l));
        }
        return out;
    }
}
