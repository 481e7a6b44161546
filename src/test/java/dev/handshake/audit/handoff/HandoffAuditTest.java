package dev.handshake.audit.handoff;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.FX_RATES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.Fx;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.funnel.FunnelAudit;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.source.AuditInputs;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen leads through marketing_to_sales and six opportunities through sales_to_finance,
 * as_of 2026-03-31 (window end 2026-04-01T00:00Z). Every lead is SMB, owned by an SDR, with
 * company, segment and campaign, unless the table says otherwise.
 *
 * <pre>
 * lead  mql (UTC)       first touch       status   other                               won
 * M1    03-01 10:00     +2h               MET      accepted, O1 won 1000 USD             yes
 * M2    03-02 10:00     +10h              MET      accepted, O2 won 3000 USD             yes
 * M3    03-03 10:00     +1h               MET                                            no
 * M4    03-04 10:00     +23h              MET                                            no
 * M5    03-05 10:00     +4h               MET      company missing -> INFORMATION;
 *                                                  O5 won 2000 USD                       yes
 * M6    03-06 10:00     +48h              BREACHED                                       no
 * M7    03-07 10:00     none              NEVER    (SLA 03-08 10:00 has passed)          no
 * M8    03-31 00:00     none              PENDING  (SLA = 04-01 00:00, not yet passed)   no
 * M9    03-30 23:00     03-31 23:30 +24.5h BREACHED (late, inside as_of)                 no
 * M11   03-10 10:00     +1h               MET      rejected " no budget " -> QUALIFICATION no
 * M12   03-12 10:00     +48h              BREACHED campaign missing, rejected "Bad Fit":
 *                                                  all three flags                       no
 * M13   03-13 10:00     +2h               MET      rejected "Other - see notes": UNMAPPED no
 * M14   03-14 10:00     +1h               MET      rejected "No Response" -> TIMING       no
 * M15   03-15 10:00     +1h               MET      rejected with no reason               no
 * M16   03-16 10:00     +1h               MET      owner is a marketing user;
 *                                                  O16 won 500 EUR x 1.10 = 550.00 USD   yes
 * M17   ENT 03-17 10:00 +1h               MET      company missing; O17 won 9000 BRL
 *                                                  (no BRL rate)                         yes
 * M18   no mql: never enters
 * M19   no mql, accepted 03-19: reached MQL through later evidence; enters with no entry instant,
 *       so its SLA is NOT_MEASURABLE (and no failure); clean, not won
 *
 * SMB won amounts: 1000 + 3000 + 2000 + 550 = 6550 over 4 deals (avg 1637.50); ENT: none convertible.
 * SMB clean: M1 M2 M3 M4 M8 M13 M15 M16 M19 = 9, of which won 3.
 *   INFORMATION M5 M12 (won 1):  upper 6550*2/4 = 3275.00; expected 2*(3/9 - 1/2) < 0 -> 0.00
 *   TIMING M6 M7 M9 M12 M14 (0): upper 6550*5/4 = 8187.50; expected 5*(3/9)*1637.5 = 2729.1666.. -> 2729.17
 *   QUALIFICATION M11 M12 (0):   upper 3275.00;              expected 2*(3/9)*1637.5 = 1091.6666.. -> 1091.67
 * ENT INFORMATION M17 (won 1): no average, no clean record -> impacts null, with a note.
 * Map: entered 17; payload complete 14/17 = 82.35; SLA met 11/15 = 73.33 (M8 pending, M19 not
 *   measurable); owner named 16/17 = 94.12; latencies (14) 1,1,1,1,1,1,2,2,4,10,23,24.5,48,48:
 *   median = 2, p90 at rank 11.7 = 24.5 + 0.7 * 23.5 = 40.95; valid reasons 3/5 = 60.00
 *   (M11, M12, M14 of M11..M15); completion (SAL) M1 M2 M5 M16 M17 M19 = 6/17 = 35.29.
 *
 * sales_to_finance (booking within 5 days of close; outcome BOOKED):
 * O1 SMB close 03-10 booked 03-12 MET 48h | O2 SMB close 03-12 booked 03-20 BREACHED, no account_id
 * O5 SMB close 03-15 never booked: NEVER  | O16 SMB close 03-20 booked 03-22 MET
 * O17 ENT close 03-25 booked 03-25 MET 0h | O20 no lead, close 03-28, SLA 04-02: PENDING
 * SMB clean O1 O16 (both booked): INFORMATION O2 (booked): upper 1637.50, expected 0.00;
 *   TIMING O2 O5 (1 booked): upper 3275.00, expected 2*(1 - 1/2)*1637.5 = 1637.50.
 * </pre>
 */
class HandoffAuditTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);
    private static HandoffAudit.Result result;
    private static Map<String, Row> failures;
    private static List<Row> impacts;
    private static List<Row> map;
    private static long funnelMqlEntered;

    @TempDir
    static Path dir;

    /** base name/value pairs, with later pairs of the same name replacing earlier ones. */
    private static Object[] merge(Object[] base, Object... more) {
        Map<String, Object> byName = new java.util.LinkedHashMap<>();
        for (Object[] pairs : new Object[][] {base, more}) {
            for (int i = 0; i < pairs.length; i += 2) {
                byName.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return byName.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                .toArray();
    }

    private static Fixture lead(Fixture f, String id, String mql, String touch, Object... more) {
        return f.row(LEADS, merge(new Object[] {"lead_id", id, "created_at", "2026-03-01T00:00:00Z",
                "segment", "SMB", "company", "Co " + id, "campaign_id", "C1", "owner_id", "U_SDR", "mql_at", mql,
                "first_touch_at", touch}, more));
    }

    private static Fixture won(Fixture f, String opp, String close, String amount, String currency, Object... more) {
        return f.row(OPPORTUNITIES, merge(new Object[] {"opportunity_id", opp, "account_id", "A" + opp,
                "created_at", "2026-03-05T00:00:00Z", "owner_id", "U_AE", "is_won", true, "is_closed", true,
                "close_date", close, "amount", amount, "currency_code", currency}, more));
    }

    @BeforeAll
    static void run() throws Exception {
        Fixture f = new Fixture()
                .row(USERS, "user_id", "U_SDR", "role", "SDR")
                .row(USERS, "user_id", "U_AE", "role", "Account Executive")
                .row(USERS, "user_id", "U_MKT", "role", "Marketing")
                .row(FX_RATES, "currency_code", "EUR", "rate_date", "2026-03-01", "rate_to_reporting", "1.10")
                .row(FX_RATES, "currency_code", "EUR", "rate_date", "2026-03-25", "rate_to_reporting", "1.20")
                .empty(dev.handshake.model.CanonicalTable.CAMPAIGNS);
        lead(f, "M1", "2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z", "accepted_at", "2026-03-02T00:00:00Z",
                "converted_at", "2026-03-05T00:00:00Z", "converted_opportunity_id", "O1");
        lead(f, "M2", "2026-03-02T10:00:00Z", "2026-03-02T20:00:00Z", "accepted_at", "2026-03-03T00:00:00Z",
                "converted_at", "2026-03-05T00:00:00Z", "converted_opportunity_id", "O2");
        lead(f, "M3", "2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z");
        lead(f, "M4", "2026-03-04T10:00:00Z", "2026-03-05T09:00:00Z");
        lead(f, "M5", "2026-03-05T10:00:00Z", "2026-03-05T14:00:00Z", "company", null,
                "accepted_at", "2026-03-06T00:00:00Z", "converted_at", "2026-03-06T00:00:00Z",
                "converted_opportunity_id", "O5");
        lead(f, "M6", "2026-03-06T10:00:00Z", "2026-03-08T10:00:00Z");
        lead(f, "M7", "2026-03-07T10:00:00Z", null);
        lead(f, "M8", "2026-03-31T00:00:00Z", null);
        lead(f, "M9", "2026-03-30T23:00:00Z", "2026-03-31T23:30:00Z");
        lead(f, "M11", "2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z", "rejected_at", "2026-03-11T00:00:00Z",
                "rejection_reason", " no budget ");
        lead(f, "M12", "2026-03-12T10:00:00Z", "2026-03-14T10:00:00Z", "campaign_id", null,
                "rejected_at", "2026-03-15T00:00:00Z", "rejection_reason", "Bad Fit");
        lead(f, "M13", "2026-03-13T10:00:00Z", "2026-03-13T12:00:00Z", "rejected_at", "2026-03-14T00:00:00Z",
                "rejection_reason", "Other - see notes");
        lead(f, "M14", "2026-03-14T10:00:00Z", "2026-03-14T11:00:00Z", "rejected_at", "2026-03-16T00:00:00Z",
                "rejection_reason", "No Response");
        lead(f, "M15", "2026-03-15T10:00:00Z", "2026-03-15T11:00:00Z", "rejected_at", "2026-03-16T00:00:00Z");
        lead(f, "M16", "2026-03-16T10:00:00Z", "2026-03-16T11:00:00Z", "owner_id", "U_MKT",
                "accepted_at", "2026-03-17T00:00:00Z", "converted_at", "2026-03-17T00:00:00Z",
                "converted_opportunity_id", "O16");
        lead(f, "M17", "2026-03-17T10:00:00Z", "2026-03-17T11:00:00Z", "segment", "ENT", "company", null,
                "accepted_at", "2026-03-18T00:00:00Z", "converted_at", "2026-03-18T00:00:00Z",
                "converted_opportunity_id", "O17");
        f.row(LEADS, "lead_id", "M18", "created_at", "2026-03-18T00:00:00Z", "segment", "SMB");
        lead(f, "M19", null, null, "accepted_at", "2026-03-19T00:00:00Z");
        won(f, "O1", "2026-03-10", "1000.00", "USD");
        won(f, "O2", "2026-03-12", "3000.00", "USD", "account_id", null);
        won(f, "O5", "2026-03-15", "2000.00", "USD");
        won(f, "O16", "2026-03-20", "500.00", "EUR");
        won(f, "O17", "2026-03-25", "9000.00", "BRL");
        won(f, "O20", "2026-03-28", "100.00", "USD");
        f.row(BOOKINGS, "booking_id", "B1", "opportunity_id", "O1", "booking_date", "2026-03-12", "amount", "1000.00")
                .row(BOOKINGS, "booking_id", "B2", "opportunity_id", "O2", "booking_date", "2026-03-20", "amount", "3000.00")
                .row(BOOKINGS, "booking_id", "B16", "opportunity_id", "O16", "booking_date", "2026-03-22", "amount", "500.00")
                .row(BOOKINGS, "booking_id", "B17", "opportunity_id", "O17", "booking_date", "2026-03-25", "amount", "9000.00");

        Path yaml = dir.resolve("handoffs.yaml");
        Files.writeString(yaml, String.join("\n",
                "source: {root: unused}",
                "role_mapping: {SDR: [SDR], AE: [Account Executive], MARKETING: [Marketing]}",
                "reason_categories: {qualification: [No Budget, Bad Fit], timing: [No Response]}",
                "handoffs:",
                "  - {name: marketing_to_sales, sender: Marketing, receiver: SDR, entry_stage: MQL,",
                "     receiving_roles: [SDR], required_fields: [company, segment, campaign_id],",
                "     sla: {hours: 24}, action_stage: WORKED, completion_stage: SAL,",
                "     reason_sources: [lead_rejection],",
                "     accepted_reason_categories: [qualification, timing, information], exception_owner: MOps}",
                "  - {name: sales_to_finance, sender: AE, receiver: Finance, record: opportunity, entry_stage: WON,",
                "     receiving_roles: [AE], required_fields: [amount, currency_code, account_id, close_date],",
                "     sla: {days: 5}, action_stage: BOOKED, completion_stage: BOOKED, outcome_stage: BOOKED,",
                "     exception_owner: RevOps}", ""));
        AuditConfig config = ConfigLoader.load(yaml);
        AuditInputs in = f.inputs(SharedSpark.get());
        LeadJourney journey = LeadJourney.build(in, config.leadStatusStages(), config.roles(), WINDOW);
        Fx fx = Fx.of(in, "USD", WINDOW);
        Dataset<Row> scope = OpportunityScope.build(in, journey, WINDOW, fx);
        // When each win reached finance: the reconciliation's matching, as the job makes it.
        Dataset<Row> arrived = dev.handshake.audit.BookingMatch.of(scope, in.table(BOOKINGS), fx,
                config.reconciliation(), WINDOW, dev.handshake.audit.Materializer.none()).firstBooked();
        journey = journey.withFinanceArrival(arrived);
        scope = OpportunityScope.withFinanceArrival(scope, arrived);
        result = HandoffAudit.run(journey, scope, in.table(USERS), new HandoffAudit.Context(config.handoffs(),
                config.roles(), config.reasonCategories(), WINDOW, true));
        impacts = result.impact().collectAsList();
        map = result.map().collectAsList();
        failures = new HashMap<>();
        for (Row r : result.failures().collectAsList()) {
            failures.put(r.getAs(HandoffTables.HANDOFF) + "/" + r.getAs(HandoffTables.RECORD_ID), r);
        }
        funnelMqlEntered = FunnelAudit.run(journey)
                .filter("cut_dimension = 'all' AND cohort_month = '*' AND stage = 'MQL'")
                .first().getLong(5);
    }

    private static Row mapRow(String handoff) {
        return map.stream().filter(r -> r.getAs(HandoffTables.HANDOFF).equals(handoff)).findFirst().orElseThrow();
    }

    private static Row failure(String key) {
        return failures.get(key);
    }

    @Test
    void recordsEnteringMarketingToSalesAreTheLeadsThatReachedMql() {
        long entered = failures.keySet().stream().filter(k -> k.startsWith("marketing_to_sales/")).count();
        assertEquals(17, entered);
        assertEquals(funnelMqlEntered, entered);
    }

    @Test
    void eachRecordCarriesItsFlagsStatusAndPrimaryFailure() {
        Row m5 = failure("marketing_to_sales/M5");
        assertEquals(true, m5.getAs(HandoffTables.INFORMATION_FAILURE));
        assertEquals(List.of("company"), m5.getList(m5.fieldIndex(HandoffTables.MISSING_FIELDS)));
        assertEquals("INFORMATION", m5.getAs(HandoffTables.PRIMARY_FAILURE));

        assertEquals("BREACHED", failure("marketing_to_sales/M6").getAs(HandoffTables.SLA_STATUS));
        assertEquals("NEVER", failure("marketing_to_sales/M7").getAs(HandoffTables.SLA_STATUS));
        assertNull(failure("marketing_to_sales/M7").getAs(HandoffTables.LATENCY_HOURS));
        Row m8 = failure("marketing_to_sales/M8");
        assertEquals("PENDING", m8.getAs(HandoffTables.SLA_STATUS));
        assertEquals(false, m8.getAs(HandoffTables.TIMING_FAILURE));
        Row m9 = failure("marketing_to_sales/M9");
        assertEquals("BREACHED", m9.getAs(HandoffTables.SLA_STATUS));
        assertEquals(24.5, (double) m9.getAs(HandoffTables.LATENCY_HOURS), 1e-9);

        Row m11 = failure("marketing_to_sales/M11");
        assertEquals("qualification", m11.getAs(HandoffTables.REASON_CATEGORY));
        assertEquals("QUALIFICATION", m11.getAs(HandoffTables.PRIMARY_FAILURE));

        Row m12 = failure("marketing_to_sales/M12");
        assertEquals(true, m12.getAs(HandoffTables.INFORMATION_FAILURE));
        assertEquals(true, m12.getAs(HandoffTables.TIMING_FAILURE));
        assertEquals(true, m12.getAs(HandoffTables.QUALIFICATION_FAILURE));
        assertEquals(List.of("campaign_id"), m12.getList(m12.fieldIndex(HandoffTables.MISSING_FIELDS)));
        assertEquals("INFORMATION", m12.getAs(HandoffTables.PRIMARY_FAILURE));

        Row m13 = failure("marketing_to_sales/M13");
        assertEquals("UNMAPPED", m13.getAs(HandoffTables.REASON_CATEGORY));
        assertEquals("NONE", m13.getAs(HandoffTables.PRIMARY_FAILURE));
        Row m14 = failure("marketing_to_sales/M14");
        assertEquals("MET", m14.getAs(HandoffTables.SLA_STATUS));
        assertEquals("TIMING", m14.getAs(HandoffTables.PRIMARY_FAILURE));
        assertEquals(false, failure("marketing_to_sales/M16").getAs(HandoffTables.OWNER_NAMED));
        Row m19 = failure("marketing_to_sales/M19");
        assertEquals("NOT_MEASURABLE", m19.getAs(HandoffTables.SLA_STATUS));
        assertEquals(false, m19.getAs(HandoffTables.TIMING_FAILURE));
        assertEquals("NONE", m19.getAs(HandoffTables.PRIMARY_FAILURE));

        assertEquals("MET", failure("sales_to_finance/O1").getAs(HandoffTables.SLA_STATUS));
        assertEquals(48.0, (double) failure("sales_to_finance/O1").getAs(HandoffTables.LATENCY_HOURS), 1e-9);
        Row o2 = failure("sales_to_finance/O2");
        assertEquals("BREACHED", o2.getAs(HandoffTables.SLA_STATUS));
        assertEquals(List.of("account_id"), o2.getList(o2.fieldIndex(HandoffTables.MISSING_FIELDS)));
        assertEquals("NEVER", failure("sales_to_finance/O5").getAs(HandoffTables.SLA_STATUS));
        assertEquals("PENDING", failure("sales_to_finance/O20").getAs(HandoffTables.SLA_STATUS));
        assertEquals("(none)", failure("sales_to_finance/O20").getAs(HandoffTables.SEGMENT));
    }

    private static Row impact(String handoff, String type, String segment) {
        List<Row> rows = impacts.stream().filter(r -> r.getAs(HandoffTables.HANDOFF).equals(handoff)
                && r.getAs(HandoffTables.FAILURE_TYPE).equals(type) && r.getAs(HandoffTables.SEGMENT).equals(segment))
                .toList();
        assertEquals(1, rows.size(), handoff + " " + type + " " + segment);
        return rows.get(0);
    }

    private static void assertImpact(Row r, long records, double wrFailed, Double wrClean, String avg,
                                     String upper, String expected) {
        assertEquals(records, (long) r.getAs(HandoffTables.RECORDS));
        assertEquals(wrFailed, (double) r.getAs(HandoffTables.WIN_RATE_FAILED), 1e-12);
        if (wrClean == null) {
            assertNull(r.getAs(HandoffTables.WIN_RATE_CLEAN));
        } else {
            assertEquals(wrClean, (double) r.getAs(HandoffTables.WIN_RATE_CLEAN), 1e-12);
        }
        assertEquals(avg == null ? null : new BigDecimal(avg), r.getAs(HandoffTables.AVG_WON_AMOUNT));
        assertEquals(upper == null ? null : new BigDecimal(upper), r.getAs(HandoffTables.IMPACT_UPPER_BOUND));
        assertEquals(expected == null ? null : new BigDecimal(expected), r.getAs(HandoffTables.IMPACT_EXPECTED));
    }

    @Test
    void impactIsWorkedOutExactlyPerFailureTypeAndSegment() {
        assertImpact(impact("marketing_to_sales", "INFORMATION", "SMB"), 2, 0.5, 1.0 / 3, "1637.50", "3275.00", "0.00");
        assertImpact(impact("marketing_to_sales", "TIMING", "SMB"), 5, 0.0, 1.0 / 3, "1637.50", "8187.50", "2729.17");
        assertImpact(impact("marketing_to_sales", "QUALIFICATION", "SMB"), 2, 0.0, 1.0 / 3, "1637.50", "3275.00", "1091.67");
        assertImpact(impact("sales_to_finance", "INFORMATION", "SMB"), 1, 1.0, 1.0, "1637.50", "1637.50", "0.00");
        assertImpact(impact("sales_to_finance", "TIMING", "SMB"), 2, 0.5, 1.0, "1637.50", "3275.00", "1637.50");
        assertEquals(5 + 1, impacts.size(), "no rows for failure types nobody has");
    }

    @Test
    void aSegmentWhoseWonDealsHaveNoRateGetsNoImpactAndSaysWhy() {
        Row ent = impact("marketing_to_sales", "INFORMATION", "ENT");
        assertImpact(ent, 1, 1.0, null, null, null, null);
        assertTrue(((String) ent.getAs(HandoffTables.NOTE)).contains("no won deal with a convertible amount"));
        assertEquals(0L, (long) ent.getAs(HandoffTables.WON_DEALS));
    }

    @Test
    void theHandoffMapSummarisesEachHandoff() {
        Row m = mapRow("marketing_to_sales");
        assertEquals(17L, (long) m.getAs(HandoffTables.ENTERED));
        assertEquals(82.35, (double) m.getAs(HandoffTables.PAYLOAD_COMPLETE_PCT), 1e-9);
        assertEquals(73.33, (double) m.getAs(HandoffTables.SLA_MET_PCT), 1e-9);
        assertEquals(94.12, (double) m.getAs(HandoffTables.OWNER_NAMED_PCT), 1e-9);
        assertEquals(2.0, (double) m.getAs(HandoffTables.MEDIAN_LATENCY_HOURS), 1e-9);
        assertEquals(40.95, (double) m.getAs(HandoffTables.P90_LATENCY_HOURS), 1e-9);
        assertEquals(60.0, (double) m.getAs(HandoffTables.VALID_REJECTION_REASON_PCT), 1e-9);
        assertEquals(35.29, (double) m.getAs(HandoffTables.COMPLETION_PCT), 1e-9);
        assertEquals(1L, (long) m.getAs(HandoffTables.PENDING));
        assertEquals(1L, (long) m.getAs(HandoffTables.SLA_NOT_MEASURABLE));
        assertEquals(1L, (long) m.getAs(HandoffTables.UNMAPPED_REASONS));
        assertEquals("Marketing", m.getAs(HandoffTables.SENDER));

        Row s = mapRow("sales_to_finance");
        assertEquals(6L, (long) s.getAs(HandoffTables.ENTERED));
        assertEquals(60.0, (double) s.getAs(HandoffTables.SLA_MET_PCT), 1e-9);
        assertNull(s.getAs(HandoffTables.VALID_REJECTION_REASON_PCT), "no dispositions, no rate");
    }
}
