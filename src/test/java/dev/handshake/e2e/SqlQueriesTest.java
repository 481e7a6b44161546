package dev.handshake.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import dev.handshake.source.TableCount;
import dev.handshake.testing.SharedSpark;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queries of sql/duckdb/ as shipped, run in DuckDB over a generated sample's output of two
 * nights, each checked on one figure that is read independently: from the run's own outcome, from
 * the Parquet tables through Spark, or from another table of the same run. The same sample also
 * serves the night past its inputs (into an output root of its own).
 */
class SqlQueriesTest {
    private static final Path DUCKDB = Path.of("sql/duckdb");
    private static final Path SNOWFLAKE = Path.of("sql/snowflake/queries");

    @TempDir
    static Path dir;

    private static final SparkSession SPARK = SharedSpark.get();
    private static LocalDate asOf;
    /** The earlier night: a week before, so wins lagging then are booked or overdue by as_of. */
    private static LocalDate before;
    private static AuditJob.Outcome outcome;
    private static Connection duck;
    private static AuditJob.Outcome farNight;

    @BeforeAll
    static void auditTwoNightsAndOpenDuckDb() throws Exception {
        Manifest manifest = SampleGenerator.generate(SPARK, new SampleSpec(dir.resolve("in"), 1000, 42, SampleSpec.DEFAULT_AS_OF));
        asOf = manifest.asOfDate();
        before = asOf.minusDays(7);
        AuditConfig config = config().withOutputRoot(dir.resolve("out"));
        new AuditJob(SPARK, config).run(before);
        outcome = new AuditJob(SPARK, config).run(asOf);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement()) {
            s.execute("SET VARIABLE output = '" + dir.resolve("out").toAbsolutePath() + "'");
            s.execute("SET VARIABLE period = '" + asOf.toString().substring(0, 7) + "'");
        }
        for (String statement : statements(DUCKDB.resolve("views.sql"))) {
            try (Statement s = duck.createStatement()) {
                s.execute(statement);
            }
        }
    }

    @AfterAll
    static void closeDuckDb() throws SQLException {
        if (duck != null) {
            duck.close();
        }
    }

    /** Every shipped query is checked here, and has its Snowflake version. */
    @Test
    void everyQueryIsCheckedAndHasASnowflakeVersion() throws IOException {
        Set<String> checked = Set.of("funnel_biggest_drop", "funnel_trend", "quarantine_by_reason", "latest_runs",
                "open_variance_by_category", "category_changes_since_yesterday", "bridge_for_period",
                "metric_drift", "benchmark_trend");
        // The break-ledger queries need several nights of a hand-built fixture: BreakLedgerNightsTest,
        // RestatementNightsTest.
        Set<String> checkedElsewhere = Set.of("open_breaks_older_than_30_days_by_owner",
                "what_moved_a_period_since_close", "what_moved_a_closed_period");
        Set<String> notRun = Set.of("breaks_new_tonight");
        Set<String> all = new TreeSet<>(checked);
        all.addAll(checkedElsewhere);
        all.addAll(notRun);
        assertEquals(all, names(DUCKDB));
        assertEquals(names(DUCKDB), names(SNOWFLAKE));
    }

    @Test
    void quarantineByReasonCountsEveryRejectedRowOfTheNight() throws Exception {
        long rejected = outcome.inputs().stream().filter(TableCount::present).mapToLong(TableCount::rowsQuarantined).sum();
        List<Map<String, Object>> rows = query("quarantine_by_reason");
        assertTrue(rows.size() > 1, "the sample plants several kinds of contract break");
        assertEquals(rejected, rows.stream().mapToLong(r -> ((Number) r.get("rows")).longValue()).sum());
    }

    @Test
    void latestRunsGivesTheLastRunsAccountingPerInput() throws Exception {
        Map<String, Long> read = query("latest_runs").stream()
                .filter(r -> LocalDate.parse(r.get("as_of").toString()).equals(asOf))
                .peek(r -> assertEquals(outcome.runId(), r.get("run_id")))
                .collect(Collectors.toMap(r -> (String) r.get("input_table"), r -> ((Number) r.get("rows_read")).longValue()));
        Map<String, Long> expected = outcome.inputs().stream().filter(TableCount::present)
                .collect(Collectors.toMap(TableCount::table, TableCount::rowsRead));
        assertEquals(expected, read);
    }

    @Test
    void funnelTrendHasBothNightsAndTheirConversion() throws Exception {
        List<Map<String, Object>> rows = query("funnel_trend");
        assertEquals(List.of(before.toString(), asOf.toString()),
                rows.stream().map(r -> r.get("as_of").toString()).toList());
        double spark = funnel().filter(col("as_of").equalTo(lit(asOf.toString())).and(col("cut_dimension").equalTo("all"))
                        .and(col("cohort_month").equalTo("*")).and(col("stage").equalTo("OPPORTUNITY")))
                .first().getAs("conversion_rate");
        assertEquals(spark, ((Number) rows.get(1).get("opportunity_to_won")).doubleValue());
    }

    @Test
    void funnelBiggestDropNamesEachSegmentsBiggestDrop() throws Exception {
        Set<String> expected = funnel().filter(col("as_of").equalTo(lit(asOf.toString()))
                        .and(col("cut_dimension").equalTo("segment")).and(col("cohort_month").equalTo("*"))
                        .and(col("is_biggest_drop")))
                .collectAsList().stream().map(r -> r.getAs("cut_value") + " " + r.getAs("stage") + " " + r.getAs("dropped"))
                .collect(Collectors.toSet());
        Set<String> got = query("funnel_biggest_drop").stream()
                .map(r -> r.get("segment") + " " + r.get("stage") + " " + r.get("dropped")).collect(Collectors.toSet());
        assertFalse(got.isEmpty());
        assertEquals(expected, got);
    }

    /** The CRM-to-finance bridge as the query returns it still ties out: crm + steps = finance. */
    @Test
    void bridgeForPeriodTiesOutStepByStep() throws Exception {
        List<Map<String, Object>> steps = query("bridge_for_period").stream()
                .filter(r -> "crm_bookings_to_finance_bookings".equals(r.get("bridge"))).toList();
        assertEquals("crm_bookings", steps.get(0).get("step"));
        assertEquals("finance_bookings", steps.get(steps.size() - 1).get("step"));
        BigDecimal sum = BigDecimal.ZERO;
        for (Map<String, Object> s : steps.subList(0, steps.size() - 1)) {
            sum = sum.add((BigDecimal) s.get("amount"));
        }
        BigDecimal finance = (BigDecimal) steps.get(steps.size() - 1).get("amount");
        assertTrue(finance.signum() > 0, "the sample books in the as_of month");
        assertEquals(0, finance.compareTo(sum), "crm_bookings plus every category step is finance_bookings");
    }

    @Test
    void openVarianceByCategoryAddsUpTheMonthsNonMatchedRows() throws Exception {
        String period = asOf.toString().substring(0, 7);
        Map<String, Long> expected = SPARK.read().parquet(dir.resolve("out/audit_reconciliation").toString())
                .filter(col("as_of").equalTo(lit(asOf.toString())).and(col("category").notEqual("MATCHED"))
                        .and(col("crm_period").equalTo(period).or(col("finance_period").equalTo(period))))
                .groupBy("category").count().collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
        Map<String, Long> got = query("open_variance_by_category").stream()
                .collect(Collectors.toMap(r -> (String) r.get("category"), r -> ((Number) r.get("rows")).longValue(), Long::sum));
        assertFalse(got.isEmpty());
        assertEquals(expected, got);
    }

    /** A category change is a reconciliation row of both nights under two categories; counted here by Spark. */
    @Test
    void categoryChangesSinceYesterdayFindsTheRowsThatMoved() throws Exception {
        Dataset<Row> recon = SPARK.read().parquet(dir.resolve("out/audit_reconciliation").toString())
                .filter(col("opportunity_id").isNotNull());
        Dataset<Row> today = recon.filter(col("as_of").equalTo(lit(asOf.toString())))
                .select(col("opportunity_id"), col("category").as("now"));
        Dataset<Row> yesterday = recon.filter(col("as_of").equalTo(lit(before.toString())))
                .select(col("opportunity_id"), col("category").as("was"));
        long moved = today.join(yesterday, "opportunity_id").filter(col("now").notEqual(col("was"))).count();
        long got = query("category_changes_since_yesterday").stream().filter(r -> ((String) r.get("row_key")).startsWith("O")).count();
        assertTrue(moved > 0, "a week later some lagging wins are booked or overdue");
        assertEquals(moved, got);
    }

    /** Drift of CRM bookings for the as_of month is this night's recomputed bookings minus the earlier night's. */
    @Test
    void metricDriftIsTheChangeOfTheMetricComparisonSinceTheNightBefore() throws Exception {
        String period = asOf.toString().substring(0, 7);
        Dataset<Row> metrics = SPARK.read().parquet(dir.resolve("out/audit_metric_comparison").toString())
                .filter(col("metric").equalTo("bookings").and(col("period").equalTo(period)).and(col("segment").equalTo("*")));
        BigDecimal now = metrics.filter(col("as_of").equalTo(lit(asOf.toString()))).first().getAs("recomputed_value");
        BigDecimal earlier = metrics.filter(col("as_of").equalTo(lit(before.toString()))).first().getAs("recomputed_value");
        Map<String, Object> row = query("metric_drift").stream()
                .filter(r -> "crm_bookings".equals(r.get("metric")) && period.equals(r.get("period")) && "*".equals(r.get("segment")))
                .findFirst().orElseThrow();
        assertEquals(0, now.subtract(earlier).compareTo((BigDecimal) row.get("delta")), row.toString());
        assertEquals(before.toString(), row.get("previous_as_of").toString());
    }

    @Test
    void benchmarkTrendHasEachWorkflowOnBothNightsWithTheRunsTotal() throws Exception {
        List<Map<String, Object>> rows = query("benchmark_trend");
        assertEquals(2 * outcome.workflows().size(), rows.size());
        Map<String, Integer> latest = new LinkedHashMap<>();
        rows.stream().filter(r -> r.get("as_of").toString().equals(asOf.toString()))
                .forEach(r -> latest.put((String) r.get("workflow"), ((Number) r.get("total")).intValue()));
        Map<String, Integer> expected = new LinkedHashMap<>();
        outcome.workflows().forEach(w -> expected.put(w.workflow().name(), w.total().total()));
        assertEquals(new TreeSet<>(expected.entrySet().stream().map(Object::toString).toList()),
                new TreeSet<>(latest.entrySet().stream().map(Object::toString).toList()));
    }

    /** 2099-12-31 with a 365-day lookback: no sample lead was created in 2099, so the cohort is empty. */
    @Test
    void aNightPastTheInputsIsAuditedWithAWarningInTheRunAndTheReviewSheet() throws Exception {
        AuditJob.Outcome night = farNight();
        List<String> warnings = night.skipped().stream()
                .filter(f -> f.figure().equals(dev.handshake.audit.CohortCoverage.FIGURE)).map(f -> f.reason()).toList();
        assertEquals(1, warnings.size(), night.skipped().toString());
        assertTrue(warnings.get(0).startsWith("no lead was created in the 365 days up to as_of 2099-12-31"), warnings.get(0));
        String sheet = Files.readString(dir.resolve("far/reports/as_of=2099-12-31/review_sheet.md"));
        assertTrue(sheet.contains("**Warning:** no lead was created in the 365 days up to as_of 2099-12-31"), sheet);
        assertTrue(outcome.skipped().stream().noneMatch(f -> f.figure().equals(dev.handshake.audit.CohortCoverage.FIGURE)),
                "the sample's own night is covered: " + outcome.skipped());
    }

    /**
     * The views on an output with empty and absent tables: the night past the inputs (its cohort is
     * empty, so some tables have no rows) with audit_acknowledgements removed, as when that input
     * is never given. Every view has the columns and types it has over the full output, the absent
     * table reads as no rows, and every shipped statement runs.
     */
    @Test
    void viewsAndQueriesRunOnAnOutputWithEmptyAndAbsentTables() throws Exception {
        farNight();
        Path far = dir.resolve("far");
        deleteTree(far.resolve("audit_acknowledgements"));
        List<String> views = new ArrayList<>();
        try (Statement s = duck.createStatement();
             ResultSet r = s.executeQuery("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1")) {
            while (r.next()) {
                views.add(r.getString(1));
            }
        }
        // One view per output table (docs/outputs.md).
        assertEquals(16, views.size(), views.toString());
        try (Connection sparse = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = sparse.createStatement()) {
                s.execute("SET VARIABLE output = '" + far.toAbsolutePath() + "'");
                s.execute("SET VARIABLE period = '2099-12'");
                s.execute("SET VARIABLE close_night = DATE '2099-12-31'");
            }
            for (String statement : statements(DUCKDB.resolve("views.sql"))) {
                try (Statement s = sparse.createStatement()) {
                    s.execute(statement);
                }
            }
            List<String> empty = new ArrayList<>();
            for (String view : views) {
                assertEquals(columns(duck, view), columns(sparse, view), view);
                assertEquals(columns(duck, view), columns(sparse, "audit_empty." + view), view + " empty twin");
                if (count(sparse, view) == 0) {
                    empty.add(view);
                }
            }
            assertTrue(empty.contains("audit_acknowledgements"), empty.toString());
            assertTrue(empty.size() > 1, "the far night leaves tables without rows as well: " + empty);
            assertTrue(Files.exists(far.resolve("audit_reconciliation")));
            for (String name : names(DUCKDB)) {
                for (String statement : statements(DUCKDB.resolve(name + ".sql"))) {
                    try (Statement s = sparse.createStatement()) {
                        s.execute(statement);
                    }
                }
            }
        }
    }

    private static List<String> columns(Connection c, String relation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("DESCRIBE " + relation)) {
            while (r.next()) {
                out.add(r.getString("column_name") + " " + r.getString("column_type"));
            }
        }
        return out;
    }

    private static long count(Connection c, String relation) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + relation)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The night past the inputs, audited once into an output root of its own. */
    private static synchronized AuditJob.Outcome farNight() throws IOException {
        if (farNight == null) {
            farNight = new AuditJob(SPARK, config().withOutputRoot(dir.resolve("far"))).run(LocalDate.of(2099, 12, 31));
        }
        return farNight;
    }

    /**
     * The shipped configuration with a wider quarantine tolerance: a sample this small, seen a week
     * early, has few bookings beside the planted bad ones, and the contract is not what is tested here.
     */
    private static AuditConfig config() throws IOException {
        String shipped = Files.readString(Path.of("conf/local.yaml"));
        assertTrue(shipped.contains("max_quarantined_pct: 5.0"));
        Path yaml = dir.resolve("sql-test.yaml");
        Files.writeString(yaml, shipped.replace("max_quarantined_pct: 5.0", "max_quarantined_pct: 25.0"));
        return ConfigLoader.load(yaml).withInputRoot(dir.resolve("in"));
    }

    private static Dataset<Row> funnel() {
        return SPARK.read().parquet(dir.resolve("out/audit_funnel").toString())
                .withColumn("as_of", col("as_of").cast("string"));
    }

    private static List<Map<String, Object>> query(String name) throws Exception {
        List<String> statements = statements(DUCKDB.resolve(name + ".sql"));
        assertEquals(1, statements.size(), name + " is one statement");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(statements.get(0))) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(r.getMetaData().getColumnLabel(i), r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A file's statements, split at a semicolon that ends a line; comment lines dropped. */
    private static List<String> statements(Path file) throws IOException {
        String text = Files.readAllLines(file).stream().filter(l -> !l.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        return Stream.of(text.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql") && !n.equals("views.sql"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
