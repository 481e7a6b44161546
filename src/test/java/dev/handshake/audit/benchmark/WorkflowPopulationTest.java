package dev.handshake.audit.benchmark;

import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
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
                        List.of("demo_request"), List.of(), List.of(), List.of()), Population.NONE),
                new Workflow("partner", "", new Population(List.of("partner"), List.of(), List.of(), List.of(),
                        List.of(), List.of()), Population.NONE),
                new Workflow("inbound", "", Population.NONE,
                        new Population(List.of(), List.of("outbound"), List.of(), List.of(), List.of(), List.of())),
                new Workflow("typo", "", new Population(List.of("paid_serch"), List.of(), List.of(), List.of("smb"),
                        List.of(), List.of()), Population.NONE));
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

        Row probe = WorkflowPopulation.valueProbe(tagged.journey().leads(), workflows, WorkflowBasis.LEADS).first();
        assertEquals(List.of("workflow typo: include.channels value 'paid_serch' matches no lead in the cohort"),
                WorkflowPopulation.unmatched(probe, workflows, WorkflowBasis.LEADS));

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
        assertTrue(WorkflowPopulation.valueProbe(tagged.journey().leads(), workflows, WorkflowBasis.LEADS)
                .collectAsList().isEmpty());
        assertEquals(List.of(), WorkflowPopulation.unmatched(null, workflows, WorkflowBasis.LEADS));
    }

    @Test
    void aTouchTypeFilterWithoutTouchesIsReportedAndMatchesNobody() {
        Fixture f = new Fixture().row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T08:00:00Z");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        List<Workflow> workflows = List.of(new Workflow("demo", "", new Population(List.of(), List.of(),
                List.of("demo_request"), List.of(), List.of(), List.of()), Population.NONE));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(LeadJourney.build(inputs, none, none, WINDOW), inputs,
                workflows, WINDOW);
        assertEquals(1, tagged.skipped().size());
        assertTrue(tagged.skipped().get(0).reason().contains("campaign_touches table absent"));
        assertEquals(List.of(), tagged.journey().leads().select(WorkflowPopulation.WORKFLOWS).first().getList(0));
    }

    private static Population owners(String... owners) {
        return new Population(List.of(), List.of(), List.of(), List.of(), List.of(owners), List.of());
    }

    /**
     * Lead basis: L1 is owned by U7, L2 by U9. {@code mine} (owners [u7]) is L1; {@code renewals}
     * (opportunity_types [renewal]) cannot be read on a lead: no lead, and a skipped figure naming
     * the workflow and the key. Its value is not probed (the skip already says it).
     */
    @Test
    void onLeadsOwnersReadTheLeadAndAnOpportunityTypeFilterIsReportedNotEvaluable() {
        Fixture f = new Fixture()
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T08:00:00Z", "owner_id", "U7")
                .row(LEADS, "lead_id", "L2", "created_at", "2026-01-05T08:00:00Z", "owner_id", "U9");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        List<Workflow> workflows = List.of(new Workflow("mine", "", owners("u7"), Population.NONE),
                new Workflow("renewals", "", new Population(List.of(), List.of(), List.of(), List.of(), List.of(),
                        List.of("renewal")), Population.NONE));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(LeadJourney.build(inputs, none, none, WINDOW), inputs,
                workflows, WINDOW);

        Map<String, List<String>> byLead = new TreeMap<>();
        for (Row r : tagged.journey().leads().select("lead_id", WorkflowPopulation.WORKFLOWS).collectAsList()) {
            byLead.put(r.getString(0), r.getList(1));
        }
        assertEquals(Map.of("L1", List.of("mine"), "L2", List.of()), byLead);
        assertEquals(1, tagged.skipped().size());
        assertEquals("workflow renewals", tagged.skipped().get(0).figure());
        assertTrue(tagged.skipped().get(0).reason().startsWith("its include.opportunity_types filter cannot be"
                + " evaluated on a lead"), tagged.skipped().get(0).reason());
        Row probe = WorkflowPopulation.valueProbe(tagged.journey().leads(), workflows, WorkflowBasis.LEADS).first();
        assertEquals(1, probe.size());
        assertEquals(List.of(), WorkflowPopulation.unmatched(probe, workflows, WorkflowBasis.LEADS));
    }

    /**
     * Opportunity basis (an empty leads table):
     * <pre>
     * opp  owner  type          source   segment   workflows
     * O1   U7     New Business  Web      ENT       mine, new_biz, web_ent
     * O2   u7     Renewal       Partner  null      mine
     * O3   U9     null          web      ent       (web_ent excludes U9)
     * </pre>
     * {@code paid} (include channels) and {@code untouched} (exclude touch_types) cannot be read
     * on an opportunity: no records, one skipped figure each naming its key. {@code typo}
     * (owners [u8]) matches nothing and is the one unmatched value.
     */
    @Test
    void onOpportunitiesEachWorkflowReadsTheOpportunitysOwnFields() {
        Fixture f = new Fixture().empty(LEADS)
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-01-05T08:00:00Z", "owner_id", "U7",
                        "opportunity_type", "New Business", "lead_source", "Web", "segment", "ENT")
                .row(OPPORTUNITIES, "opportunity_id", "O2", "created_at", "2026-01-06T08:00:00Z", "owner_id", "u7",
                        "opportunity_type", "Renewal", "lead_source", "Partner")
                .row(OPPORTUNITIES, "opportunity_id", "O3", "created_at", "2026-01-07T08:00:00Z", "owner_id", "U9",
                        "lead_source", "web", "segment", "ent");
        var inputs = f.inputs(SharedSpark.get());
        LabelMapping none = new LabelMapping(Map.of());
        List<Workflow> workflows = List.of(
                new Workflow("mine", "", owners("u7"), Population.NONE),
                new Workflow("new_biz", "", new Population(List.of(), List.of(), List.of(), List.of(), List.of(),
                        List.of("new business")), Population.NONE),
                new Workflow("web_ent", "", new Population(List.of(), List.of("web"), List.of(), List.of("ent"),
                        List.of(), List.of()), owners("u9")),
                new Workflow("paid", "", new Population(List.of("paid_search"), List.of(), List.of(), List.of(),
                        List.of(), List.of()), Population.NONE),
                new Workflow("untouched", "", Population.NONE, new Population(List.of(), List.of(),
                        List.of("demo_request"), List.of(), List.of(), List.of())),
                new Workflow("typo", "", owners("u8"), Population.NONE));
        WorkflowPopulation.Tagged leads = WorkflowPopulation.tag(LeadJourney.build(inputs, none, none, WINDOW), inputs,
                workflows, WINDOW);
        var scope = dev.handshake.audit.OpportunityScope.build(inputs, leads.journey(), WINDOW,
                dev.handshake.audit.Fx.of(inputs, "USD", WINDOW));
        WorkflowPopulation.TaggedScope tagged = WorkflowPopulation.tagOpportunities(scope, workflows);

        Map<String, List<String>> byOpp = new TreeMap<>();
        for (Row r : tagged.scope().select(dev.handshake.audit.OpportunityScope.ID,
                dev.handshake.audit.OpportunityScope.WORKFLOWS).collectAsList()) {
            byOpp.put(r.getString(0), r.getList(1));
        }
        assertEquals(Map.of("O1", List.of("mine", "new_biz", "web_ent"), "O2", List.of("mine"), "O3", List.of()),
                byOpp);
        assertEquals(List.of("workflow paid", "workflow untouched"),
                tagged.skipped().stream().map(dev.handshake.audit.SkippedFigure::figure).toList());
        assertTrue(tagged.skipped().get(0).reason().startsWith("its include.channels filter cannot be evaluated on an"
                + " opportunity (the night has no cohort lead"), tagged.skipped().get(0).reason());
        assertTrue(tagged.skipped().get(1).reason().startsWith("its exclude.touch_types filter"),
                tagged.skipped().get(1).reason());
        assertTrue(tagged.skipped().get(1).reason().endsWith("Fix: filter it on lead_sources, segments, owners,"
                + " opportunity_types, or provide the leads"), tagged.skipped().get(1).reason());

        Row probe = WorkflowPopulation.valueProbe(tagged.scope(), workflows, WorkflowBasis.OPPORTUNITIES).first();
        assertEquals(List.of("workflow typo: include.owners value 'u8' matches no opportunity in scope"),
                WorkflowPopulation.unmatched(probe, workflows, WorkflowBasis.OPPORTUNITIES));
    }
}
