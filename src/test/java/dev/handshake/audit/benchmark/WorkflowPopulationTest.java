package dev.handshake.audit.benchmark;

import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.funnel.FunnelAudit;
import dev.handshake.config.LabelMapping;
import dev.handshake.config.Workflow;
import dev.handshake.config.Workflow.Population;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * <pre>
 * lead  campaign (channel)   source        segment  touches (time: type)              workflows
 * L1    C1 paid_search       Paid Search   SMB      09:00 demo_request, 10:00 form_fill paid_demo, inbound
 * L2    C1 paid_search       Paid Search   MM       09:00 form_fill, 10:00 demo_request inbound (first touch is a form)
 * L3    C2 partner           Partner       ENT      none                                 partner, inbound
 * L4    none                 Outbound      SMB      none                                 (excluded from inbound)
 * L5    none                 null          null     none                                 inbound (nothing to exclude on)
 * L6    C3 paid_social       paid social   SMB      touch after as_of: demo_request     inbound (touch not yet happened)
 * </pre>
 */
class WorkflowPopulationTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);

    @Test
    void leadsJoinEveryWorkflowWhoseFiltersTheyMatch() {
        Fixture f = new Fixture()
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(CAMPAIGNS, "campaign_id", "C2", "channel", "Partner")
                .row(CAMPAIGNS, "campaign_id", "C3", "channel", "paid_social")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T08:00:00Z", "campaign_id", "C1",
                        "lead_source", "Paid Search", "segment", "SMB")
                .row(LEADS, "lead_id", "L2", "created_at", "2026-01-05T08:00:00Z", "campaign_id", "C1",
                        "lead_source", "Paid Search", "segment", "MM")
                .row(LEADS, "lead_id", "L3", "created_at", "2026-01-05T08:00:00Z", "campaign_id", "C2",
                        "lead_source", "Partner", "segment", "ENT")
                .row(LEADS, "lead_id", "L4", "created_at", "2026-01-05T08:00:00Z", "lead_source", "Outbound",
                        "segment", "SMB")
                .row(LEADS, "lead_id", "L5", "created_at", "2026-01-05T08:00:00Z")
                .row(LEADS, "lead_id", "L6", "created_at", "2026-01-05T08:00:00Z", "campaign_id", "C3",
                        "lead_source", "paid  social", "segment", "SMB")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T1", "campaign_id", "C1", "lead_id", "L1",
                        "touched_at", "2026-01-05T09:00:00Z", "touch_type", "demo_request")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T2", "campaign_id", "C1", "lead_id", "L1",
                        "touched_at", "2026-01-05T10:00:00Z", "touch_type", "form_fill")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T3", "campaign_id", "C1", "lead_id", "L2",
                        "touched_at", "2026-01-05T09:00:00Z", "touch_type", "form_fill")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T4", "campaign_id", "C1", "lead_id", "L2",
                        "touched_at", "2026-01-05T10:00:00Z", "touch_type", "demo_request")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T5", "campaign_id", "C3", "lead_id", "L6",
                        "touched_at", "2026-04-01T00:00:00Z", "touch_type", "demo_request");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        LeadJourney journey = LeadJourney.build(inputs, none, none, WINDOW);
        List<Workflow> workflows = List.of(
                new Workflow("paid_demo", "", new Population(List.of("paid_search", "paid_social"), List.of(),
                        List.of("demo_request"), List.of()), Population.NONE),
                new Workflow("partner", "", new Population(List.of("partner"), List.of(), List.of(), List.of()),
                        Population.NONE),
                new Workflow("inbound", "", Population.NONE,
                        new Population(List.of(), List.of("outbound"), List.of(), List.of())),
                new Workflow("typo", "", new Population(List.of("paid_serch"), List.of(), List.of(), List.of("smb")),
                        Population.NONE));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(journey, inputs, workflows, WINDOW);

        Map<String, List<String>> byLead = new TreeMap<>();
        for (Row r : tagged.journey().leads().select("lead_id", WorkflowPopulation.WORKFLOWS).collectAsList()) {
            byLead.put(r.getString(0), r.getList(1));
        }
        assertEquals(List.of("paid_demo", "inbound"), byLead.get("L1"));
        assertEquals(List.of("inbound"), byLead.get("L2"));
        assertEquals(List.of("partner", "inbound"), byLead.get("L3"));
        assertEquals(List.of(), byLead.get("L4"));
        assertEquals(List.of("inbound"), byLead.get("L5"));
        assertEquals(List.of("inbound"), byLead.get("L6"));
        assertTrue(tagged.skipped().isEmpty());

        Row probe = WorkflowPopulation.valueProbe(tagged.journey().leads(), workflows).first();
        assertEquals(List.of("workflow typo: include.channels value 'paid_serch' matches no lead in the cohort"),
                WorkflowPopulation.unmatched(probe, workflows));

        // The funnel has one cut per workflow: inbound counts L1, L2, L3, L5, L6 captured.
        Row inbound = FunnelAudit.run(tagged.journey())
                .filter(functions.col("cut_dimension").equalTo("workflow").and(functions.col("cut_value")
                        .equalTo("inbound")).and(functions.col("cohort_month").equalTo("*"))
                        .and(functions.col("stage").equalTo("CAPTURED")))
                .select("entered").first();
        assertEquals(5L, inbound.getLong(0));
    }

    @Test
    void aWorkflowOfAllLeadsHasNoValueToProbe() {
        Fixture f = new Fixture().row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T08:00:00Z");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        List<Workflow> workflows = List.of(new Workflow("everyone", "", Population.NONE, Population.NONE));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(LeadJourney.build(inputs, none, none, WINDOW), inputs,
                workflows, WINDOW);
        assertEquals(List.of("everyone"), tagged.journey().leads().select(WorkflowPopulation.WORKFLOWS).first().getList(0));
        assertTrue(WorkflowPopulation.valueProbe(tagged.journey().leads(), workflows).collectAsList().isEmpty());
        assertEquals(List.of(), WorkflowPopulation.unmatched(null, workflows));
    }

    @Test
    void aTouchTypeFilterWithoutTouchesIsReportedAndMatchesNobody() {
        Fixture f = new Fixture().row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T08:00:00Z");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        List<Workflow> workflows = List.of(new Workflow("demo", "", new Population(List.of(), List.of(),
                List.of("demo_request"), List.of()), Population.NONE));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(LeadJourney.build(inputs, none, none, WINDOW), inputs,
                workflows, WINDOW);
        assertEquals(1, tagged.skipped().size());
        assertTrue(tagged.skipped().get(0).reason().contains("campaign_touches table absent"));
        assertEquals(List.of(), tagged.journey().leads().select(WorkflowPopulation.WORKFLOWS).first().getList(0));
    }
}
