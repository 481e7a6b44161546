package dev.handshake.e2e;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITY_HISTORY;
import static dev.handshake.model.CanonicalTable.USERS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.reconciliation.FinanceAbsent;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An opportunity-only CRM pipeline export (issue 25): deal stage Won / Lost / Engaging /
 * Prospecting, engage date, close date, close value, sales agent; no is_won column and no other
 * table: no leads, history, users, campaigns or bookings. as_of 2026-03-31; one workflow of all leads.
 *
 * <pre>
 * deal  stage        created  close   amount   derived is_won / is_closed
 * D1    Won          01-10    02-10   1000     true / true
 * D2    Won          01-12    02-20   0        true / true   (value 0)
 * D3    Won          01-15    03-01   -        true / true   (no value)
 * D4    Lost         01-20    02-25   -        false / true
 * D5    Engaging     02-01    -       -        false / false
 * D6    Prospecting  03-01    -       -        false / false
 * </pre>
 * Computed: 6 is_won and 6 is_closed derived from stage_mapping (none stated); 3 won deals, so 3
 * reconciliation rows with CRM amounts 1000, 0 and none. Not measured, because there is no bookings
 * table: every category (never CRM_ONLY), the CRM-to-finance bridge (no rows), finance lag and
 * repeatability. With no lead the workflow is the 6 deals in scope (definitions section 6,
 * Workflows), but none of its dimensions has what it needs: capture linkage and stage consistency
 * read leads, override discipline field_history, owner clarity a measured handoff, finance lag and
 * repeatability bookings. Every dimension is not measured, so the first fork is
 * INSUFFICIENT_EVIDENCE and nothing says "No repair needed". Figures of workflows on
 * opportunities: OpportunityWorkflowsTest.
 */
class OpportunityOnlyExportTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    @TempDir
    static Path dir;
    private static Map<String, Row> reconciliation;
    private static List<Row> bridge;
    private static Map<String, Row> benchmark;
    private static Row fork;
    private static Row run;

    private static void deal(Fixture f, String id, String stage, String created, String close, String amount) {
        f.row(OPPORTUNITIES, "opportunity_id", id, "account_id", "A" + id, "owner_id", "agent-7", "stage_name", stage,
                "created_at", created + "T00:00:00Z", "close_date", close, "amount", amount);
    }

    @BeforeAll
    static void runTheJob() throws Exception {
        SparkSession spark = SharedSpark.get();
        // Only the opportunities: no leads, history, users, campaigns or bookings table at all.
        Fixture f = new Fixture().without(BOOKINGS).without(LEADS).without(OPPORTUNITY_HISTORY).without(USERS)
                .without(CAMPAIGNS);
        deal(f, "D1", "Won", "2026-01-10", "2026-02-10", "1000.00");
        deal(f, "D2", "Won", "2026-01-12", "2026-02-20", "0");
        deal(f, "D3", "Won", "2026-01-15", "2026-03-01", null);
        deal(f, "D4", "Lost", "2026-01-20", "2026-02-25", null);
        deal(f, "D5", "Engaging", "2026-02-01", null, null);
        deal(f, "D6", "Prospecting", "2026-03-01", null, null);
        f.writeParquet(spark, dir.resolve("in"));
        for (String absent : List.of("bookings", "leads", "opportunity_history", "users", "campaigns")) {
            assertFalse(Files.exists(dir.resolve("in/" + absent)), "the export has no " + absent + " table");
        }
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\nstage_mapping:\n  opportunity_stage:\n    OPPORTUNITY: [Prospecting, Engaging]\n"
                + "    WON: [Won]\n    NONE: [Lost]\n"
                + "workflows:\n  - name: all_deals\n    description: every deal\n");
        new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);

        Path out = dir.resolve("out");
        reconciliation = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("audit_reconciliation/as_of=" + AS_OF).toString())
                .collectAsList()) {
            reconciliation.put(r.getAs("opportunity_id"), r);
        }
        bridge = spark.read().parquet(out.resolve("audit_revenue_bridge/as_of=" + AS_OF).toString()).collectAsList();
        benchmark = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("audit_benchmark/as_of=" + AS_OF).toString()).collectAsList()) {
            benchmark.put(r.getAs("dimension"), r);
        }
        fork = spark.read().parquet(out.resolve("audit_first_fork/as_of=" + AS_OF).toString()).first();
        run = spark.read().parquet(out.resolve("audit_run").toString()).first();
    }

    @Test
    void wonDealsComeFromTheStageMappingAndTheDerivationIsReported() {
        assertEquals("SUCCEEDED", run.getAs("status"));
        assertEquals(3, reconciliation.size(), "D1, D2, D3 are won by stage");
        assertEquals(new BigDecimal("1000").setScale(6), reconciliation.get("D1").getAs("crm_amount"));
        assertEquals(BigDecimal.ZERO.setScale(6), reconciliation.get("D2").getAs("crm_amount"));
        assertNull(reconciliation.get("D3").getAs("crm_amount"));
        String skipped = run.getList(run.fieldIndex("skipped_figures")).toString();
        assertTrue(skipped.contains("6 opportunity row(s) without is_won and 6 without is_closed took it from"
                + " stage_mapping"), skipped);
    }

    @Test
    void withoutABookingsTableNoWinIsCrmOnlyAndNothingTiesOut() {
        for (Row r : reconciliation.values()) {
            assertNull(r.getAs("category"), r.toString());
            assertNull(r.getAs("lag_days"), r.toString());
            assertEquals(FinanceAbsent.REASON, r.getAs("note"));
        }
        assertTrue(bridge.stream().noneMatch(r -> r.getAs("bridge").equals("crm_bookings_to_finance_bookings")),
                "no CRM-to-finance bridge without finance");
        for (String d : List.of("finance_lag", "reconciliation_repeatability")) {
            Row r = benchmark.get(d);
            assertNull(r.getAs("score"), d);
            assertNull(r.getAs("value"), d);
            assertEquals(FinanceAbsent.REASON, r.getAs("note"), d);
        }
        String skipped = run.getList(run.fieldIndex("skipped_figures")).toString();
        assertTrue(skipped.contains(FinanceAbsent.REASON), skipped);
    }

    /**
     * Coverage: every table but opportunities absent; 6 opportunity rows. Won deals 3: with an amount D1, D2 = 2 (66.7 %), with a
     * currency 0, with an amount converted (no currency = reporting currency, rate 1) 2 (66.7 %),
     * with a linked lead 0. No cohort lead, so no stage has evidence: all eight untracked.
     */
    @Test
    void coverageIsStatedInTheRunRecordTheCsvAndTheReviewSheet() throws Exception {
        assertEquals(0L, (long) run.getAs("cohort_leads"));
        assertEquals(List.of(3L, 2L, 0L, 2L, 0L), List.of(run.<Long>getAs("won_deals"),
                run.<Long>getAs("won_with_amount"), run.<Long>getAs("won_with_currency"),
                run.<Long>getAs("won_with_fx_rate"), run.<Long>getAs("won_with_lead")));
        Map<String, String> states = new HashMap<>();
        Map<String, Long> rows = new HashMap<>();
        for (Row t : run.<Row>getList(run.fieldIndex("coverage_tables"))) {
            states.put(t.getString(0), t.getString(1));
            rows.put(t.getString(0), t.getLong(2));
        }
        assertEquals("absent", states.get("bookings"));
        assertEquals("absent", states.get("leads"));
        assertEquals("absent", states.get("users"));
        assertEquals("present", states.get("opportunities"));
        assertEquals(6L, rows.get("opportunities"));

        Path reports = dir.resolve("out/reports/as_of=" + AS_OF);
        try (var parser = org.apache.commons.csv.CSVParser.parse(reports.resolve("benchmark_summary.csv"),
                java.nio.charset.StandardCharsets.UTF_8, dev.handshake.sink.BenchmarkReports.SUMMARY_FORMAT.builder()
                        .setSkipHeaderRecord(true).get())) {
            var record = parser.getRecords().get(0);
            assertEquals("6", record.get("records"), "no lead: the workflow counts its deals");
            assertTrue(record.get("not_measured").contains("finance_lag: " + FinanceAbsent.REASON),
                    record.get("not_measured"));
            assertTrue(record.get("coverage_tables_absent").contains("bookings"), record.get("coverage_tables_absent"));
            assertEquals("CAPTURED MQL ASSIGNED WORKED SAL OPPORTUNITY WON BOOKED",
                    record.get("coverage_untracked_stages"));
            assertEquals(List.of("3", "66.7", "0", "66.7", "0"), List.of(record.get("coverage_won_deals"),
                    record.get("coverage_won_with_amount_pct"), record.get("coverage_won_with_currency_pct"),
                    record.get("coverage_won_with_fx_rate_pct"), record.get("coverage_won_with_lead_pct")));
        }
        String sheet = Files.readString(reports.resolve("review_sheet.md"));
        int top = sheet.indexOf("## What the inputs cover");
        assertTrue(top > 0 && top < sheet.indexOf("## All workflows"), sheet);
        assertTrue(sheet.contains("won deals 3: with an amount 2 (66.7 %), a currency 0 (0.0 %), an amount with a"
                + " usable FX rate 2 (66.7 %), a linked lead 0 (0.0 %)"), sheet);
    }

    @Test
    void noOutputClaimsAForkOrACleanPathTheEvidenceDoesNotSupport() throws Exception {
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.getAs("first_fork_layer"));
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.getAs("problem_kind"));
        assertNull(fork.getAs("number_in_dispute"), "finance-booked is not measured, so no dispute is");
        assertNull(fork.getAs("band"), "nothing scored: no band");
        Path reports = dir.resolve("out/reports/as_of=" + AS_OF);
        String csv = Files.readString(reports.resolve("benchmark_summary.csv"));
        String sheet = Files.readString(reports.resolve("review_sheet.md"));
        for (String text : List.of(csv, sheet)) {
            assertFalse(text.contains("No repair needed"), text);
            assertFalse(text.contains(",NONE,"), text);
        }
        assertTrue(csv.contains(FirstFork.INSUFFICIENT_EVIDENCE), csv);
        assertTrue(sheet.contains(FinanceAbsent.REASON), sheet);
        // The workflow counts opportunities tonight: the sheet says so, never "0 leads".
        assertTrue(sheet.contains("| Opportunities in the workflow | 6 |"), sheet);
        assertTrue(sheet.contains("| Workflow | Opportunities | Band"), sheet);
        assertFalse(sheet.contains("Leads in the workflow"), sheet);
    }
}
