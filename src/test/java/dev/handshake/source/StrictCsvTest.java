package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV read strictly: a repeated header name, a line break inside quotes, loose dates and amounts. */
class StrictCsvTest {
    @TempDir
    Path dir;

    private Dataset<Row> read(CanonicalTable table, String csv) throws Exception {
        Path folder = dir.resolve(table.tableName());
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("part-0.csv"), csv);
        SourceSettings settings = new SourceSettings(SourceType.LOCAL, dir, FileFormat.CSV,
                Map.of(table, new TableMapping(table.tableName(), Map.of())), null);
        return new LocalFileSource(SharedSpark.get(), settings).read(table).orElseThrow();
    }

    private Dataset<Row> checked(CanonicalTable table, String csv) throws Exception {
        return ContractEnforcer.check(table, read(table, csv), new TableMapping(table.tableName(), Map.of()), "test");
    }

    /** Reason per row key of the quarantined rows. */
    private static Map<String, String> reasons(CanonicalTable table, Dataset<Row> checked) {
        Map<String, String> out = new TreeMap<>();
        ContractEnforcer.quarantined(table, checked).collectAsList()
                .forEach(r -> out.put(r.getAs(Quarantine.ROW_KEY), r.getAs(Quarantine.REASON)));
        return out;
    }

    @Test
    void aRepeatedHeaderNameIsRefusedNamingTheFileAndTheColumn() {
        // Spark would keep both as amount0 / amount3, and "amount" would read as absent.
        AuditException e = assertThrows(AuditException.class, () -> read(CanonicalTable.OPPORTUNITIES,
                "opportunity_id,Amount,created_at,amount\nO1,5,2026-01-05,6\n"));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertEquals(3, e.code().exitCode());
        assertTrue(e.getMessage().contains(dir.resolve("opportunities/part-0.csv").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("names the column 'amount' more than once"), e.getMessage());
    }

    @Test
    void aQuotedFieldWithALineBreakIsOneRecord() throws Exception {
        // 3 records in 4 lines: L2's company holds a line break inside its quotes.
        Dataset<Row> checked = checked(CanonicalTable.LEADS, "lead_id,created_at,company\n"
                + "L1,2026-01-05T10:00:00Z,Acme\n"
                + "L2,2026-01-05T10:00:00Z,\"Acme\nEurope\"\n"
                + "L3,2026-01-06T10:00:00Z,Beta\n");
        Map<String, String> companies = new TreeMap<>();
        ContractEnforcer.accepted(CanonicalTable.LEADS, checked).collectAsList()
                .forEach(r -> companies.put(r.getAs("lead_id"), r.getAs("company")));
        assertEquals(Map.of("L1", "Acme", "L2", "Acme\nEurope", "L3", "Beta"), companies);
        assertEquals(Map.of(), reasons(CanonicalTable.LEADS, checked));
    }

    @Test
    void datesTimestampsAndAmountsAreParsedWholeOrQuarantined() throws Exception {
        Dataset<Row> checked = checked(CanonicalTable.OPPORTUNITIES, "opportunity_id,created_at,amount,close_date\n"
                + "O1,2026-06-15T10:00:00Z,1000.50,2026-06-30\n"     // good
                + "O2,2026-06-15,-250,2026-06-30T00:00:00Z\n"        // good: whole date; negative; midnight time
                + "O3,2026-06-15 garbage,10,2026-06-30\n"            // trailing text
                + "O4,2026-06,10,2026-06-30\n"                       // partial timestamp
                + "O5,2026,10,2026-06-30\n"                          // a year alone
                + "O6,2026-06-15T10:00:00Z,1e3,2026-06-30\n"         // exponent
                + "O7,2026-06-15T10:00:00Z,\"1,000\",2026-06\n"      // thousands separator; partial date
                + "O8,2026-06-15T10:00:00Z,10,2026-06-30 later\n");  // trailing text on a date
        Map<String, BigDecimal> amounts = new TreeMap<>();
        ContractEnforcer.accepted(CanonicalTable.OPPORTUNITIES, checked).collectAsList()
                .forEach(r -> amounts.put(r.getAs("opportunity_id"), r.getAs("amount")));
        assertEquals(Map.of("O1", new BigDecimal("1000.500000"), "O2", new BigDecimal("-250.000000")), amounts);
        assertEquals(Map.of(
                "O3", "invalid timestamp: created_at",
                "O4", "invalid timestamp: created_at",
                "O5", "invalid timestamp: created_at",
                "O6", "invalid decimal: amount",
                "O7", "invalid decimal: amount; invalid date: close_date",
                "O8", "invalid date: close_date"), reasons(CanonicalTable.OPPORTUNITIES, checked));
    }
}
