package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.ConfigLoader;
import dev.handshake.config.StarterConfig;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init} on each shipped example (conf/examples/): the starter configuration loads as it is
 * printed, and its tables pass the contract with the counts and values worked out by hand from
 * the sample files (each figure explained beside it).
 */
class InitExamplesTest {
    @TempDir
    Path dir;

    private record Init(String text, AuditConfig config) {}

    private Init init(String example) throws Exception {
        Path data = Path.of("conf/examples", example, "data").toAbsolutePath();
        String text = StarterConfig.shipped().render(data, FileFormat.CSV, Optional.empty(),
                new ExportScan(SharedSpark.get(), data, ExportScan.detect(data)));
        Path file = dir.resolve(example + ".yaml");
        Files.writeString(file, text);
        return new Init(text, ConfigLoader.load(file));
    }

    /** Accepted rows by their key and the quarantine reasons by row key. */
    private record Checked(Map<String, Row> accepted, Map<String, String> reasons) {}

    private static Checked check(AuditConfig c, CanonicalTable table, String... columns) {
        TableSource source = new LocalFileSource(SharedSpark.get(), c.source());
        Dataset<Row> checked = ContractEnforcer.check(table, source.read(table).orElseThrow(),
                c.source().mapping(table), "test");
        Map<String, Row> ok = new TreeMap<>();
        String[] select = new String[columns.length + 1];
        select[0] = table.key().get(0);
        System.arraycopy(columns, 0, select, 1, columns.length);
        ContractEnforcer.accepted(table, checked).selectExpr(select).collectAsList()
                .forEach(r -> ok.put(r.getString(0), r));
        Map<String, String> reasons = new TreeMap<>();
        ContractEnforcer.quarantined(table, checked).collectAsList()
                .forEach(r -> reasons.put(r.getAs(Quarantine.ROW_KEY), r.getAs(Quarantine.REASON)));
        return new Checked(ok, reasons);
    }

    @Test
    void leadsAndClosedDeals() throws Exception {
        Init init = init("leads-closed-deals");
        assertTrue(init.text().contains("lead_id: \"mql_id\"  # header \"mql_id\""), init.text());
        assertTrue(init.text().contains("stage_name: {value: \"Closed Won\"}  # check"), init.text());
        assertTrue(init.text().contains("null_values: [\"NaN\"]  # check"), init.text());
        assertTrue(init.text().contains("workflows:"), init.text());
        assertTrue(init.text().contains("handoffs:"), init.text());

        // marketing_qualified_leads.csv: 5 rows; M5 has no first_contact_date.
        Checked leads = check(init.config(), CanonicalTable.LEADS, "lead_source", "campaign_id");
        assertEquals(java.util.Set.of("M1", "M2", "M3", "M4"), leads.accepted().keySet());
        assertEquals("paid_search", leads.accepted().get("M1").getString(1));
        assertEquals("LP1", leads.accepted().get("M1").getString(2));
        assertEquals(Map.of("M5", "missing required value: created_at"), leads.reasons());

        // closed_deals.csv: 3 rows, all won; the win date stands in for the creation date; M9's
        // NaN revenue is no amount (NaN is a null word), not an invalid one.
        Checked deals = check(init.config(), CanonicalTable.OPPORTUNITIES, "stage_name", "is_won",
                "cast(created_at as string)", "amount", "owner_id");
        assertEquals(java.util.Set.of("M1", "M3", "M9"), deals.accepted().keySet());
        assertEquals(Map.of(), deals.reasons());
        assertEquals("Closed Won", deals.accepted().get("M3").getString(1));
        assertEquals(true, deals.accepted().get("M3").getBoolean(2));
        assertEquals("2018-03-01 09:30:00", deals.accepted().get("M3").getString(3));
        assertEquals(new BigDecimal("450.50"), deals.accepted().get("M3").getDecimal(4).setScale(2));
        assertNull(deals.accepted().get("M9").get(4));
        assertEquals("R2", deals.accepted().get("M3").getString(5));
    }

    @Test
    void opportunityOnlyWithDayFirstDatesNaNAndABom() throws Exception {
        Init init = init("opportunity-only");
        assertTrue(init.text().contains("date_formats: [\"dd-MM-yyyy\"]  # check"), init.text());
        assertTrue(init.text().contains("- \"Engaging\"  # check: found in opportunities.deal_stage, guessed OPPORTUNITY"),
                init.text());
        assertTrue(init.text().contains("- \"Won\"  # check: found in opportunities.deal_stage, guessed WON"), init.text());

        // sales_pipeline.csv: 8 rows. LBY6NAAV's engage_date is NaN: no creation instant.
        // KWVA7VR1's ISO engage date is still read: a timestamp column tries ISO first when no
        // timestamp pattern is set, then the date patterns.
        Checked opps = check(init.config(), CanonicalTable.OPPORTUNITIES, "cast(created_at as string)",
                "cast(close_date as string)", "amount", "stage_name", "owner_id");
        assertEquals(7, opps.accepted().size());
        assertEquals(Map.of("LBY6NAAV", "missing required value: created_at"), opps.reasons());
        // The first header (opportunity_id) is found despite the byte order mark.
        assertEquals("2016-10-20 00:00:00", opps.accepted().get("1C1I7A6R").getString(1));
        assertEquals("2017-03-01", opps.accepted().get("1C1I7A6R").getString(2));
        assertEquals(new BigDecimal("1054.00"), opps.accepted().get("1C1I7A6R").getDecimal(3).setScale(2));
        assertEquals("2016-11-02 00:00:00", opps.accepted().get("KWVA7VR1").getString(1));
        assertNull(opps.accepted().get("ZZY4516Q").get(2));
        assertNull(opps.accepted().get("ZZY4516Q").get(3));
        assertEquals("Darcel Schlecht", opps.accepted().get("Z063OYW0").getString(5));

        Checked users = check(init.config(), CanonicalTable.USERS, "team");
        assertEquals(4, users.accepted().size());
        assertEquals("West", users.accepted().get("Zane Levy").getString(1));
    }

    @Test
    void hubSpotStyleContactsDealsAndOwners() throws Exception {
        Init init = init("hubspot");
        assertTrue(init.text().contains("mql_at: \"Became a Marketing Qualified Lead Date\""), init.text());
        assertTrue(init.text().contains("- \"Contract Sent\"  # check: found in opportunities.Deal Stage, guessed OPPORTUNITY"),
                init.text());

        // contacts.csv: 5 rows, every one with a Create Date.
        Checked leads = check(init.config(), CanonicalTable.LEADS, "status", "cast(mql_at as string)",
                "converted_opportunity_id", "owner_id");
        assertEquals(5, leads.accepted().size());
        assertEquals(Map.of(), leads.reasons());
        assertEquals("2024-01-09 10:00:00", leads.accepted().get("101").getString(2));
        assertEquals("9001", leads.accepted().get("101").getString(3));
        assertNull(leads.accepted().get("104").get(2));

        // deals.csv: 3 rows; owners.csv: 4 rows, 7004 inactive.
        Checked deals = check(init.config(), CanonicalTable.OPPORTUNITIES, "stage_name", "amount");
        assertEquals(3, deals.accepted().size());
        assertEquals(new BigDecimal("8000.00"), deals.accepted().get("9002").getDecimal(2).setScale(2));
        Checked users = check(init.config(), CanonicalTable.USERS, "role", "is_active");
        assertEquals(4, users.accepted().size());
        assertEquals(false, users.accepted().get("7004").getBoolean(2));
    }
}
