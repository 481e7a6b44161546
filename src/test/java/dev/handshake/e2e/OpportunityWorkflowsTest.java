package dev.handshake.e2e;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.FIELD_HISTORY;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.OPPORTUNITY_HISTORY;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.audit.benchmark.FirstFork;
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
 * Workflows on an opportunity-only export (issue 25): no leads table, so each workflow is the
 * opportunities in scope whose own owner, type, lead source and segment match its filters
 * (docs/definitions.md section 6, Workflows). as_of 2026-03-31; stages Won / Lost / Engaging /
 * Prospecting; amounts in the reporting currency (no currency code); bookings and field_history
 * present, no users (every change is manual), no opportunity_history.
 *
 * <pre>
 * deal  owner    type            source   segment  stage        created  close  amount  booked
 * D1    agent-7  New Business    Web      ENT      Won          01-10    02-10  1000    02-11, 1000 (lag 1)
 * D2    agent-7  Renewal         Partner  SMB      Won          01-12    02-20  2000    02-28, 2000 (lag 8)
 * D3    agent-9  New Business    Web      ENT      Won          01-15    03-01  4000    none (CRM_ONLY, 30 days by as_of)
 * D4    agent-7  New Business    Web      SMB      Lost         01-20    02-25  -
 * D5    agent-9  Renewal         Web      ENT      Engaging     02-01    -      -
 * D6    agent-7  new  business   Partner  -        Prospecting  03-01    -      -
 *
 * field_history (opportunity): D1 amount, reason "price agreed"; D2 stage_name, reason "signed";
 *                              D3 owner_id, no reason; D3 close_date, reason "slipped"
 * </pre>
 *
 * Workflows and their records (values match ignoring case and spacing):
 * <pre>
 * agent_7          owners [Agent-7]                         D1 D2 D4 D6   4
 * new_business     opportunity_types [New Business, Renewl] D1 D3 D4 D6   4 ('renewl' matches none: reported)
 * paid_search      channels [paid_search]                   -             0 (a channel is the lead's campaign's:
 *                                                                            not evaluable, reported)
 * web_enterprise   lead_sources [web], segments [ent],      D1            1 (D3, D5 are agent-9's)
 *                  exclude owners [agent-9]
 * </pre>
 *
 * Dimensions, worked by hand (default thresholds):
 * <pre>
 *                 finance_lag (p90, linear)      repeatability (won value)       override_discipline
 * agent_7         D1 1, D2 8: 1+0.9x7 = 7.3 -> 3  3000 of 3000 = 100 % -> 1        2 of 2 logged = 100 % -> 1
 * new_business    D1 1, D3 30: 1+0.9x29 = 27.1 -> 3  1000 of 5000 = 20 % -> 3     2 of 3 logged = 66.6667 % -> 2
 * web_enterprise  D1 1: 1 -> 1                   1000 of 1000 = 100 % -> 1        1 of 1 = 100 % -> 1
 * </pre>
 * capture_linkage and stage_consistency are read from leads: not measured, saying so. No handoff
 * can be measured (no cohort lead, so every stage is untracked): owner clarity not measured.
 *
 * <p>First fork, materiality 5 % of won value. agent_7: won 3000, bar 150; CAPTURE not measured;
 * CRM measured (override discipline scored 1) and clean: no unlogged CRM change on its wins;
 * FINANCE material (finance_lag scored 3): the fork is FINANCE_NORMALIZATION, named with the
 * layers not measured before it. new_business: won 5000, bar 250; D3's owner changed without a
 * reason, so its 4000 is CRM value above the bar: CRM_STAGE_OWNERSHIP, and the largest symptom
 * downstream is D3's 4000 not booked (FINANCE). paid_search: no record, INSUFFICIENT_EVIDENCE.
 */
class OpportunityWorkflowsTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    @TempDir
    static Path dir;
    private static Map<String, Row> benchmark;
    private static Map<String, Row> forks;
    private static Map<String, Map<String, String>> csv;
    private static String skipped;

    private static void deal(Fixture f, String id, String owner, String type, String source, String segment,
                             String stage, String created, String close, String amount) {
        f.row(OPPORTUNITIES, "opportunity_id", id, "account_id", "A" + id, "owner_id", owner, "opportunity_type", type,
                "lead_source", source, "segment", segment, "stage_name", stage, "created_at", created + "T00:00:00Z",
                "close_date", close, "amount", amount);
    }

    private static void change(Fixture f, String opportunity, String field, String at, String reason) {
        f.row(FIELD_HISTORY, "object_type", "opportunity", "object_id", opportunity, "field", field,
                "changed_at", at + "T12:00:00Z", "changed_by", "rep-1", "change_reason", reason);
    }

    @BeforeAll
    static void runTheJob() throws Exception {
        SparkSession spark = SharedSpark.get();
        Fixture f = new Fixture().without(LEADS).without(OPPORTUNITY_HISTORY).without(USERS).without(CAMPAIGNS);
        deal(f, "D1", "agent-7", "New Business", "Web", "ENT", "Won", "2026-01-10", "2026-02-10", "1000.00");
        deal(f, "D2", "agent-7", "Renewal", "Partner", "SMB", "Won", "2026-01-12", "2026-02-20", "2000.00");
        deal(f, "D3", "agent-9", "New Business", "Web", "ENT", "Won", "2026-01-15", "2026-03-01", "4000.00");
        deal(f, "D4", "agent-7", "New Business", "Web", "SMB", "Lost", "2026-01-20", "2026-02-25", null);
        deal(f, "D5", "agent-9", "Renewal", "Web", "ENT", "Engaging", "2026-02-01", null, null);
        deal(f, "D6", "agent-7", "new  business", "Partner", null, "Prospecting", "2026-03-01", null, null);
        f.row(BOOKINGS, "booking_id", "B1", "opportunity_id", "D1", "account_id", "AD1", "booking_date", "2026-02-11",
                "amount", "1000.00");
        f.row(BOOKINGS, "booking_id", "B2", "opportunity_id", "D2", "account_id", "AD2", "booking_date", "2026-02-28",
                "amount", "2000.00");
        change(f, "D1", "amount", "2026-01-20", "price agreed");
        change(f, "D2", "stage_name", "2026-02-20", "signed");
        change(f, "D3", "owner_id", "2026-02-01", null);
        change(f, "D3", "close_date", "2026-02-15", "slipped");
        f.writeParquet(spark, dir.resolve("in"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\nstage_mapping:\n  opportunity_stage:\n    OPPORTUNITY: [Prospecting, Engaging]\n"
                + "    WON: [Won]\n    NONE: [Lost]\n"
                + "workflows:\n"
                + "  - name: agent_7\n    include: {owners: [Agent-7]}\n"
                + "  - name: new_business\n    include: {opportunity_types: [New Business, Renewl]}\n"
                + "  - name: paid_search\n    include: {channels: [paid_search]}\n"
                + "  - name: web_enterprise\n    include: {lead_sources: [web], segments: [ent]}\n"
                + "    exclude: {owners: [agent-9]}\n");
        new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);

        Path out = dir.resolve("out");
        benchmark = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("audit_benchmark/as_of=" + AS_OF).toString()).collectAsList()) {
            benchmark.put(r.getAs("workflow") + "/" + r.getAs("dimension"), r);
        }
        forks = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("audit_first_fork/as_of=" + AS_OF).toString()).collectAsList()) {
            forks.put(r.getAs("workflow"), r);
        }
        csv = new HashMap<>();
        try (var parser = org.apache.commons.csv.CSVParser.parse(
                out.resolve("reports/as_of=" + AS_OF + "/benchmark_summary.csv"), java.nio.charset.StandardCharsets.UTF_8,
                dev.handshake.sink.BenchmarkReports.SUMMARY_FORMAT.builder().setSkipHeaderRecord(true).get())) {
            parser.getRecords().forEach(r -> csv.put(r.get("workflow"), r.toMap()));
        }
        Row run = spark.read().parquet(out.resolve("audit_run").toString()).first();
        assertEquals("SUCCEEDED", run.getAs("status"));
        skipped = String.join("\n", run.<Row>getList(run.fieldIndex("skipped_figures")).stream()
                .map(r -> r.getString(0) + ": " + r.getString(1)).toList());
    }

    private static Row dimension(String workflow, String dimension) {
        return benchmark.get(workflow + "/" + dimension);
    }

    private static void assertScored(String workflow, String dimension, long records, String value, int score) {
        Row r = dimension(workflow, dimension);
        assertEquals(records, (long) r.getAs("records"), workflow + " " + dimension);
        assertEquals(new BigDecimal(value).setScale(4), r.getAs("value"), workflow + " " + dimension);
        assertEquals(score, (int) r.getAs("score"), workflow + " " + dimension);
    }

    @Test
    void eachWorkflowCountsTheOpportunitiesItsOwnFieldsMatch() {
        assertEquals("4", csv.get("agent_7").get("records"));
        assertEquals("4", csv.get("new_business").get("records"));
        assertEquals("0", csv.get("paid_search").get("records"));
        assertEquals("1", csv.get("web_enterprise").get("records"));
        // audit_first_fork.leads counts cohort leads: there are none.
        assertEquals(0L, (long) forks.get("agent_7").getAs("leads"));
    }

    @Test
    void theOpportunityLevelDimensionsAreMeasuredOnTheWorkflowsOpportunities() {
        assertScored("agent_7", "finance_lag", 2, "7.3", 3);
        assertScored("agent_7", "reconciliation_repeatability", 2, "100", 1);
        assertScored("agent_7", "override_discipline", 2, "100", 1);
        assertScored("new_business", "finance_lag", 2, "27.1", 3);
        assertScored("new_business", "reconciliation_repeatability", 2, "20", 3);
        assertScored("new_business", "override_discipline", 3, "66.6667", 2);
        assertScored("web_enterprise", "finance_lag", 1, "1", 1);
        assertScored("web_enterprise", "reconciliation_repeatability", 1, "100", 1);
        assertScored("web_enterprise", "override_discipline", 1, "100", 1);
        assertEquals(List.of("D3"), dimension("new_business", "override_discipline").getList(
                dimension("new_business", "override_discipline").fieldIndex("evidence_ids")));
    }

    @Test
    void dimensionsReadFromLeadsAreNotMeasuredAndSayWhy() {
        for (String w : List.of("agent_7", "new_business", "web_enterprise")) {
            for (String d : List.of("capture_linkage", "stage_consistency")) {
                Row r = dimension(w, d);
                assertNull(r.getAs("score"), w + " " + d);
                assertEquals(0L, (long) r.getAs("records"), w + " " + d);
                String note = r.getAs("note");
                assertTrue(note.startsWith("not measured: the night has no cohort lead"), w + " " + d + ": " + note);
            }
            assertNull(dimension(w, "owner_clarity").getAs("score"), w);
            assertTrue(csv.get(w).get("not_measured").contains("stage_consistency: not measured: the night has no"
                    + " cohort lead"), csv.get(w).get("not_measured"));
        }
    }

    @Test
    void theFirstForkIsNamedOnlyFromMeasuredLayers() {
        Row agent = forks.get("agent_7");
        assertEquals("FINANCE_NORMALIZATION", agent.getAs("first_fork_layer"));
        assertEquals(List.of("FINANCE_NORMALIZATION"), agent.getList(agent.fieldIndex("material_layers")));
        assertEquals(FirstFork.HANDSHAKE_PATH, agent.getAs("problem_kind"));
        assertEquals("Finance Systems", agent.getAs("repair_owner"));
        assertEquals(new BigDecimal("3000.00"), agent.getAs("won_value"));
        String symptom = agent.getAs("downstream_symptom");
        assertTrue(symptom.contains("(first among the measured layers; not measured before it: CAPTURE (capture_linkage"
                + " not measured: the night has no cohort lead"), symptom);
        assertTrue(symptom.contains("QUALIFICATION_HANDOFF") && symptom.contains("WAREHOUSE_LOGIC")
                && !symptom.contains("CRM_STAGE_OWNERSHIP ("), symptom);

        Row newBusiness = forks.get("new_business");
        assertEquals("CRM_STAGE_OWNERSHIP", newBusiness.getAs("first_fork_layer"));
        assertEquals(List.of("CRM_STAGE_OWNERSHIP", "FINANCE_NORMALIZATION"),
                newBusiness.getList(newBusiness.fieldIndex("material_layers")));
        assertEquals(new BigDecimal("5000.00"), newBusiness.getAs("won_value"));
        String downstream = newBusiness.getAs("downstream_symptom");
        assertTrue(downstream.startsWith("FINANCE_NORMALIZATION: 4,000.00 USD of won value (1 deals) not booked"),
                downstream);

        Row paid = forks.get("paid_search");
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, paid.getAs("first_fork_layer"));
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, paid.getAs("problem_kind"));
    }

    @Test
    void aFilterOpportunitiesCannotAnswerAndAValueNoDealCarriesAreReported() {
        assertTrue(skipped.contains("workflow paid_search: its include.channels filter cannot be evaluated on an"
                + " opportunity (the night has no cohort lead"), skipped);
        assertTrue(skipped.contains("workflow new_business: include.opportunity_types value 'renewl' matches no"
                + " opportunity in scope"), skipped);
        assertTrue(skipped.contains("no lead in the cohort: each workflow is evaluated on the opportunities in scope"),
                skipped);
        for (String w : List.of("agent_7", "new_business", "web_enterprise")) {
            assertTrue(!skipped.contains("workflow " + w + ": its"), skipped);
        }
    }
}
