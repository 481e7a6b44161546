package dev.handshake.audit.funnel;

import static dev.handshake.model.CanonicalTable.ACTIVITIES;
import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.LEAD_STATUS_HISTORY;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.LeadJourney;
import dev.handshake.config.LabelMapping;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dozen leads worked out on paper. as_of = 2026-03-31, lookback 365 days, so the cohort window
 * is [2025-03-31T00:00Z, 2026-04-01T00:00Z).
 *
 * <pre>
 * lead seg  source      chan         evidence (by as_of)                                  reached skips
 * L1   SMB  Paid Search paid_search  all stages, O1 won 02-15, booked 02-20                BOOKED  -
 * L2   SMB  Paid Search paid_search  mql..converted, O2 lost                               OPP     -
 * L3   MM   Webinar     events       mql, assigned, WORKED only from an SDR activity       WORKED  -
 * L4   MM   Webinar     events       mql, no assigned_at, first touch                      WORKED  ASSIGNED
 * L5   ENT  Partner     (none)       mql                                                   MQL     -
 * L6   ENT  Partner     (none)       MQL only from status history                          MQL     -
 * L7   SMB  Paid Search paid_search  mql, assigned; first touch 04-02 is after as_of;
 *                                    its only activity is by a marketing user              ASSIGNED -
 * L8   SMB  Outbound    (none)       created 2026-03-31T23:59:59 (last second of window)   CAPTURED -
 * L9   created 2026-04-01T00:00 (after as_of): not in cohort
 * L10  created 2025-03-30T23:00 (before window): not in cohort
 * L11  SMB  Paid Search paid_search  created 2025-03-31T00:00 (first instant), mql, accepted SAL ASSIGNED, WORKED
 * L12  deleted: not in cohort
 * L13  MM   Webinar     events       mql..accepted, O3 created 02-20 (no converted_at),
 *                                    O3 won with close_date 04-05 (after as_of)            OPP     -
 * L14  ENT  Partner     (none)       only history "Converted" 03-20 (+ "Working" 04-03,
 *                                    after as_of)                                          OPP     MQL, ASSIGNED, WORKED, SAL
 * L15  SMB  Paid Search paid_search  mql..converted, O4 won 03-25; booking 04-02 is after
 *                                    as_of and a -50 credit does not count                 WON     -
 *
 * reached order: L1 8, L2 6, L3 4, L4 4, L5 2, L6 2, L7 3, L8 1, L11 5, L13 6, L14 6, L15 7
 * all/*: entered 12, 11, 9, 8, 6, 5, 2, 1; dropped 1, 2, 1, 2, 1, 3, 1
 *        skipped 0, 1 (L14), 3 (L4, L11, L14), 2 (L11, L14), 1 (L14), 0, 0, 0
 *        biggest drop OPPORTUNITY (3); weakest OPPORTUNITY (2/5 = 0.4)
 * </pre>
 */
class FunnelAuditTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);
    private static Map<String, Row> rows;
    private static long rowCount;

    @BeforeAll
    static void runAudit() {
        Fixture f = new Fixture()
                .row(USERS, "user_id", "U_SDR", "role", "SDR")
                .row(USERS, "user_id", "U_AE", "role", "account executive")
                .row(USERS, "user_id", "U_MKT", "role", "Marketing")
                .row(CAMPAIGNS, "campaign_id", "C1", "channel", "paid_search")
                .row(CAMPAIGNS, "campaign_id", "C2", "channel", "events")
                .row(LEADS, "lead_id", "L1", "created_at", "2026-01-05T10:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "campaign_id", "C1", "mql_at", "2026-01-05T12:00:00Z",
                        "assigned_at", "2026-01-05T13:00:00Z", "first_touch_at", "2026-01-05T15:00:00Z",
                        "accepted_at", "2026-01-07T09:00:00Z", "converted_at", "2026-01-10T09:00:00Z",
                        "converted_opportunity_id", "O1")
                .row(LEADS, "lead_id", "L2", "created_at", "2026-01-10T10:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "campaign_id", "C1", "mql_at", "2026-01-10T11:00:00Z",
                        "assigned_at", "2026-01-10T12:00:00Z", "first_touch_at", "2026-01-10T13:00:00Z",
                        "accepted_at", "2026-01-11T09:00:00Z", "converted_at", "2026-01-12T09:00:00Z",
                        "converted_opportunity_id", "O2")
                .row(LEADS, "lead_id", "L3", "created_at", "2026-01-15T10:00:00Z", "segment", "MM",
                        "lead_source", "Webinar", "campaign_id", "C2", "mql_at", "2026-01-15T11:00:00Z",
                        "assigned_at", "2026-01-16T09:00:00Z")
                .row(ACTIVITIES, "activity_id", "A1", "lead_id", "L3", "owner_id", "U_SDR",
                        "activity_at", "2026-01-17T09:00:00Z", "activity_type", "call")
                .row(LEADS, "lead_id", "L4", "created_at", "2026-02-01T10:00:00Z", "segment", "MM",
                        "lead_source", "Webinar", "campaign_id", "C2", "mql_at", "2026-02-01T11:00:00Z",
                        "first_touch_at", "2026-02-02T09:00:00Z")
                .row(LEADS, "lead_id", "L5", "created_at", "2026-02-03T10:00:00Z", "segment", "ENT",
                        "lead_source", "Partner", "mql_at", "2026-02-03T11:00:00Z")
                .row(LEADS, "lead_id", "L6", "created_at", "2026-02-10T10:00:00Z", "segment", "ENT",
                        "lead_source", "Partner")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L6", "status", " marketing  QUALIFIED ",
                        "changed_at", "2026-02-11T09:00:00Z")
                .row(LEADS, "lead_id", "L7", "created_at", "2026-03-01T10:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "campaign_id", "C1", "mql_at", "2026-03-01T11:00:00Z",
                        "assigned_at", "2026-03-01T12:00:00Z", "first_touch_at", "2026-04-02T09:00:00Z")
                .row(ACTIVITIES, "activity_id", "A2", "lead_id", "L7", "owner_id", "U_MKT",
                        "activity_at", "2026-03-05T09:00:00Z", "activity_type", "email")
                .row(LEADS, "lead_id", "L8", "created_at", "2026-03-31T23:59:59Z", "segment", "SMB",
                        "lead_source", "Outbound")
                .row(LEADS, "lead_id", "L9", "created_at", "2026-04-01T00:00:00Z", "segment", "SMB",
                        "lead_source", "Outbound", "mql_at", "2026-04-01T01:00:00Z")
                .row(LEADS, "lead_id", "L10", "created_at", "2025-03-30T23:00:00Z", "segment", "SMB",
                        "lead_source", "Outbound", "mql_at", "2025-03-31T01:00:00Z")
                .row(LEADS, "lead_id", "L11", "created_at", "2025-03-31T00:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "campaign_id", "C1", "mql_at", "2025-04-01T09:00:00Z",
                        "accepted_at", "2025-04-10T09:00:00Z")
                .row(LEADS, "lead_id", "L12", "created_at", "2026-01-20T10:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "mql_at", "2026-01-20T11:00:00Z", "is_deleted", true)
                .row(LEADS, "lead_id", "L13", "created_at", "2026-02-15T10:00:00Z", "segment", "MM",
                        "lead_source", "Webinar", "campaign_id", "C2", "mql_at", "2026-02-15T11:00:00Z",
                        "assigned_at", "2026-02-15T12:00:00Z", "first_touch_at", "2026-02-16T09:00:00Z",
                        "accepted_at", "2026-02-18T09:00:00Z", "converted_opportunity_id", "O3")
                .row(LEADS, "lead_id", "L14", "created_at", "2026-03-10T10:00:00Z", "segment", "ENT",
                        "lead_source", "Partner")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L14", "status", "Converted",
                        "changed_at", "2026-03-20T09:00:00Z")
                .row(LEAD_STATUS_HISTORY, "lead_id", "L14", "status", "Working",
                        "changed_at", "2026-04-03T09:00:00Z")
                .row(LEADS, "lead_id", "L15", "created_at", "2026-03-12T10:00:00Z", "segment", "SMB",
                        "lead_source", "Paid Search", "campaign_id", "C1", "mql_at", "2026-03-12T10:30:00Z",
                        "assigned_at", "2026-03-12T11:00:00Z", "first_touch_at", "2026-03-12T12:00:00Z",
                        "accepted_at", "2026-03-13T09:00:00Z", "converted_at", "2026-03-14T09:00:00Z",
                        "converted_opportunity_id", "O4")
                .row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-01-10T09:00:00Z",
                        "is_won", true, "is_closed", true, "close_date", "2026-02-15", "amount", "1000.00")
                .row(OPPORTUNITIES, "opportunity_id", "O2", "created_at", "2026-01-12T09:00:00Z",
                        "is_won", false, "is_closed", true, "close_date", "2026-02-01", "amount", "500.00")
                .row(OPPORTUNITIES, "opportunity_id", "O3", "created_at", "2026-02-20T09:00:00Z",
                        "is_won", true, "is_closed", true, "close_date", "2026-04-05", "amount", "700.00")
                .row(OPPORTUNITIES, "opportunity_id", "O4", "created_at", "2026-03-14T09:00:00Z",
                        "is_won", true, "is_closed", true, "close_date", "2026-03-25", "amount", "900.00")
                .row(BOOKINGS, "booking_id", "B1", "opportunity_id", "O1", "booking_date", "2026-02-20",
                        "amount", "1000.00")
                .row(BOOKINGS, "booking_id", "B4", "opportunity_id", "O4", "booking_date", "2026-04-02",
                        "amount", "900.00")
                .row(BOOKINGS, "booking_id", "B5", "opportunity_id", "O4", "booking_date", "2026-03-26",
                        "amount", "-50.00");
        Map<String, String> stages = new HashMap<>();
        stages.put("marketing qualified", "MQL");
        stages.put("working", "WORKED");
        stages.put("converted", "OPPORTUNITY");
        stages.put("unqualified", "NONE");
        Map<String, String> roles = Map.of("sdr", "SDR", "account executive", "AE", "marketing", "MARKETING");
        dev.handshake.source.AuditInputs in = f.inputs(SharedSpark.get());
        LeadJourney built = LeadJourney.build(in, new LabelMapping(stages), new LabelMapping(roles), WINDOW);
        // BOOKED comes from the reconciliation's matching of bookings to wins, as in the job.
        dev.handshake.audit.Fx fx = dev.handshake.audit.Fx.of(in, "USD", WINDOW);
        LeadJourney journey = built.withFinanceArrival(dev.handshake.audit.BookingMatch.of(
                dev.handshake.audit.OpportunityScope.build(in, built, WINDOW, fx), in.table(BOOKINGS), fx,
                dev.handshake.config.ConfigLoader.load(java.nio.file.Path.of("conf/local.yaml")).reconciliation(),
                WINDOW, dev.handshake.audit.Materializer.none()).firstBooked());
        List<Row> out = FunnelAudit.run(journey).collectAsList();
        rowCount = out.size();
        rows = new HashMap<>();
        for (Row r : out) {
            rows.put(r.getAs(FunnelTable.CUT_DIMENSION) + "/" + r.getAs(FunnelTable.CUT_VALUE) + "/"
                    + r.getAs(FunnelTable.COHORT_MONTH) + "/" + r.getAs(FunnelTable.STAGE), r);
        }
    }

    private static final String[] STAGES =
            {"CAPTURED", "MQL", "ASSIGNED", "WORKED", "SAL", "OPPORTUNITY", "WON", "BOOKED"};

    /** Asserts entered, converted, dropped, skipped and the two flags of every stage of one funnel. */
    private static void assertFunnel(String funnel, long[] entered, long[] skipped,
                                     String biggestDrop, String weakest) {
        for (int k = 0; k < STAGES.length; k++) {
            Row r = rows.get(funnel + "/" + STAGES[k]);
            String at = funnel + " " + STAGES[k];
            assertEquals(entered[k], (long) r.getAs(FunnelTable.ENTERED), at + " entered");
            assertEquals(skipped[k], (long) r.getAs(FunnelTable.SKIPPED), at + " skipped");
            assertEquals(k + 1, (int) r.getAs(FunnelTable.STAGE_ORDER), at + " order");
            if (k == STAGES.length - 1) {
                assertNull(r.getAs(FunnelTable.CONVERTED), at + " converted");
                assertNull(r.getAs(FunnelTable.DROPPED), at + " dropped");
                assertNull(r.getAs(FunnelTable.CONVERSION_RATE), at + " rate");
            } else {
                assertEquals(entered[k + 1], (long) r.getAs(FunnelTable.CONVERTED), at + " converted");
                assertEquals(entered[k] - entered[k + 1], (long) r.getAs(FunnelTable.DROPPED), at + " dropped");
                if (entered[k] == 0) {
                    assertNull(r.getAs(FunnelTable.CONVERSION_RATE), at + " rate");
                } else {
                    assertEquals((double) entered[k + 1] / entered[k],
                            (double) r.getAs(FunnelTable.CONVERSION_RATE), 1e-12, at + " rate");
                }
            }
            assertEquals(STAGES[k].equals(biggestDrop), r.getAs(FunnelTable.IS_BIGGEST_DROP), at + " biggest drop");
            assertEquals(STAGES[k].equals(weakest), r.getAs(FunnelTable.IS_WEAKEST_STAGE), at + " weakest");
        }
    }

    @Test
    void allCohortCountsEveryStageWithSkipsAndIgnoresEventsAfterAsOf() {
        assertFunnel("all/*/*", new long[] {12, 11, 9, 8, 6, 5, 2, 1},
                new long[] {0, 1, 3, 2, 1, 0, 0, 0}, "OPPORTUNITY", "OPPORTUNITY");
    }

    @Test
    void segmentSmbBreaksTheDropTieTowardTheEarlierStage() {
        // SMB: L1 8, L2 6, L7 3, L8 1, L11 5, L15 7 -> entered 6,5,5,4,4,3,2,1;
        // drops 1,0,1,0,1,1,1 (tie -> CAPTURED); conversions 5/6,1,4/5,1,3/4,2/3,1/2 -> WON.
        assertFunnel("segment/SMB/*", new long[] {6, 5, 5, 4, 4, 3, 2, 1},
                new long[] {0, 0, 1, 1, 0, 0, 0, 0}, "CAPTURED", "WON");
    }

    @Test
    void stagesNobodyEnteredHaveNoConversion() {
        // MM: L3 4, L4 4, L13 6 -> entered 3,3,3,3,1,1,0,0; WON has 0 entered, so no rate;
        // drops 0,0,0,2,0,1,0 -> WORKED; conversions 1,1,1,1/3,1,0,- -> OPPORTUNITY.
        assertFunnel("segment/MM/*", new long[] {3, 3, 3, 3, 1, 1, 0, 0},
                new long[] {0, 0, 1, 0, 0, 0, 0, 0}, "WORKED", "OPPORTUNITY");
    }

    @Test
    void cohortMonthsSplitTheCohortIncludingTheFirstInstantOfTheWindow() {
        // 2026-01: L1 8, L2 6, L3 4 (L12 deleted) -> 3,3,3,3,2,2,1,1; drops tie WORKED/OPPORTUNITY.
        assertFunnel("all/*/2026-01", new long[] {3, 3, 3, 3, 2, 2, 1, 1},
                new long[] {0, 0, 0, 0, 0, 0, 0, 0}, "WORKED", "OPPORTUNITY");
        // 2025-03: only L11, created at the window's first instant.
        assertFunnel("all/*/2025-03", new long[] {1, 1, 1, 1, 1, 0, 0, 0},
                new long[] {0, 0, 1, 1, 0, 0, 0, 0}, "SAL", "SAL");
    }

    @Test
    void channelComesFromTheLeadsCampaignAndMissingOnesAreGrouped() {
        // paid_search: L1, L2, L7, L11, L15; (none): L5, L6, L8, L14.
        assertFunnel("channel/paid_search/*", new long[] {5, 5, 5, 4, 4, 3, 2, 1},
                new long[] {0, 0, 1, 1, 0, 0, 0, 0}, "ASSIGNED", "WON");
        assertFunnel("channel/(none)/*", new long[] {4, 3, 1, 1, 1, 1, 0, 0},
                new long[] {0, 1, 1, 1, 1, 0, 0, 0}, "MQL", "OPPORTUNITY");
        assertFunnel("lead_source/Outbound/2026-03", new long[] {1, 0, 0, 0, 0, 0, 0, 0},
                new long[] {0, 0, 0, 0, 0, 0, 0, 0}, "CAPTURED", "CAPTURED");
    }

    @Test
    void everyCutAndMonthHasEightStages() {
        // 37 funnels: all x 5 months, segment 4+3+3, lead_source 4+3+3+2, channel 4+3+3.
        assertEquals(37 * 8, rowCount);
    }
}
