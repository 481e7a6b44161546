package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.DuckDb;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the warehouse is asked for: mapped columns only, rows up to the end of as_of, in ranges. */
class JdbcTableSourceTest {
    private static final SparkSession SPARK = SharedSpark.get();

    @TempDir
    Path dir;

    private Dataset<Row> leads(Path db, Optional<AuditWindow> window, int partitions) {
        SourceSettings settings = new SourceSettings(SourceType.JDBC, null, FileFormat.PARQUET,
                Map.of(CanonicalTable.LEADS, new TableMapping("crm_lead", Map.of("lead_id", "Id",
                        "created_at", "created_date"), partitions > 1 ? "seq" : null, partitions)),
                DuckDb.settings(db, null));
        Warehouse w = Warehouse.connect("source.jdbc", settings.warehouse(), SecretSource.system(), "t");
        return new JdbcTableSource(SPARK, settings, w, window).read(CanonicalTable.LEADS).orElseThrow();
    }

    @Test
    void readsMappedColumnsAndOnlyRowsThatHappenedByTheEndOfAsOf() {
        Path db = dir.resolve("w.duckdb");
        DuckDb.execute(db, "CREATE TABLE crm_lead (id VARCHAR, created_date TIMESTAMP, status VARCHAR, "
                        + "phone VARCHAR, seq INTEGER)",
                "INSERT INTO crm_lead VALUES ('L1', TIMESTAMP '2026-06-30 23:59:59', 'Open', '+1 555', 1),"
                        + " ('L2', TIMESTAMP '2026-07-01 00:00:00', 'Open', '+1 556', 2),"
                        + " ('L3', NULL, 'Open', NULL, 3), ('L4', TIMESTAMP '2025-01-01 00:00:00', 'New', NULL, 4)");
        AuditWindow window = new AuditWindow(LocalDate.of(2026, 6, 30), 365);
        Dataset<Row> rows = leads(db, Optional.of(window), 1);
        // L2 was created at the first instant after as_of: not read. L3 has no time: read, for the contract.
        assertEquals(List.of("L1", "L3", "L4"), rows.orderBy("id").select("id").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList());
        // Mapped as "Id"; matched case-insensitively and read under the warehouse's own name.
        assertEquals(List.of("id", "created_date", "status"), List.of(rows.columns()),
                "phone and seq are not needed by the contract and not read");
        String plan = rows.queryExecution().executedPlan().toString();
        assertTrue(plan.contains("PushedFilters: [") && plan.contains("created_date"), plan);
        assertEquals(4, leads(db, Optional.empty(), 1).count(), "without an as_of every row is read");
    }

    @Test
    void aPartitionedTableIsReadInThatManyRangesAndNoRowTwice() {
        Path db = dir.resolve("p.duckdb");
        DuckDb.execute(db, "CREATE TABLE crm_lead AS SELECT 'L' || i AS id, TIMESTAMP '2026-01-01 00:00:00' AS "
                + "created_date, 'Open' AS status, i AS seq FROM range(1, 101) t(i)");
        Dataset<Row> rows = leads(db, Optional.empty(), 4);
        assertEquals(4, rows.rdd().getNumPartitions());
        assertEquals(100, rows.count());
        assertEquals(100, rows.select("id").distinct().count());
    }

    @Test
    void aQueryDefinedTableRunsInTheWarehouseAndKeepsTheAsOfFilter() {
        Path db = dir.resolve("q.duckdb");
        DuckDb.execute(db, "CREATE TABLE crm_lead (id VARCHAR, created_date TIMESTAMP)",
                "CREATE TABLE deal (deal_id VARCHAR, lead_id VARCHAR, won_at TIMESTAMP)",
                "INSERT INTO crm_lead VALUES ('L1', TIMESTAMP '2026-06-01 10:00:00'), ('L2', TIMESTAMP '2026-07-02 10:00:00'),"
                        + " ('L3', TIMESTAMP '2026-06-03 10:00:00')",
                "INSERT INTO deal VALUES ('D1', 'L1', TIMESTAMP '2026-06-20 10:00:00')");
        TableMapping mapping = new TableMapping("leads", Map.of(), null, 1,
                Map.of("status", new dev.handshake.config.ColumnSource.Constant("Open")), java.util.Set.of(),
                "SELECT l.id AS lead_id, l.created_date AS created_at, d.deal_id AS converted_opportunity_id "
                        + "FROM crm_lead l LEFT JOIN deal d ON d.lead_id = l.id",
                dev.handshake.config.FormatOptions.DEFAULT);
        SourceSettings settings = new SourceSettings(SourceType.JDBC, null, FileFormat.PARQUET,
                Map.of(CanonicalTable.LEADS, mapping), DuckDb.settings(db, null));
        Warehouse w = Warehouse.connect("source.jdbc", settings.warehouse(), SecretSource.system(), "t");
        AuditWindow window = new AuditWindow(LocalDate.of(2026, 6, 30), 365);
        Dataset<Row> raw = new JdbcTableSource(SPARK, settings, w, Optional.of(window)).read(CanonicalTable.LEADS)
                .orElseThrow();
        Dataset<Row> accepted = ContractEnforcer.accepted(CanonicalTable.LEADS,
                ContractEnforcer.check(CanonicalTable.LEADS, raw, mapping, "test"));
        // L2 was created after as_of: filtered as for a table. L1 converted to D1; every row gets
        // the constant status.
        assertEquals(List.of("L1|D1|Open", "L3|null|Open"), accepted.orderBy("lead_id")
                .selectExpr("concat_ws('|', lead_id, coalesce(converted_opportunity_id, 'null'), status)")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    }
}
