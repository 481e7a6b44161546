package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.LEAD_STATUS_HISTORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.config.LabelMapping;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.Stage;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.time.LocalDate;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class LeadJourneyTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);

    @Test
    void aStatusLabelMappedToNoStageByAsOfIsFlaggedOnTheLead() {
        Fixture f = new Fixture()
                // L1: mapped labels only, so no flag.
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L1", "status", "Working", "changed_at", "2026-01-06T09:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L1", "status", "Unqualified", "changed_at", "2026-01-07T09:00:00Z")
                // L2: an unknown label before as_of beside a mapped one: flagged, and the mapped one
                // still dates WORKED.
                .row(LEADS, "lead_id", "L2", "created_at", "2026-01-05T10:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L2", "status", "Hot Lead!!", "changed_at", "2026-01-06T09:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L2", "status", "working", "changed_at", "2026-01-08T09:00:00Z")
                // L3: the unknown label comes after the end of as_of: not yet happened, no flag.
                .row(LEADS, "lead_id", "L3", "created_at", "2026-01-05T10:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L3", "status", "Hot Lead!!", "changed_at", "2026-04-01T00:00:00Z")
                // L4: no history at all.
                .row(LEADS, "lead_id", "L4", "created_at", "2026-01-05T10:00:00Z")
                // L5: only an unknown label, exactly at the last instant of as_of: flagged.
                .row(LEADS, "lead_id", "L5", "created_at", "2026-01-05T10:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L5", "status", "Hot Lead!!", "changed_at", "2026-03-31T23:59:59Z");
        LabelMapping stages = new LabelMapping(Map.of("working", "WORKED", "unqualified", "NONE"));
        LeadJourney journey = LeadJourney.build(f.inputs(SharedSpark.get()), stages, new LabelMapping(Map.of()), WINDOW);
        Map<String, Row> byLead = journey.leads().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("lead_id"), r -> r));
        Map<String, Boolean> flagged = byLead.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().<Boolean>getAs(LeadJourney.UNMAPPED_HISTORY)));
        assertEquals(Map.of("L1", false, "L2", true, "L3", false, "L4", false, "L5", true), flagged);
        assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-08T09:00:00Z")),
                byLead.get("L2").getAs(LeadJourney.evidence(Stage.WORKED)));
    }

    @Test
    void firstTouchTypeIsTheEarliestTouchByAsOfTiesByTouchIdAndOnlyWhenAskedFor() {
        Fixture f = new Fixture()
                // L1: the webinar comes first, a later demo request does not count.
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T2", "campaign_id", "C1", "lead_id", "L1",
                        "touched_at", "2026-01-06T09:00:00Z", "touch_type", "webinar")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T1", "campaign_id", "C1", "lead_id", "L1",
                        "touched_at", "2026-01-07T09:00:00Z", "touch_type", "demo_request")
                // L2: two touches at the same instant: the smaller touch id (T3) decides.
                .row(LEADS, "lead_id", "L2", "created_at", "2026-01-05T10:00:00Z")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T4", "campaign_id", "C1", "lead_id", "L2",
                        "touched_at", "2026-01-06T09:00:00Z", "touch_type", "webinar")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T3", "campaign_id", "C1", "lead_id", "L2",
                        "touched_at", "2026-01-06T09:00:00Z", "touch_type", "demo_request")
                // L3: its only touch is after the end of as_of: none yet.
                .row(LEADS, "lead_id", "L3", "created_at", "2026-01-05T10:00:00Z")
                .row(CAMPAIGN_TOUCHES, "touch_id", "T5", "campaign_id", "C1", "lead_id", "L3",
                        "touched_at", "2026-04-01T00:00:00Z", "touch_type", "webinar")
                // L4: no touch.
                .row(LEADS, "lead_id", "L4", "created_at", "2026-01-05T10:00:00Z");
        LabelMapping none = new LabelMapping(Map.of());
        LeadJourney journey = LeadJourney.build(f.inputs(SharedSpark.get()), none, none, WINDOW, true);
        Map<String, String> first = new java.util.TreeMap<>();
        journey.leads().collectAsList().forEach(r -> first.put(r.getAs("lead_id"), r.getAs(LeadJourney.FIRST_TOUCH_TYPE)));
        Map<String, String> expected = new java.util.TreeMap<>();
        expected.put("L1", "webinar");
        expected.put("L2", "demo_request");
        expected.put("L3", null);
        expected.put("L4", null);
        assertEquals(expected, first);
        assertEquals(false, java.util.Arrays.asList(LeadJourney.build(f.inputs(SharedSpark.get()), none, none, WINDOW)
                .leads().columns()).contains(LeadJourney.FIRST_TOUCH_TYPE));
    }
}
