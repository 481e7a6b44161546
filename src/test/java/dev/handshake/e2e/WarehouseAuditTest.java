package dev.handshake.e2e;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.handshake.AuditException;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.drift.DriftAudit;
import dev.handshake.audit.ledger.LedgerTables;
import dev.handshake.audit.restatement.RestatementTables;
import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.config.ConfigLoader;
import dev.handshake.config.SqlIdentifier;
import dev.handshake.config.WarehouseSettings;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.job.AuditJob;
import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import dev.handshake.sink.AuditTableDdl;
import dev.handshake.sink.RunRecord;
import dev.handshake.model.CanonicalTable;
import dev.handshake.source.Quarantine;
import dev.handshake.testing.DuckDb;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The same generated night audited twice: from Parquet files into Parquet, and from a JDBC
 * database (DuckDB, in-process) into tables of that database, password taken from a stand-in
 * environment. The warehouse run must write the same rows as the file run, and its password must
 * appear in no log line and no run record.
 */
class WarehouseAuditTest {
    @TempDir
    static Path dir;

    private static final SparkSession SPARK = SharedSpark.get();
    private static final String PASSWORD_ENV = "HANDSHAKE_TEST_WAREHOUSE_PASSWORD";
    private static final String SECRET = "pw-7f3c-never-log-me-91";
    private static final SecretSource SECRETS = name -> name.equals(PASSWORD_ENV) ? Optional.of(SECRET) : Optional.empty();
    static final List<String> TABLES = List.of(FunnelTable.NAME, HandoffTables.FAILURES, HandoffTables.IMPACT,
            HandoffTables.MAP, ReconciliationTables.RECONCILIATION, ReconciliationTables.BRIDGE,
            ReconciliationTables.METRICS, DriftAudit.NAME, Quarantine.NAME, BenchmarkTables.BENCHMARK,
            BenchmarkTables.FIRST_FORK, LedgerTables.LEDGER, LedgerTables.TRANSITIONS, LedgerTables.ACKNOWLEDGEMENTS,
            RestatementTables.NAME);

    private static Manifest manifest;
    private static Path db;
    private static AuditConfig fileConfig;
    private static AuditConfig warehouseConfig;
    private static AuditJob.Outcome fromFiles;
    private static AuditJob.Outcome fromWarehouse;
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    static WarehouseSettings warehouse(String schema) {
        return new WarehouseSettings(DuckDb.url(db), WarehouseSettings.Kind.GENERIC, "auditor", null, null, null,
                schema == null ? null : new SqlIdentifier(schema), new WarehouseSettings.Auth.Password(PASSWORD_ENV),
                1000, true);
    }

    private static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", "auditor");
        p.setProperty("password", SECRET);
        return p;
    }

    @BeforeAll
    static void auditTheSameNightFromFilesAndFromTheWarehouse() {
        manifest = SampleGenerator.generate(SPARK, new SampleSpec(dir.resolve("in"), 3000, 42, SampleSpec.DEFAULT_AS_OF));
        db = dir.resolve("warehouse.duckdb");
        DuckDb.execute(db, credentials(), "CREATE SCHEMA audit");
        for (CanonicalTable t : CanonicalTable.values()) {
            Path files = dir.resolve("in").resolve(t.tableName());
            if (Files.exists(files)) {
                DuckDb.load(db, credentials(), t.tableName(), SPARK.read().parquet(files.toString()));
            }
        }
        fileConfig = ConfigLoader.load(Path.of("conf/local.yaml"))
                .withInputRoot(dir.resolve("in")).withOutputRoot(dir.resolve("files"));
        fromFiles = new AuditJob(SPARK, fileConfig).run(manifest.asOfDate());

        // Large tables read in parallel range queries, as production would configure them.
        Map<CanonicalTable, TableMapping> tables = new EnumMap<>(CanonicalTable.class);
        tables.put(CanonicalTable.OPPORTUNITY_HISTORY, new TableMapping("opportunity_history", Map.of(), "changed_at", 3));
        tables.put(CanonicalTable.ACTIVITIES, new TableMapping("activities", Map.of(), "activity_at", 2));
        warehouseConfig = fileConfig
                .withSource(new SourceSettings(SourceType.JDBC, null, FileFormat.PARQUET, tables, warehouse(null)))
                .withOutputRoot(dir.resolve("reports"))
                .withOutputWarehouse(warehouse("audit"));
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        LOGS.start();
        root.addAppender(LOGS);
        // Spark's and the job's INFO lines are searched for secrets, so they are captured; they go
        // to LOGS alone (not additive), which keeps the test log at its usual WARN.
        List<Logger> verbose = List.of((Logger) LoggerFactory.getLogger("org.apache"),
                (Logger) LoggerFactory.getLogger("dev.handshake"));
        List<Level> before = verbose.stream().map(Logger::getLevel).toList();
        verbose.forEach(l -> {
            l.setLevel(Level.INFO);
            l.setAdditive(false);
            l.addAppender(LOGS);
        });
        try {
            fromWarehouse = new AuditJob(SPARK, warehouseConfig, SECRETS).run(manifest.asOfDate());
        } finally {
            for (int i = 0; i < verbose.size(); i++) {
                verbose.get(i).detachAppender(LOGS);
                verbose.get(i).setAdditive(true);
                verbose.get(i).setLevel(before.get(i));
            }
        }
    }

    @AfterAll
    static void detachLogs() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    @Test
    void everyAuditTableInTheWarehouseEqualsTheFileRunRowForRow() {
        for (String table : TABLES) {
            Dataset<Row> files = SPARK.read().parquet(dir.resolve("files").resolve(table)
                    .resolve("as_of=" + manifest.asOfDate()).toString()).drop("run_id");
            Dataset<Row> warehouse = typedLike(files.schema(), warehouseTable("audit." + table)
                    .filter(col("as_of").equalTo(lit(manifest.asOfDate()))));
            long rows = files.count();
            assertEquals(rows, warehouse.count(), table + " rows");
            assertEquals(0, files.exceptAll(warehouse).count(), table + ": file rows missing in the warehouse");
            assertEquals(0, warehouse.exceptAll(files).count(), table + ": warehouse rows not in the file run");
            assertEquals(1, warehouseTable("audit." + table).select("run_id").distinct().count(), table + " run_id");
        }
        // Not a comparison of two empty results: the sample plants failures in every table that matters.
        assertEquals(fromFiles.funnelRows(), SPARK.read().parquet(dir.resolve("files").resolve(FunnelTable.NAME).toString()).count());
        assertTrue(fromFiles.funnelRows() > 100);
        assertEquals(fromFiles.quarantinedRows(), fromWarehouse.quarantinedRows());
        assertTrue(fromWarehouse.quarantinedRows() > 0);
    }

    @Test
    void theWarehouseReadLeavesExactlyTheRowsAfterAsOfAndQuarantinesTheSameRows() {
        // Rows whose event time is after the end of as_of are not read from the warehouse; counted
        // here straight from the input files, independently of the source code.
        java.time.Instant end = manifest.asOfDate().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        long futureTotal = 0;
        for (int i = 0; i < fromFiles.inputs().size(); i++) {
            dev.handshake.source.TableCount files = fromFiles.inputs().get(i);
            dev.handshake.source.TableCount warehouse = fromWarehouse.inputs().get(i);
            CanonicalTable table = CanonicalTable.byName(files.table()).orElseThrow();
            long future = 0;
            if (files.present() && table.eventTime().isPresent()) {
                Column time = col(table.eventTime().get());
                future = SPARK.read().parquet(dir.resolve("in").resolve(table.tableName()).toString())
                        .filter(table.column(table.eventTime().get()).orElseThrow().type()
                                == dev.handshake.model.ColumnType.DATE
                                ? time.gt(lit(manifest.asOfDate())) : time.geq(lit(end))).count();
            }
            futureTotal += future;
            assertEquals(files.table(), warehouse.table());
            assertEquals(files.present(), warehouse.present(), files.table());
            assertEquals(files.rowsRead() - future, warehouse.rowsRead(), files.table() + " rows read");
            assertEquals(files.rowsQuarantined(), warehouse.rowsQuarantined(), files.table() + " quarantined");
            assertEquals(files.rowsDeleted(), warehouse.rowsDeleted(), files.table() + " deleted");
        }
        assertTrue(futureTotal > 0, "the sample has rows after as_of, so the filter was exercised");
    }

    @Test
    void theRunIsRecordedInTheWarehouseAndReportsStayOnTheOutputRoot() {
        List<Row> runs = warehouseTable("audit.audit_run").filter(col("status").equalTo(RunRecord.SUCCEEDED))
                .collectAsList();
        assertEquals(1, runs.size());
        assertEquals(fromWarehouse.runId(), runs.get(0).getAs("run_id"));
        assertEquals(RunRecord.SUCCEEDED, runs.get(0).getAs("status"));
        assertEquals(manifest.asOfDate(), ((java.sql.Date) runs.get(0).getAs("as_of")).toLocalDate());
        assertTrue(Files.exists(dir.resolve("reports").resolve(BenchmarkTables.REPORTS)
                .resolve("as_of=" + manifest.asOfDate()).resolve(BenchmarkTables.SUMMARY_CSV)));
        assertFalse(Files.exists(dir.resolve("reports").resolve(FunnelTable.NAME)), "tables go to the warehouse only");
    }

    @Test
    void thePasswordAppearsInNoLogLineAndNoRunRecordAlsoWhenTheRunFails() {
        Map<CanonicalTable, TableMapping> broken = new EnumMap<>(CanonicalTable.class);
        // Both: one of leads and opportunities is enough to run (docs/coverage.md).
        broken.put(CanonicalTable.LEADS, new TableMapping("no_such_table", Map.of()));
        broken.put(CanonicalTable.OPPORTUNITIES, new TableMapping("no_such_table", Map.of()));
        AuditConfig failing = warehouseConfig.withSource(new SourceSettings(SourceType.JDBC, null, FileFormat.PARQUET,
                broken, warehouse(null)));
        AuditException e = assertThrows(AuditException.class,
                () -> new AuditJob(SPARK, failing, SECRETS).run(manifest.asOfDate().minusDays(1)));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));

        assertTrue(LOGS.list.size() > 20, "the capture saw the run's log lines: " + LOGS.list.size());
        for (ILoggingEvent event : LOGS.list) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertFalse(line.contains(SECRET), "secret in log line: " + event.getLoggerName());
        }
        Dataset<Row> runs = warehouseTable("audit.audit_run");
        assertEquals(2, runs.count());
        assertEquals(1, runs.filter(col("status").equalTo(RunRecord.FAILED)).count());
        Column everything = to_json(struct(java.util.Arrays.stream(runs.columns()).map(c -> col(c)).toArray(Column[]::new)));
        assertEquals(0, runs.filter(everything.contains(SECRET)).count(), "secret in audit_run");
        assertEquals(2, runs.filter(everything.contains(fromWarehouse.runId()).or(col("status").equalTo("FAILED"))).count(),
                "the search itself finds what is there");
    }

    @Test
    void theShippedSnowflakeDdlIsWhatTheSinkCreates() throws Exception {
        WarehouseSettings snowflake = new WarehouseSettings("jdbc:snowflake://example.snowflakecomputing.com/",
                WarehouseSettings.Kind.SNOWFLAKE, "AUDIT_SVC", null, null, new SqlIdentifier("ANALYTICS"),
                null, new WarehouseSettings.Auth.Password("X"), 1000, true);
        Warehouse.install(SPARK);
        Warehouse wh = Warehouse.connect("output.jdbc", snowflake, name -> Optional.of("unused"), "tag");
        StringBuilder ddl = new StringBuilder();
        for (String table : TABLES) {
            StructType schema = SPARK.read().parquet(dir.resolve("files").resolve(table)
                    .resolve("as_of=" + manifest.asOfDate()).toString()).drop("run_id").schema();
            ddl.append("\n").append(AuditTableDdl.createTable(wh, table, schema)).append(";\n");
        }
        ddl.append("\n").append(AuditTableDdl.createTable(wh, "audit_run", RunRecord.SCHEMA)).append(";\n");
        Path generated = Path.of("target/audit_tables.sql");
        Files.writeString(generated, ddl);
        // The shipped file is these statements under a comment header.
        String shipped = Files.readString(Path.of("sql/snowflake/audit_tables.sql")).lines()
                .filter(l -> !l.startsWith("--")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertEquals(shipped, ddl.toString(),
                "sql/snowflake/audit_tables.sql is out of date: compare with " + generated);
    }

    private static Dataset<Row> warehouseTable(String table) {
        Properties p = credentials();
        return SPARK.read().jdbc(DuckDb.url(db), table, p);
    }

    /** The warehouse rows with the file run's column types: JSON text back to nested values. */
    static Dataset<Row> typedLike(StructType schema, Dataset<Row> rows) {
        List<Column> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof StructType
                    || f.dataType() instanceof MapType;
            cols.add((nested ? from_json(col(f.name()), f.dataType()) : col(f.name()).cast(f.dataType())).as(f.name()));
        }
        return rows.select(cols.toArray(Column[]::new));
    }
}
