package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.jdbc.SecretSource;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.testing.DuckDb;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night in the warehouse is replaced as one unit: a failure after staging, midway through the
 * swap, leaves the previous night complete; the next run replaces it without duplicates; other
 * nights are never touched.
 */
class JdbcSinkAtomicityTest {
    private static final SparkSession SPARK = SharedSpark.get();
    private static final LocalDate NIGHT = LocalDate.of(2026, 6, 30);
    private static final LocalDate EARLIER = LocalDate.of(2026, 6, 29);

    @TempDir
    Path dir;

    private JdbcSink sink(Path db, String runId, LocalDate asOf) {
        Warehouse wh = Warehouse.connect("output.jdbc", DuckDb.settings(db, "audit"), SecretSource.system(), "t");
        return new JdbcSink(SPARK, wh, runId, asOf, new OutputStore(SPARK, dir.resolve("files").toString(), runId, asOf));
    }

    /** A funnel-like table of n rows and a map-like table of m rows, values tagged by the run. */
    private static void stageBoth(JdbcSink sink, String tag, int funnelRows, int mapRows) {
        sink.stage("audit_funnel", SPARK.sql("SELECT CONCAT('" + tag + "-', id) AS stage, CAST(id AS INT) AS entered,"
                + " ARRAY('a', CAST(id AS STRING)) AS evidence FROM range(" + funnelRows + ")"), true);
        sink.stage("audit_handoff_map", SPARK.sql("SELECT CONCAT('" + tag + "-h', id) AS handoff,"
                + " CAST(id * 1.5 AS DECIMAL(24,6)) AS pct FROM range(" + mapRows + ")"), true);
    }

    private static List<String> rows(Path db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DuckDb.url(db)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long count(Path db, String table, LocalDate asOf, String runId) throws SQLException {
        return Long.parseLong(rows(db, "SELECT COUNT(*) FROM audit." + table + " WHERE as_of = DATE '" + asOf
                + "'" + (runId == null ? "" : " AND run_id = '" + runId + "'")).get(0));
    }

    @Test
    void aFailureBetweenStagingAndSwapLeavesThePreviousNightAndARerunReplacesItWithoutDuplicates() throws Exception {
        Path db = dir.resolve("w.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");

        JdbcSink earlier = sink(db, "run-e", EARLIER);
        stageBoth(earlier, "e", 5, 1);
        earlier.commit();
        JdbcSink first = sink(db, "run-1", NIGHT);
        first.recover();
        stageBoth(first, "r1", 3, 2);
        first.commit();
        assertEquals(3, count(db, "audit_funnel", NIGHT, "run-1"));
        assertEquals(2, count(db, "audit_handoff_map", NIGHT, "run-1"));

        // Run 2 stages 4 + 1 rows, then fails after the funnel was swapped inside the transaction.
        JdbcSink failing = sink(db, "run-2", NIGHT);
        failing.recover();
        stageBoth(failing, "r2", 4, 1);
        failing.onSwap(table -> {
            if (table.equals("audit_funnel")) {
                throw new SQLException("injected failure after replacing " + table);
            }
        });
        assertThrows(IllegalStateException.class, failing::commit);
        assertEquals(3, count(db, "audit_funnel", NIGHT, null), "the previous night, complete");
        assertEquals(3, count(db, "audit_funnel", NIGHT, "run-1"));
        assertEquals(2, count(db, "audit_handoff_map", NIGHT, "run-1"));
        assertEquals(2, count(db, "audit_handoff_map", NIGHT, null));
        String kept = failing.keepFailed();
        assertTrue(kept.contains("audit_funnel__stage_20260630_run_2"), kept);
        assertEquals(4, Long.parseLong(rows(db, "SELECT COUNT(*) FROM audit.audit_funnel__stage_20260630_run_2").get(0)),
                "the failed run's rows are kept for inspection");

        // Run 3 cleans up run 2's stages and replaces the night: its rows only, once.
        JdbcSink rerun = sink(db, "run-3", NIGHT);
        rerun.recover();
        stageBoth(rerun, "r3", 6, 2);
        rerun.commit();
        assertEquals(6, count(db, "audit_funnel", NIGHT, null));
        assertEquals(6, count(db, "audit_funnel", NIGHT, "run-3"));
        assertEquals(2, count(db, "audit_handoff_map", NIGHT, null));
        assertEquals(List.of("r3-0", "r3-1", "r3-2", "r3-3", "r3-4", "r3-5"),
                rows(db, "SELECT stage FROM audit.audit_funnel WHERE as_of = DATE '2026-06-30' ORDER BY stage"));
        assertEquals(5, count(db, "audit_funnel", EARLIER, "run-e"), "an earlier night is never touched");
        assertEquals(List.of(), rows(db, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%stage%'"),
                "no staging table is left");
    }

    @Test
    void aCommittedTableReadsBackWithTheTypesTheAuditProduced() throws Exception {
        Path db = dir.resolve("r.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");
        JdbcSink earlier = sink(db, "run-a", EARLIER);
        stageBoth(earlier, "a", 2, 3);
        earlier.commit();
        JdbcSink tonight = sink(db, "run-b", NIGHT);
        stageBoth(tonight, "b", 1, 1);
        Dataset<Row> back = tonight.read("audit_funnel", EARLIER);
        assertEquals("struct<run_id:string,stage:string,entered:int,evidence:array<string>>",
                back.schema().simpleString());
        List<Row> sorted = back.orderBy("stage").collectAsList();
        assertEquals("run-a", sorted.get(1).getString(0));
        assertEquals(List.of("a", "1"), sorted.get(1).getList(3));
        Dataset<Row> map = tonight.read("audit_handoff_map", EARLIER).orderBy("handoff");
        assertEquals(new java.math.BigDecimal("3.000000"), map.collectAsList().get(2).getDecimal(2));
    }

    @Test
    void thePreviousSucceededRunComesFromAuditRun() throws Exception {
        Path db = dir.resolve("p.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");
        JdbcSink earlier = sink(db, "run-p", EARLIER);
        stageBoth(earlier, "p", 1, 1);
        earlier.commit();
        earlier.appendRun(record("run-p", RunRecord.SUCCEEDED));
        JdbcSink failed = sink(db, "run-f", EARLIER);
        failed.appendRun(record("run-f", RunRecord.FAILED));
        Optional<PreviousNight> previous = sink(db, "run-n", NIGHT).previousSucceeded("audit_funnel");
        assertEquals("run-p", previous.orElseThrow().runId());
        assertEquals(EARLIER, previous.get().asOf());
        assertTrue(sink(db, "run-n", NIGHT).previousSucceeded("audit_drift").isEmpty(), "a table that is not there");
        assertTrue(sink(db, "run-x", EARLIER).previousSucceeded("audit_funnel").isEmpty(), "only earlier nights");
    }

    @Test
    void aNightThatDidNotWriteATableIsPassedOverForTheNightBefore() throws Exception {
        Path db = dir.resolve("o.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");
        LocalDate first = LocalDate.of(2026, 6, 28);
        JdbcSink wroteBoth = sink(db, "run-1", first);
        stageBoth(wroteBoth, "a", 2, 1);
        wroteBoth.commit(record("run-1", RunRecord.SUCCEEDED, Map.of("audit_funnel", 2L, "audit_handoff_map", 1L)));
        // The next night wrote the map only, empty: the warehouse holds no row of it for that night.
        JdbcSink wroteMap = sink(db, "run-2", EARLIER);
        wroteMap.stage("audit_handoff_map", SPARK.sql("SELECT 'h' AS handoff, CAST(1 AS DECIMAL(24,6)) AS pct")
                .limit(0), true);
        wroteMap.commit(record("run-2", RunRecord.SUCCEEDED, Map.of("audit_handoff_map", 0L)));

        JdbcSink tonight = sink(db, "run-3", NIGHT);
        assertEquals(first, tonight.previousSucceeded("audit_funnel").orElseThrow().asOf(),
                "the night before did not write the funnel");
        assertEquals(EARLIER, tonight.previousSucceeded("audit_handoff_map").orElseThrow().asOf(),
                "a table written empty was written");
        assertEquals(first, tonight.previousSucceeded("audit_funnel", "audit_handoff_map").orElseThrow().asOf());

        // Runs recorded before audit_run.outputs existed count as having written what the warehouse holds.
        DuckDb.execute(db, "UPDATE audit.audit_run SET outputs = NULL");
        assertEquals(EARLIER, tonight.previousSucceeded("audit_funnel").orElseThrow().asOf());
        assertTrue(tonight.previousSucceeded("audit_drift").isEmpty(), "a table that is not there");
    }

    @Test
    void theRunRowIsCommittedInTheSameTransactionAsTheNightsTables() throws Exception {
        Path db = dir.resolve("t.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");
        JdbcSink first = sink(db, "run-1", NIGHT);
        stageBoth(first, "r1", 3, 2);
        first.commit(record("run-1", RunRecord.SUCCEEDED));
        assertEquals(List.of("run-1 SUCCEEDED 2026-06-30"),
                rows(db, "SELECT run_id || ' ' || status || ' ' || as_of FROM audit.audit_run"));

        // Run 2 fails after its tables and its run row were written inside the transaction:
        // neither is visible, run 1's tables and row stand.
        JdbcSink failing = sink(db, "run-2", NIGHT);
        failing.recover();
        stageBoth(failing, "r2", 4, 1);
        failing.onSwap(table -> {
            if (table.equals("audit_run")) {
                throw new SQLException("injected failure after appending the run row");
            }
        });
        assertThrows(IllegalStateException.class, () -> failing.commit(record("run-2", RunRecord.SUCCEEDED)));
        assertEquals(List.of("run-1"), rows(db, "SELECT run_id FROM audit.audit_run"));
        assertEquals(3, count(db, "audit_funnel", NIGHT, "run-1"));
        assertEquals(3, count(db, "audit_funnel", NIGHT, null));

        // Run 3 commits: its tables and its row together; the night's history keeps run 1's row.
        JdbcSink rerun = sink(db, "run-3", NIGHT);
        rerun.recover();
        stageBoth(rerun, "r3", 6, 2);
        rerun.commit(record("run-3", RunRecord.SUCCEEDED));
        assertEquals(List.of("run-1", "run-3"), rows(db, "SELECT run_id FROM audit.audit_run ORDER BY run_id"));
        assertEquals(6, count(db, "audit_funnel", NIGHT, "run-3"));
        assertEquals(List.of(), rows(db, "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%stage%'"),
                "no staging table is left, the run row's included");
    }

    private static Dataset<Row> record(String runId, String status) {
        return record(runId, status, Map.of("audit_funnel", 1L, "audit_handoff_map", 1L));
    }

    private static Dataset<Row> record(String runId, String status, Map<String, Long> outputs) {
        return record(runId, status, outputs, null);
    }

    private static Dataset<Row> record(String runId, String status, Map<String, Long> outputs, Long sparkJobs) {
        return new RunRecord(runId, java.time.Instant.parse("2026-07-01T02:00:00Z"),
                java.time.Instant.parse("2026-07-01T02:10:00Z"), status, "hash", "dev", List.of(), List.of(), List.of(),
                null, null, List.of(), null, outputs, sparkJobs).toDataset(SPARK);
    }

    /**
     * An audit_run table created by an earlier version (no outputs, no spark_jobs): the next commit
     * adds the columns instead of failing the night; the earlier row has them null.
     */
    @Test
    void anAuditRunTableFromAnEarlierVersionTakesTheNewColumns() throws Exception {
        Path db = dir.resolve("e.duckdb");
        DuckDb.execute(db, "CREATE SCHEMA audit");
        JdbcSink earlier = sink(db, "run-1", EARLIER);
        stageBoth(earlier, "a", 1, 1);
        earlier.commit(record("run-1", RunRecord.SUCCEEDED));
        DuckDb.execute(db, "ALTER TABLE audit.audit_run DROP COLUMN spark_jobs");
        DuckDb.execute(db, "ALTER TABLE audit.audit_run DROP COLUMN outputs");

        JdbcSink tonight = sink(db, "run-2", NIGHT);
        stageBoth(tonight, "b", 2, 1);
        tonight.commit(record("run-2", RunRecord.SUCCEEDED, Map.of("audit_funnel", 2L), 42L));
        assertEquals(List.of("run-1 - -", "run-2 42 audit_funnel"), rows(db, "SELECT run_id || ' ' || coalesce(CAST("
                + "spark_jobs AS VARCHAR), '-') || ' ' || coalesce(json_extract_string(outputs, '$[0].table'), '-')"
                + " FROM audit.audit_run ORDER BY run_id"));
    }
}
