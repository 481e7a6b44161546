package dev.handshake.e2e;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.Layer;
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
 * A lead export plus a closed-deal export (issue 25): MQL date and origin on the leads, won date,
 * sales rep and a declared value on the deals (most without one), no intermediate stages, no
 * finance table. as_of 2026-03-31, one workflow of all leads, the marketing_to_sales handoff
 * (entry MQL, action WORKED, completion SAL).
 *
 * <pre>
 * lead  created/MQL  converted  deal  close  amount
 * L1    01-05        01-20      O1    02-10  1000
 * L2    01-05        01-20      O2    02-15  (none)
 * L3    01-05        -
 * L4    01-05        -
 * </pre>
 * Direct evidence per stage in the cohort of 4: CAPTURED 4, MQL 4, ASSIGNED 0, WORKED 0, SAL 0,
 * OPPORTUNITY 2, WON 2, BOOKED 0. So ASSIGNED, WORKED, SAL and BOOKED are untracked: L1 and L2 reach
 * WON without them, which is no skip, so stage consistency is 0 of 4 leads anomalous (0 %, score 1)
 * where counting skips would make it 2 of 4 (50 %, score 3, first fork CRM_STAGE_OWNERSHIP).
 * marketing_to_sales needs WORKED and SAL: not measurable. Won deals 2: with an amount 1 (50 %),
 * a currency 0, a usable FX rate 1 (50 %), a linked lead 2 (100 %). Measured layers: only
 * CRM_STAGE_OWNERSHIP (clean); capture (no opportunity whose lead had a campaign), qualification
 * (handoff not measurable), finance (no bookings table) and warehouse (no modeled metrics) are not:
 * INSUFFICIENT_EVIDENCE.
 */
class LeadsAndDealsWithoutIntermediateStagesTest {
    private static final LocalDate AS_OF = LocalDate.parse("2026-03-31");
    @TempDir
    static Path dir;
    private static Map<String, Row> benchmark;
    private static Row fork;
    private static Row run;
    private static String sheet;

    @BeforeAll
    static void runTheJob() throws Exception {
        SparkSession spark = SharedSpark.get();
        Fixture f = new Fixture().without(BOOKINGS).row(USERS, "user_id", "R1", "role", "AE");
        for (int i = 1; i <= 4; i++) {
            boolean converted = i <= 2;
            f.row(LEADS, "lead_id", "L" + i, "created_at", "2026-01-05T10:00:00Z", "mql_at", "2026-01-05T10:00:00Z",
                    "lead_source", "organic_search", "segment", "SMB", "company", "Acme " + i,
                    "converted_at", converted ? "2026-01-20T10:00:00Z" : null,
                    "converted_opportunity_id", converted ? "O" + i : null);
        }
        f.row(OPPORTUNITIES, "opportunity_id", "O1", "created_at", "2026-01-20T10:00:00Z", "owner_id", "R1",
                "is_won", true, "is_closed", true, "close_date", "2026-02-10", "amount", "1000.00");
        f.row(OPPORTUNITIES, "opportunity_id", "O2", "created_at", "2026-01-20T10:00:00Z", "owner_id", "R1",
                "is_won", true, "is_closed", true, "close_date", "2026-02-15");
        f.writeParquet(spark, dir.resolve("in"));
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "source:\n  root: " + dir.resolve("in") + "\noutput:\n  root: " + dir.resolve("out")
                + "\nrole_mapping: {SDR: [SDR], AE: [AE]}\n"
                + "handoffs:\n  - name: marketing_to_sales\n    sender: Marketing\n    receiver: SDR\n    record: lead\n"
                + "    entry_stage: MQL\n    receiving_roles: [SDR]\n    required_fields: [company]\n"
                + "    sla: {hours: 24}\n    action_stage: WORKED\n    completion_stage: SAL\n"
                + "    reason_sources: [lead_rejection]\n    accepted_reason_categories: [qualification]\n"
                + "    exception_owner: Marketing Operations\n"
                + "workflows:\n  - name: all_leads\n    description: every lead\n");
        new AuditJob(spark, ConfigLoader.load(yaml)).run(AS_OF);

        Path out = dir.resolve("out");
        benchmark = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve("audit_benchmark/as_of=" + AS_OF).toString()).collectAsList()) {
            benchmark.put(r.getAs("dimension"), r);
        }
        fork = spark.read().parquet(out.resolve("audit_first_fork/as_of=" + AS_OF).toString()).first();
        run = spark.read().parquet(out.resolve("audit_run").toString()).first();
        sheet = Files.readString(out.resolve("reports/as_of=" + AS_OF + "/review_sheet.md"));
    }

    @Test
    void untrackedStagesAreReportedAndTheirHandoffIsNotMeasured() {
        Map<String, Long> evidence = new HashMap<>();
        for (Row s : run.<Row>getList(run.fieldIndex("coverage_stages"))) {
            evidence.put(s.getString(0), s.getLong(1));
        }
        assertEquals(Map.of("CAPTURED", 4L, "MQL", 4L, "ASSIGNED", 0L, "WORKED", 0L, "SAL", 0L, "OPPORTUNITY", 2L,
                "WON", 2L, "BOOKED", 0L), evidence);
        String skipped = run.getList(run.fieldIndex("skipped_figures")).toString();
        assertTrue(skipped.contains("[untracked stages,ASSIGNED, WORKED, SAL, BOOKED: no cohort lead has direct"
                + " evidence of them"), skipped);
        assertTrue(skipped.contains("[handoff marketing_to_sales,not measurable: stage(s) WORKED, SAL untracked]"),
                skipped);
        assertFalse(Files.exists(dir.resolve("out/audit_handoff_failures/as_of=" + AS_OF)),
                "no handoff is measured, so none is written as failing");
        assertEquals(List.of(2L, 1L, 0L, 1L, 2L), List.of(run.<Long>getAs("won_deals"),
                run.<Long>getAs("won_with_amount"), run.<Long>getAs("won_with_currency"),
                run.<Long>getAs("won_with_fx_rate"), run.<Long>getAs("won_with_lead")));
    }

    @Test
    void withBookedUntrackedTheFunnelClaimsNoDropAfterWon() {
        // WON entered 2; BOOKED untracked and last, so WON -> BOOKED is not measured (was 2 of 2 dropped).
        Row won = SharedSpark.get().read().parquet(dir.resolve("out/audit_funnel/as_of=" + AS_OF).toString())
                .filter("cut_dimension = 'all' and cohort_month = '*' and stage = 'WON'").first();
        assertEquals(2L, (long) won.<Long>getAs("entered"));
        assertNull(won.getAs("converted"));
        assertNull(won.getAs("dropped"));
        assertNull(won.getAs("conversion_rate"));
        assertFalse(won.<Boolean>getAs("is_biggest_drop"));
    }

    @Test
    void passingAnUntrackedStageIsNoStageConsistencyAnomaly() {
        Row r = benchmark.get("stage_consistency");
        assertEquals(4L, (long) r.<Long>getAs("records"));
        assertEquals(BigDecimal.ZERO.setScale(4), r.getAs("value"));
        assertEquals(1, (int) r.<Integer>getAs("score"));
    }

    @Test
    void theFirstForkIsNotAnArtifactOfWhatTheCrmTracks() {
        assertNotEquals(Layer.CRM_STAGE_OWNERSHIP.name(), fork.getAs("first_fork_layer"));
        assertEquals(FirstFork.INSUFFICIENT_EVIDENCE, fork.getAs("first_fork_layer"));
        assertNull(fork.getAs("number_in_dispute"));
        assertFalse(sheet.contains("No repair needed"), sheet);
        assertTrue(sheet.contains("no evidence at all (untracked): ASSIGNED, WORKED, SAL, BOOKED"), sheet);
    }
}
