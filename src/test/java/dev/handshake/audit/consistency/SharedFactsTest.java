package dev.handshake.audit.consistency;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.FIELD_HISTORY;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One fact, one definition: three small fixtures, one per shared fact, audited by one run of the
 * job (as_of 2026-03-31), each asserting that every table stating the fact states it the same way.
 * Users: S1 SDR, A1 and A2 AE, MG Manager. Every lead is owned by S1 and has a company; mql_at is
 * 10:00 and first_touch_at 11:00 on the day the lead is created, so marketing_to_sales is MET.
 *
 * <pre>
 * 1. When a win reached finance (reconciliation's matching: linked OR fallback-matched booking).
 *    Leads F1..F5 created 02-01, accepted 02-02, converted 02-03 into OF1..OF5 (owner A1, account
 *    AFn, 1000 USD, won, close 03-10, so the 5-day SLA ends 03-15).
 *    OF1 booking BF1 linked,   03-12, 1000          -> MET, lag 2, MATCHED by link
 *    OF2 booking BF2 unlinked, 03-13, 1000, acct AF2 -> fallback: MET, lag 3     (was NEVER)
 *    OF3 booking BF3 unlinked, 03-18, 1000, acct AF3 -> fallback: BREACHED, lag 8 (was NEVER)
 *    OF4 no booking                                 -> NEVER, CRM_ONLY
 *    OF5 booking BF5 linked, 03-11, status cancelled (excluded: no booking) -> NEVER, CRM_ONLY
 *        (was MET: any linked positive amount counted)
 *    sales_to_finance: MET 2, BREACHED 1, NEVER 2; outcome_reached (BOOKED) OF1 OF2 OF3.
 *    Funnel BOOKED: F1 F2 F3 = 3 (was F1 F5 = 2), = wins with lag_days in the reconciliation.
 *
 * 2. The lead reached stage k (the funnel's rule: evidence of k or of a later stage).
 *    Leads C1..C4 created 03-01.  C1 accepted 03-02 (SAL evidence)       -> completed
 *                                 C2 converted 03-03 into open OC2, no accepted_at -> completed (was not)
 *                                 C3 nothing after the first touch      -> not completed
 *                                 C4 converted_at 03-05, no opportunity, no accepted_at -> completed (was not)
 *    marketing_to_sales entries (reached MQL): F1-F5, C1-C4, R1, R2 = 11; completed (reached SAL):
 *    all but C3 = 10 -> completion 10/11 = 90.91 % (was F1-F5 and C1 = 6/11 = 54.55 %), and the
 *    funnel's entered(SAL) is the same 10.
 *
 * 3. The receiving record exists, and since when (owner clarity of an entry with no entry instant).
 *    Leads R1, R2 created 03-01, no accepted_at, converted 03-10 into open OR1, OR2 (owner A2,
 *    created 03-10): they enter sdr_to_ae through later evidence, NOT_MEASURABLE, entered_at null.
 *    OR1 owner_id changed by MG 03-20, no change_reason -> re-owned by hand after the record's
 *        creation: not a clear owner (was clear: the test was skipped without an entry instant)
 *    OR2 owner_id changed by MG 03-21 with a reason  -> clear
 *    Owner clarity of workflow everyone, all handoff rows: marketing_to_sales 11 (owner S1, clear);
 *    sdr_to_ae F1-F5 (A1, clear), C1 (no opportunity: no owner), C2 (A1, clear), C4 (no
 *    opportunity), R1 (re-owned), R2 (clear) = 10; sales_to_finance OF1-OF5 (A1, clear) = 5.
 *    Records 26, clear 23 -> 88.4615 %; against, by id: sdr_to_ae:C1, sdr_to_ae:C4, sdr_to_ae:R1.
 * </pre>
 */
class SharedFactsTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    private static Map<String, Row> failures;
    private static Map<String, Row> handoffMap;
    private static Map<String, Row> reconciliation;
    private static Map<String, Long> funnel;
    private static Row ownerClarity;
    private static Map<String, Row> invariants;
    private static String status;

    @TempDir
    static Path dir;

    private static void lead(Fixture f, String id, String day, Object... more) {
        Object[] base = {"lead_id", id, "created_at", day + "T09:00:00Z", "segment", "SMB", "company", "Co " + id,
                "owner_id", "S1", "mql_at", day + "T10:00:00Z", "first_touch_at", day + "T11:00:00Z"};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        f.row(LEADS, all);
    }

    private static void opportunity(Fixture f, String id, String created, String owner, boolean won) {
        f.row(OPPORTUNITIES, "opportunity_id", id, "account_id", "A" + id.substring(1), "created_at",
                created + "T00:00:00Z", "owner_id", owner, "amount", "1000.00", "currency_code", "USD",
                "is_won", won, "is_closed", won, "close_date", won ? "2026-03-10" : null);
    }

    private static void booking(Fixture f, String id, String opp, String account, String date, String bookingStatus) {
        f.row(BOOKINGS, "booking_id", id, "opportunity_id", opp, "account_id", account, "booking_date", date,
                "amount", "1000.00", "currency_code", "USD", "status", bookingStatus);
    }

    @BeforeAll
    static void runTheJob() throws Exception {
        SparkSession spark = SharedSpark.get();
        Fixture f = new Fixture()
                .row(USERS, "user_id", "S1", "role", "SDR")
                .row(USERS, "user_id", "A1", "role", "AE")
                .row(USERS, "user_id", "A2", "role", "AE")
                .row(USERS, "user_id", "MG", "role", "Manager")
                .empty(dev.handshake.model.CanonicalTable.CAMPAIGNS);
        // 1. wins and finance
        for (int i = 1; i <= 5; i++) {
            lead(f, "F" + i, "2026-02-01", "accepted_at", "2026-02-02T09:00:00Z", "converted_at",
                    "2026-02-03T00:00:00Z", "converted_opportunity_id", "OF" + i);
            opportunity(f, "OF" + i, "2026-02-03", "A1", true);
        }
        booking(f, "BF1", "OF1", "AF1", "2026-03-12", "booked");
        booking(f, "BF2", null, "AF2", "2026-03-13", "booked");
        booking(f, "BF3", null, "AF3", "2026-03-18", "booked");
        booking(f, "BF5", "OF5", "AF5", "2026-03-11", "cancelled");
        // 2. reaching SAL
        lead(f, "C1", "2026-03-01", "accepted_at", "2026-03-02T09:00:00Z");
        lead(f, "C2", "2026-03-01", "converted_at", "2026-03-03T00:00:00Z", "converted_opportunity_id", "OC2");
        opportunity(f, "OC2", "2026-03-03", "A1", false);
        lead(f, "C3", "2026-03-01");
        lead(f, "C4", "2026-03-01", "converted_at", "2026-03-05T00:00:00Z");
        // 3. re-owned receiving records
        for (String r : List.of("R1", "R2")) {
            lead(f, r, "2026-03-01", "converted_at", "2026-03-10T00:00:00Z", "converted_opportunity_id", "O" + r);
            opportunity(f, "O" + r, "2026-03-10", "A2", false);
        }
        f.row(FIELD_HISTORY, "object_type", "opportunity", "object_id", "OR1", "field", "owner_id",
                "old_value", "A2", "new_value", "A1", "changed_at", "2026-03-20T10:00:00Z", "changed_by", "MG");
        f.row(FIELD_HISTORY, "object_type", "opportunity", "object_id", "OR2", "field", "owner_id",
                "old_value", "A2", "new_value", "A1", "changed_at", "2026-03-21T10:00:00Z", "changed_by", "MG",
                "change_reason", "territory realignment");
        f.writeParquet(spark, dir.resolve("in"));

        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, String.join("\n",
                "source: {root: " + dir.resolve("in") + "}",
                "output: {root: " + dir.resolve("out") + "}",
                "role_mapping: {SDR: [SDR], AE: [AE], MANAGER: [Manager]}",
                "handoffs:",
                "  - {name: marketing_to_sales, sender: Marketing, receiver: SDR, record: lead, entry_stage: MQL,",
                "     receiving_roles: [SDR], required_fields: [company], sla: {hours: 24}, action_stage: WORKED,",
                "     completion_stage: SAL, reason_sources: [lead_rejection],",
                "     accepted_reason_categories: [qualification], exception_owner: MOps}",
                "  - {name: sdr_to_ae, sender: SDR, receiver: AE, record: lead, entry_stage: SAL,",
                "     receiving_roles: [AE], owner_on: opportunity, fields_on: opportunity, required_fields: [amount],",
                "     sla: {days: 5}, action_stage: OPPORTUNITY, completion_stage: OPPORTUNITY,",
                "     reason_sources: [lead_rejection], accepted_reason_categories: [qualification],",
                "     exception_owner: SDev}",
                "  - {name: sales_to_finance, sender: AE, receiver: Finance, record: opportunity, entry_stage: WON,",
                "     receiving_roles: [AE, MANAGER], required_fields: [amount], sla: {days: 5},",
                "     action_stage: BOOKED, completion_stage: BOOKED, outcome_stage: BOOKED,",
                "     exception_owner: RevOps}",
                "workflows:",
                "  - {name: everyone}", ""));
        new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);

        String out = dir.resolve("out").toString();
        String asOf = "/as_of=" + AS_OF;
        failures = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/audit_handoff_failures" + asOf).collectAsList()) {
            failures.put(r.getAs("handoff") + ":" + r.getAs("record_id"), r);
        }
        handoffMap = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/audit_handoff_map" + asOf).collectAsList()) {
            handoffMap.put(r.getAs("handoff"), r);
        }
        reconciliation = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/audit_reconciliation" + asOf).collectAsList()) {
            reconciliation.put(r.getAs("opportunity_id"), r);
        }
        funnel = new HashMap<>();
        for (Row r : spark.read().parquet(out + "/audit_funnel" + asOf)
                .filter("cut_dimension = 'all' AND cohort_month = '*'").collectAsList()) {
            funnel.put(r.getAs("stage"), r.getAs("entered"));
        }
        ownerClarity = spark.read().parquet(out + "/audit_benchmark" + asOf)
                .filter("workflow = 'everyone' AND dimension = 'owner_clarity'").first();
        Row run = spark.read().parquet(out + "/audit_run").first();
        status = run.getAs("status");
        invariants = new TreeMap<>();
        for (Row i : run.<Row>getList(run.fieldIndex("invariants"))) {
            invariants.put(i.getAs("name"), i);
        }
    }

    private static String sla(String record) {
        return failures.get("sales_to_finance:" + record).getAs("sla_status");
    }

    @Test
    void aWinMatchedToABookingByFallbackReachedFinanceInEveryTable() {
        assertEquals("MET", sla("OF1"));
        assertEquals("MET", sla("OF2"));
        assertEquals("BREACHED", sla("OF3"));
        assertEquals("NEVER", sla("OF4"));
        // A cancelled booking is no booking: the win never reached finance.
        assertEquals("NEVER", sla("OF5"));
        for (String o : List.of("OF1", "OF2", "OF3")) {
            assertEquals(true, failures.get("sales_to_finance:" + o).getAs("outcome_reached"), o);
        }
        assertEquals(false, failures.get("sales_to_finance:OF2").getAs("timing_failure"));
        assertEquals(false, failures.get("sales_to_finance:OF5").getAs("outcome_reached"));
        assertEquals("fallback", reconciliation.get("OF2").getAs("matched_by"));
        assertEquals("MATCHED", reconciliation.get("OF2").getAs("category"));
        assertEquals(2, (int) reconciliation.get("OF1").getAs("lag_days"));
        assertEquals(3, (int) reconciliation.get("OF2").getAs("lag_days"));
        assertEquals(8, (int) reconciliation.get("OF3").getAs("lag_days"));
        assertNull(reconciliation.get("OF4").getAs("lag_days"));
        assertEquals("CRM_ONLY", reconciliation.get("OF5").getAs("category"));
        assertNull(reconciliation.get("OF5").getAs("lag_days"));
        // SLA met 2 of 5 due.
        assertEquals(40.0, (double) handoffMap.get("sales_to_finance").getAs("sla_met_pct"), 1e-9);
        assertEquals(3L, funnel.get("BOOKED"));
    }

    @Test
    void completionIsTheFunnelsReachedStage() {
        for (String lead : List.of("C1", "C2", "C4", "R1", "R2", "F1")) {
            assertEquals(true, failures.get("marketing_to_sales:" + lead).getAs("completed"), lead);
        }
        assertEquals(false, failures.get("marketing_to_sales:C3").getAs("completed"));
        Row m2s = handoffMap.get("marketing_to_sales");
        assertEquals(11L, (long) m2s.getAs("entered"));
        assertEquals(90.91, (double) m2s.getAs("completion_pct"), 1e-9);
        assertEquals(10L, funnel.get("SAL"));
        // The same leads enter sdr_to_ae.
        assertEquals(10L, (long) handoffMap.get("sdr_to_ae").getAs("entered"));
    }

    @Test
    void aReceivingRecordReOwnedByHandAfterItsCreationIsNoClearOwner() {
        assertEquals("NOT_MEASURABLE", failures.get("sdr_to_ae:R1").getAs("sla_status"));
        assertNull(failures.get("sdr_to_ae:R1").getAs("entered_at"));
        assertEquals(26L, (long) ownerClarity.getAs("records"));
        assertEquals(new BigDecimal("88.4615"), ((BigDecimal) ownerClarity.getAs("value")).setScale(4,
                java.math.RoundingMode.HALF_UP));
        assertEquals(List.of("sdr_to_ae:C1", "sdr_to_ae:C4", "sdr_to_ae:R1"),
                ownerClarity.getList(ownerClarity.fieldIndex("evidence_ids")));
    }

    @Test
    void theRunRecordsEveryInvariantPassed() {
        assertEquals("SUCCEEDED", status);
        assertTrue(invariants.values().stream().allMatch(i -> i.<Boolean>getAs("pass")), invariants.toString());
        assertEquals(11L, (long) invariants.get("handoff_entries:marketing_to_sales").getAs("expected"));
        assertEquals(10L, (long) invariants.get("handoff_entries:sdr_to_ae").getAs("actual"));
        assertEquals(5L, (long) invariants.get("handoff_entries:sales_to_finance").getAs("expected"));
        // OF1, OF2, OF3 reached finance: the actions of sales_to_finance (MET + BREACHED).
        assertEquals(3L, (long) invariants.get("finance_actions:sales_to_finance").getAs("actual"));
        assertEquals(5L, (long) invariants.get("won_opportunities_in_reconciliation").getAs("actual"));
        // BF1, BF2, BF3 (BF5 is cancelled: not a booking).
        assertEquals(3L, (long) invariants.get("bookings_once_in_reconciliation").getAs("actual"));
        assertEquals(0L, (long) invariants.get("bridge_tie_out").getAs("actual"));
        assertEquals(11L, (long) invariants.get("workflow_records:everyone").getAs("actual"));
        assertEquals(11L, (long) invariants.get("input_rows:leads").getAs("expected"));
        assertEquals(0L, (long) invariants.get("quarantine_rows").getAs("actual"));
    }
}
