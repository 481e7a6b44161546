package dev.handshake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import dev.handshake.source.TableCount;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped configuration on generated data: the audit must find exactly what the generator
 * planted, as its manifest states it (counted from the generator's own decisions, not re-derived).
 */
class GeneratedSampleAuditTest {
    @TempDir
    static Path dir;

    private static final SparkSession SPARK = SharedSpark.get();
    private static Manifest manifest;
    private static AuditJob.Outcome outcome;

    @BeforeAll
    static void generateAndAudit() {
        manifest = SampleGenerator.generate(SPARK, new SampleSpec(dir.resolve("in"), 3000, 42, SampleSpec.DEFAULT_AS_OF));
        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"))
                .withInputRoot(dir.resolve("in")).withOutputRoot(dir.resolve("out"));
        outcome = new AuditJob(SPARK, config).run(manifest.asOfDate());
    }

    private static Dataset<Row> table(String name) {
        return table(dir.resolve("out"), name);
    }

    static Dataset<Row> table(Path out, String name) {
        return SPARK.read().parquet(out.resolve(name).toString());
    }

    @Test
    void everyInputRowIsAcceptedOrQuarantinedAsPlanted() {
        for (TableCount c : outcome.inputs()) {
            if (!c.present()) {
                continue;
            }
            assertEquals(manifest.tables().get(c.table()).rows(), c.rowsRead(), c.table() + " rows read");
            assertEquals(manifest.quarantined(c.table()), c.rowsQuarantined(), c.table() + " quarantined");
            assertEquals(c.rowsRead(), c.rowsAccepted() + c.rowsQuarantined(), c.table() + " conservation");
        }
        TableCount leads = outcome.inputs().stream().filter(c -> c.table().equals("leads")).findFirst().orElseThrow();
        assertEquals(manifest.count("leads.deleted"), leads.rowsDeleted());
    }

    @Test
    void theFunnelFindsThePlantedStagesAndSkips() {
        Manifest.FunnelCut all = manifest.funnelCut("all", "*");
        Map<String, Row> byStage = table("audit_funnel")
                .filter("cut_dimension = 'all' AND cohort_month = '*'").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("stage"), r -> r));
        for (Manifest.FunnelStage s : all.stages()) {
            Row r = byStage.get(s.stage());
            assertEquals(s.entered(), (long) r.getAs("entered"), s.stage() + " entered");
            assertEquals(s.skipped(), (long) r.getAs("skipped"), s.stage() + " skipped");
        }
    }

    @Test
    void handoffEntriesMatchThePlantedPopulations() {
        List<Row> map = table("audit_handoff_map").collectAsList();
        for (Row r : map) {
            String handoff = r.getAs("handoff");
            assertEquals(manifest.count("handoff." + handoff + ".entered"), (long) r.getAs("entered"), handoff);
        }
        assertEquals(3, map.size());

        Dataset<Row> failures = table("audit_handoff_failures");
        // The run id, the spec's columns, then the extra columns the tool adds; the workflows the
        // evaluated rows carry for the benchmark are not published.
        assertEquals(List.of("run_id", "handoff", "record_id", "segment", "information_failure", "missing_fields",
                "timing_failure", "sla_status", "latency_hours", "qualification_failure", "reason_category",
                "primary_failure", "reason", "disposed", "reason_valid", "owner_named", "completed", "outcome_reached",
                "entered_at", "owner_record_id", "as_of"), List.of(failures.columns()));
        Map<String, Long> m2s = statusCounts(failures, "marketing_to_sales");
        assertEquals(manifest.count("handoff.marketing_to_sales.sla_met"), m2s.getOrDefault("MET", 0L));
        assertEquals(manifest.count("handoff.marketing_to_sales.sla_breached"), m2s.getOrDefault("BREACHED", 0L));
        assertEquals(manifest.count("handoff.marketing_to_sales.untouched_sla_elapsed"), m2s.getOrDefault("NEVER", 0L));
        assertEquals(manifest.count("handoff.marketing_to_sales.untouched_sla_pending"), m2s.getOrDefault("PENDING", 0L));
        assertEquals(manifest.count("handoff.marketing_to_sales.sla_not_measurable"),
                m2s.getOrDefault("NOT_MEASURABLE", 0L));
        for (String field : List.of("company", "segment", "company_size", "country", "use_case", "contact_role",
                "consent_status", "lead_source", "campaign_id")) {
            assertEquals(manifest.count("handoff.marketing_to_sales.missing." + field), failures.filter(
                    "handoff = 'marketing_to_sales' AND array_contains(missing_fields, '" + field + "')").count(), field);
        }
        assertEquals(manifest.count("handoff.marketing_to_sales.missing_any"), failures.filter(
                "handoff = 'marketing_to_sales' AND size(missing_fields) > 0").count());
        Map<String, Long> s2f = statusCounts(failures, "sales_to_finance");
        assertEquals(manifest.count("handoff.sales_to_finance.booking_within_5_days"), s2f.getOrDefault("MET", 0L));
        assertEquals(manifest.count("handoff.sales_to_finance.booking_after_5_days"), s2f.getOrDefault("BREACHED", 0L));
    }

    private static Map<String, Long> statusCounts(Dataset<Row> failures, String handoff) {
        return failures.filter("handoff = '" + handoff + "'").groupBy("sla_status").count().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    }

    @Test
    void reconciliationFindsEachPlantedCategory() {
        Map<String, Long> categories = table("audit_reconciliation").groupBy("category").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        for (String c : List.of("AMOUNT_MISMATCH", "CRM_ONLY", "CURRENCY_UNRESOLVED", "DUPLICATE_BOOKING",
                "FINANCE_ONLY", "LAGGING", "PERIOD_MISMATCH", "REVERSED")) {
            assertEquals(manifest.count("recon." + c), categories.getOrDefault(c, 0L), c);
        }
        assertEquals(manifest.count("recon.MATCHED") + manifest.count("recon.MATCHED_FALLBACK"),
                categories.getOrDefault("MATCHED", 0L), "MATCHED");
        assertEquals(manifest.count("recon.MATCHED_FALLBACK"),
                table("audit_reconciliation").filter("matched_by = 'fallback'").count(), "fallback matches");
    }

    @Test
    void reconciliationPartitionsWinsAndBookingsIntoThePlantedCategoriesAndEveryBridgeTiesOut() {
        assertReconciliation(dir.resolve("out"), manifest);
    }

    /** Categories as planted, each win and booking in one row, every bridge tied out to the cent. */
    static void assertReconciliation(Path out, Manifest manifest) {
        Dataset<Row> recon = table(out, "audit_reconciliation");
        assertEquals(manifest.count("recon.won_opportunities"), recon.filter("opportunity_id IS NOT NULL").count());
        assertEquals(recon.filter("opportunity_id IS NOT NULL").count(),
                recon.filter("opportunity_id IS NOT NULL").select("opportunity_id").distinct().count(),
                "each won opportunity in one row");
        Dataset<Row> bookingIds = recon.selectExpr("explode(booking_ids) AS b");
        assertEquals(bookingIds.count(), bookingIds.distinct().count(), "each booking in one row");
        Map<String, Long> categories = recon.groupBy("category").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        for (String c : List.of("AMOUNT_MISMATCH", "CRM_ONLY", "CURRENCY_UNRESOLVED", "DUPLICATE_BOOKING",
                "FINANCE_ONLY", "LAGGING", "PERIOD_MISMATCH", "REVERSED")) {
            assertEquals(manifest.count("recon." + c), categories.getOrDefault(c, 0L), c);
        }
        assertEquals(manifest.count("recon.MATCHED") + manifest.count("recon.MATCHED_FALLBACK"),
                categories.getOrDefault("MATCHED", 0L), "MATCHED");
        assertEquals(manifest.count("recon.MATCHED_FALLBACK"), recon.filter("matched_by = 'fallback'").count(),
                "fallback matches");
        // Per bridge and period, the running total before the last step equals the last step.
        Map<String, List<Row>> bridges = table(out, "audit_revenue_bridge").collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.getAs("bridge") + "/" + r.getAs("period")));
        assertTrue(bridges.size() > 2);
        for (Map.Entry<String, List<Row>> b : bridges.entrySet()) {
            List<Row> steps = b.getValue().stream()
                    .sorted(java.util.Comparator.comparingInt(r -> r.<Integer>getAs("step_order"))).toList();
            Row last = steps.get(steps.size() - 1);
            Row beforeLast = steps.get(steps.size() - 2);
            assertEquals(0, ((java.math.BigDecimal) beforeLast.getAs("running_total"))
                    .compareTo(last.getAs("amount")), b.getKey() + " ties out");
        }
    }
}
