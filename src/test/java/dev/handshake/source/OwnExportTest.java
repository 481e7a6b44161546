package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real export read by configuration alone (docs/own-data.md): format options, columns by value
 * or expression, an unmapped column, and a table defined by a query over raw files. Every
 * expected value is worked out by hand in the comments beside the rows.
 */
class OwnExportTest {
    @TempDir
    Path dir;

    private AuditConfig config(String sourceYaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "source:\n  type: local\n  root: " + dir + "\n  format: csv\n" + sourceYaml);
        return ConfigLoader.load(file);
    }

    private void write(String relative, String text, Charset charset, boolean bom) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] body = text.getBytes(charset);
        byte[] out = body;
        if (bom) {
            out = new byte[body.length + 3];
            out[0] = (byte) 0xEF;
            out[1] = (byte) 0xBB;
            out[2] = (byte) 0xBF;
            System.arraycopy(body, 0, out, 3, body.length);
        }
        Files.write(file, out);
    }

    private static Dataset<Row> checked(AuditConfig c, CanonicalTable table) {
        TableSource source = new LocalFileSource(SharedSpark.get(), c.source());
        return ContractEnforcer.check(table, source.read(table).orElseThrow(), c.source().mapping(table), "test");
    }

    /** Accepted rows by key, each as the named canonical columns. */
    private static Map<String, Row> accepted(CanonicalTable table, Dataset<Row> checked, String key, String... columns) {
        Map<String, Row> out = new TreeMap<>();
        ContractEnforcer.accepted(table, checked).selectExpr(prepend(key, columns)).collectAsList()
                .forEach(r -> out.put(r.getString(0), r));
        return out;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static Map<String, String> reasons(CanonicalTable table, Dataset<Row> checked) {
        Map<String, String> out = new TreeMap<>();
        ContractEnforcer.quarantined(table, checked).collectAsList()
                .forEach(r -> out.put(r.getAs(Quarantine.ROW_KEY), r.getAs(Quarantine.REASON)));
        return out;
    }

    private static String utc(Row r, int i) {
        return r.isNullAt(i) ? null : r.getTimestamp(i).toInstant().toString();
    }

    @Test
    void aDayFirstSemicolonCsvWithNaNNullsAndABomIsReadByItsFormatOptions() throws Exception {
        AuditConfig c = config("""
                  options:
                    date_formats: ["dd-MM-yyyy"]
                    timestamp_formats: ["dd-MM-yyyy HH:mm"]
                    time_zone: Europe/Paris
                    delimiter: ";"
                    null_values: ["NaN", "N/A"]
                    decimal_separator: ","
                  tables:
                    opportunities:
                      path: Opportunities.csv
                      columns: {opportunity_id: Id, created_at: Created, close_date: Close, amount: Amount, stage_name: Stage}
                """);
        write("Opportunities.csv", """
                Id;Created;Close;Amount;Stage
                O1;14-11-2017 09:30;30-11-2017;1234,50;Won
                O2;15-11-2017;NaN;NaN;NaN
                O3;2017-11-16;01-12-2017;10;Open
                O4;NaN;01-12-2017;N/A;Open
                O5;16-07-2018 12:00;31-07-2018;99,9; Won\s
                """, StandardCharsets.UTF_8, true);
        Dataset<Row> checked = checked(c, CanonicalTable.OPPORTUNITIES);

        Map<String, Row> ok = accepted(CanonicalTable.OPPORTUNITIES, checked, "opportunity_id",
                "created_at", "cast(close_date as string)", "amount", "stage_name");
        // Id is found although the file starts with a byte order mark (it would read as "\uFEFFId").
        assertEquals(java.util.Set.of("O1", "O2", "O5"), ok.keySet());
        // O1: 09:30 in Paris in November (CET, UTC+1) = 08:30Z; 1234,50 with a decimal comma.
        assertEquals("2017-11-14T08:30:00Z", utc(ok.get("O1"), 1));
        assertEquals("2017-11-30", ok.get("O1").getString(2));
        assertEquals(new BigDecimal("1234.50"), ok.get("O1").getDecimal(3).setScale(2));
        assertEquals("Won", ok.get("O1").getString(4));
        // O2: a bare date in a timestamp column falls to the date pattern: midnight Paris = 23:00Z
        // the day before; NaN is no value in a date, a decimal and a text column alike.
        assertEquals("2017-11-14T23:00:00Z", utc(ok.get("O2"), 1));
        assertNull(ok.get("O2").get(2));
        assertNull(ok.get("O2").get(3));
        assertNull(ok.get("O2").get(4));
        // O5: 12:00 in Paris in July (CEST, UTC+2) = 10:00Z; 99,9 = 99.90; the stage is trimmed.
        assertEquals("2018-07-16T10:00:00Z", utc(ok.get("O5"), 1));
        assertEquals(new BigDecimal("99.90"), ok.get("O5").getDecimal(3).setScale(2));
        assertEquals("Won", ok.get("O5").getString(4));
        // O3: an ISO date matches neither pattern: quarantined, naming the patterns tried in order.
        // O4: NaN in a required column is a missing value, not an invalid one.
        assertEquals(Map.of(
                "O3", "invalid timestamp: created_at (patterns tried: dd-MM-yyyy HH:mm, dd-MM-yyyy)",
                "O4", "missing required value: created_at"), reasons(CanonicalTable.OPPORTUNITIES, checked));
    }

    @Test
    void aWindows1252FileWithItsOwnTableOptionsKeepsItsAccents() throws Exception {
        AuditConfig c = config("""
                  tables:
                    leads:
                      path: leads.csv
                      options: {encoding: windows-1252, quote: "'"}
                """);
        // "é" is one byte (0xE9) in Windows-1252; read as UTF-8 it would be a replacement character.
        write("leads.csv", "lead_id,created_at,company\nL1,2026-01-05T10:00:00Z,'Société Générale, SA'\n",
                Charset.forName("windows-1252"), false);
        Dataset<Row> checked = checked(c, CanonicalTable.LEADS);
        assertEquals("Société Générale, SA", accepted(CanonicalTable.LEADS, checked, "lead_id", "company")
                .get("L1").getString(1));
    }

    @Test
    void aClosedDealExportGetsItsStageByValueAndItsCreationByExpression() throws Exception {
        AuditConfig c = config("""
                  tables:
                    opportunities:
                      path: won.csv
                      columns:
                        opportunity_id: deal_id
                        stage_name: {value: "Closed Won"}
                        is_won: {value: "true"}
                        created_at: {expr: "coalesce(first_contact_date, won_date)"}
                        close_date: {column: won_date}
                        amount: null
                """);
        write("won.csv", """
                deal_id,first_contact_date,won_date,amount
                D1,2026-01-10,2026-02-01,500
                D2,,2026-02-03,700
                D3,,,900
                """, StandardCharsets.UTF_8, false);
        Dataset<Row> checked = checked(c, CanonicalTable.OPPORTUNITIES);
        Map<String, Row> ok = accepted(CanonicalTable.OPPORTUNITIES, checked, "opportunity_id",
                "stage_name", "is_won", "cast(created_at as string)", "amount");
        assertEquals(java.util.Set.of("D1", "D2"), ok.keySet());
        // Every row is won; created_at is the first contact, else the win (D2); the file's amount
        // column is unmapped (amount: null), so no amount is read although the header has one.
        assertEquals("Closed Won", ok.get("D1").getString(1));
        assertEquals(true, ok.get("D2").getBoolean(2));
        assertEquals("2026-01-10 00:00:00", ok.get("D1").getString(3));
        assertEquals("2026-02-03 00:00:00", ok.get("D2").getString(3));
        assertNull(ok.get("D1").get(4));
        // D3 has neither date: the expression gives no value and the row is quarantined as usual.
        assertEquals(Map.of("D3", "missing required value: created_at"), reasons(CanonicalTable.OPPORTUNITIES, checked));
    }

    @Test
    void anExpressionOverAColumnTheTableLacksNamesTheTableAndKey() throws Exception {
        AuditConfig c = config("""
                  tables:
                    opportunities:
                      path: won.csv
                      columns: {opportunity_id: deal_id, created_at: {expr: "coalesce(first_contact, won_date)"}}
                """);
        write("won.csv", "deal_id,won_date\nD1,2026-02-01\n", StandardCharsets.UTF_8, false);
        AuditException e = assertThrows(AuditException.class, () -> checked(c, CanonicalTable.OPPORTUNITIES));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertTrue(e.getMessage().contains("source.tables.opportunities.columns.created_at.expr"), e.getMessage());
        assertTrue(e.getMessage().contains("first_contact"), e.getMessage());
        assertTrue(e.getMessage().contains("table opportunities"), e.getMessage());
        assertTrue(e.getMessage().contains("deal_id, won_date"), e.getMessage());
    }

    @Test
    void anExpressionThatIsNotSqlIsRefusedWhenTheConfigurationLoads() {
        AuditException e = assertThrows(AuditException.class, () -> config("""
                  tables:
                    opportunities:
                      columns: {created_at: {expr: "coalesce(a,"}}
                """));
        assertTrue(e.getMessage().contains("source.tables.opportunities.columns.created_at.expr"), e.getMessage());
        assertTrue(e.getMessage().contains("table opportunities"), e.getMessage());
    }

    @Test
    void aColumnAProfileMapsIsUnmappedWithNull() throws Exception {
        // fivetran_salesforce maps currency_code to currency_iso_code, which single-currency orgs lack
        // and some keep for another purpose: null reads it as absent (the reporting currency).
        AuditConfig c = config("""
                  profile: fivetran_salesforce
                  tables:
                    opportunities:
                      columns: {currency_code: null}
                """);
        assertNull(c.source().mapping(CanonicalTable.OPPORTUNITIES).sourceColumn("currency_code"));
        assertEquals("stage_name", c.source().mapping(CanonicalTable.OPPORTUNITIES).sourceColumn("stage_name"));
        assertEquals("opportunity", c.source().mapping(CanonicalTable.OPPORTUNITIES).path());
    }

    @Test
    void aRequiredColumnCannotBeUnmapped() {
        AuditException e = assertThrows(AuditException.class, () -> config("""
                  tables:
                    leads:
                      columns: {lead_id: null}
                """));
        assertTrue(e.getMessage().contains("source.tables.leads.columns.lead_id"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be unmapped"), e.getMessage());
    }

    @Test
    void aLeadsTableDefinedByAQueryJoinsTheDealsTableKeyedByLead() throws Exception {
        AuditConfig c = config("""
                  options: {date_formats: ["dd/MM/yyyy"], null_values: ["NULL"]}
                  raw:
                    crm_leads: {path: raw/leads.csv}
                    deals: {path: raw/deals.csv}
                  tables:
                    leads:
                      query: >
                        SELECT l.id AS lead_id, l.created AS created_at, l.source AS lead_source,
                               d.deal_id AS converted_opportunity_id, d.won_date AS converted_at
                        FROM crm_leads l LEFT JOIN deals d ON d.lead_id = l.id
                """);
        write("raw/leads.csv", """
                id,created,source
                L1,02/01/2026,Webinar
                L2,03/01/2026,Partner
                L3,NULL,Webinar
                """, StandardCharsets.UTF_8, false);
        write("raw/deals.csv", """
                deal_id,lead_id,won_date
                D1,L1,20/02/2026
                D9,L404,21/02/2026
                """, StandardCharsets.UTF_8, false);
        Dataset<Row> checked = checked(c, CanonicalTable.LEADS);
        Map<String, Row> ok = accepted(CanonicalTable.LEADS, checked, "lead_id", "cast(created_at as string)",
                "converted_opportunity_id", "cast(converted_at as string)", "lead_source");
        // L1 converted to D1 on 20 Feb (day first); L2 has no deal; D9's lead is not in the export
        // (a left join from leads keeps only leads); L3's NULL creation date is quarantined.
        assertEquals(java.util.Set.of("L1", "L2"), ok.keySet());
        assertEquals("2026-01-02 00:00:00", ok.get("L1").getString(1));
        assertEquals("D1", ok.get("L1").getString(2));
        assertEquals("2026-02-20 00:00:00", ok.get("L1").getString(3));
        assertNull(ok.get("L2").get(2));
        assertEquals("Partner", ok.get("L2").getString(4));
        assertEquals(Map.of("L3", "missing required value: created_at"), reasons(CanonicalTable.LEADS, checked));
    }

    @Test
    void aQueryOverATableThatIsNotRegisteredNamesTheKey() throws Exception {
        AuditConfig c = config("""
                  raw:
                    deals: {path: deals.csv}
                  tables:
                    leads:
                      query: "SELECT lead_id, won_date AS created_at FROM dealz"
                """);
        write("deals.csv", "lead_id,won_date\nL1,2026-01-01\n", StandardCharsets.UTF_8, false);
        AuditException e = assertThrows(AuditException.class, () -> checked(c, CanonicalTable.LEADS));
        assertTrue(e.getMessage().contains("source.tables.leads.query"), e.getMessage());
        assertTrue(e.getMessage().contains("dealz"), e.getMessage());
    }

    @Test
    void aQueryThatWritesIsRefusedWhenTheConfigurationLoads() {
        AuditException e = assertThrows(AuditException.class, () -> config("""
                  tables:
                    leads:
                      query: "SELECT 1; DROP TABLE leads"
                """));
        assertTrue(e.getMessage().contains("source.tables.leads.query"), e.getMessage());
    }
}
