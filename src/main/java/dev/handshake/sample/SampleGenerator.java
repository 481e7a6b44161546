package dev.handshake.sample;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.CanonicalTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a deterministic sample of all twelve canonical tables with known, planted failures, and
 * its {@link Manifest}. Everything is derived from {@code spark.range(N)} with a partition count
 * fixed by N (not by the machine) and seeded hashes, so a seed gives byte-identical files for the
 * same Spark version and session settings, on any number of cores; work is linear in N (no joins
 * between generated tables, no collect of anything that grows with N).
 */
public final class SampleGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SampleGenerator.class);

    /** The default lookback of docs/definitions.md section 0, which the funnel expectations assume. */
    public static final int LOOKBACK_DAYS = 365;
    public static final String REPORTING_CURRENCY = "USD";
    private static final String CONSTRAINT_PROPAGATION = "spark.sql.constraintPropagation.enabled";

    private SampleGenerator() {}

    public static Manifest generate(SparkSession spark, SampleSpec spec) {
        requireNonNull(spark, "spark is null");
        requireNonNull(spec, "spec is null");
        // The plan is a deep stack of projections; inferring filter constraints through all its
        // aliases costs minutes of planning and gains nothing here. Restored afterwards.
        String previous = spark.conf().get(CONSTRAINT_PROPAGATION, "true");
        spark.conf().set(CONSTRAINT_PROPAGATION, "false");
        try {
            return generateWith(spark, spec);
        } finally {
            spark.conf().set(CONSTRAINT_PROPAGATION, previous);
        }
    }

    private static Manifest generateWith(SparkSession spark, SampleSpec spec) {
        SampleCalendar cal = new SampleCalendar(spec.asOf(), LOOKBACK_DAYS);
        SampleDirectory dir = SampleDirectory.forLeads(spec.leads());
        Draws draws = new Draws(spec.seed());
        ParquetOutput out = new ParquetOutput(spec.out());
        out.prepare();

        // Every table reads the plan: computed once, cached (columnar, compressed, spilling to disk),
        // instead of once per table. The cache keeps the plan's partitions, so output stays stable.
        Dataset<Row> plan = LeadPlan.build(spark, spec, cal, dir, draws).drop(Plan.INTERMEDIATE.toArray(String[]::new))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return writeAll(spark, spec, cal, dir, draws, out, plan);
        } finally {
            plan.unpersist();
        }
    }

    private static Manifest writeAll(SparkSession spark, SampleSpec spec, SampleCalendar cal, SampleDirectory dir,
                                     Draws draws, ParquetOutput out, Dataset<Row> plan) {
        CrmTables crm = new CrmTables(cal, dir, draws);
        OpportunityTables opportunities = new OpportunityTables(spec, cal, draws);
        CampaignTables campaigns = new CampaignTables(cal, dir, draws);
        FinanceTables finance = new FinanceTables(spec, cal, draws);

        Map<CanonicalTable, Supplier<Dataset<Row>>> builders = new LinkedHashMap<>();
        builders.put(CanonicalTable.LEADS, () -> crm.leads(plan));
        builders.put(CanonicalTable.LEAD_STATUS_HISTORY, () -> crm.leadStatusHistory(plan));
        builders.put(CanonicalTable.OPPORTUNITIES, () -> opportunities.opportunities(spark, plan));
        builders.put(CanonicalTable.OPPORTUNITY_HISTORY, () -> opportunities.history(plan));
        builders.put(CanonicalTable.FIELD_HISTORY, () -> crm.fieldHistory(plan));
        builders.put(CanonicalTable.USERS, () -> crm.users(spark));
        builders.put(CanonicalTable.ACTIVITIES, () -> crm.activities(plan));
        builders.put(CanonicalTable.CAMPAIGNS, () -> campaigns.campaigns(spark));
        builders.put(CanonicalTable.CAMPAIGN_TOUCHES, () -> campaigns.touches(plan));
        builders.put(CanonicalTable.BOOKINGS, () -> finance.bookings(spark, plan));
        builders.put(CanonicalTable.FX_RATES, () -> finance.fxRates(spark));
        builders.put(CanonicalTable.MODELED_METRICS, () -> finance.modeledMetrics(plan));
        builders.put(CanonicalTable.ACKNOWLEDGEMENTS, () -> finance.acknowledgements(spark, plan));
        if (builders.size() != CanonicalTable.values().length) {
            throw new IllegalStateException("Sample builders cover " + builders.keySet());
        }

        long started = System.nanoTime();
        Map<String, Manifest.TableStats> tables = new TreeMap<>();
        for (Map.Entry<CanonicalTable, Supplier<Dataset<Row>>> e : builders.entrySet()) {
            long t0 = System.nanoTime();
            CanonicalTable table = e.getKey();
            int files = out.write(table, e.getValue().get());
            long rows = spark.read().parquet(out.dir(table).toAbsolutePath().toString()).count();
            tables.put(table.tableName(), new Manifest.TableStats(rows, files));
            LOG.info("sample {}: {} rows in {} files, {} ms", table.tableName(), rows, files, millis(t0));
        }

        long t0 = System.nanoTime();
        ManifestCounts counting = new ManifestCounts(spec, cal);
        ManifestCounts.Totals totals = counting.totals(plan);
        Map<String, Long> counts = new TreeMap<>(totals.counts());
        Map<String, String> definitions = new TreeMap<>(totals.definitions());
        counts.put("modeled.drifted_rows", modeledDrift(spark, out, finance));
        definitions.put("modeled.drifted_rows", "modeled_metrics rows of metric bookings (each segment and all) "
                + "whose value is the layer's own sum x " + FinanceTables.DRIFT + ": periods " + finance.driftPeriods()
                + " (warehouse-logic drift); every other modeled row equals the layer's own rule");
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, spec.seed(), spec.leads(), spec.asOf().toString(),
                LOOKBACK_DAYS, REPORTING_CURRENCY, spec.partitions(), tables, totals.quarantine(),
                counting.funnel(plan), counts, totals.lags(), definitions);
        manifest.write(out.manifest());
        LOG.info("sample manifest in {} ms; total {} ms for {} leads", millis(t0), millis(started), spec.leads());
        return manifest;
    }

    /** Counted on the written table (a few hundred rows at most) with the generator's own drift rule. */
    private static long modeledDrift(SparkSession spark, ParquetOutput out, FinanceTables finance) {
        Dataset<Row> modeled = spark.read().parquet(out.dir(CanonicalTable.MODELED_METRICS).toAbsolutePath().toString());
        return modeled.filter(modeled.col("metric").equalTo("bookings").and(finance.isDriftPeriod(modeled.col("period"))))
                .count();
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
