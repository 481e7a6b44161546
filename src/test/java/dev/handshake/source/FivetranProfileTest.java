package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.Steps;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.DuckDb;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Salesforce objects as Fivetran lands them (lower snake_case, Fivetran's own columns, fields the
 * audit does not need), read through the fivetran_salesforce profile, must give the same
 * canonical tables as the same facts written canonically. The two fixtures are written by hand,
 * independently of the profile.
 */
class FivetranProfileTest {
    private static final SparkSession SPARK = SharedSpark.get();
    private static final List<CanonicalTable> MAPPED = List.of(CanonicalTable.LEADS, CanonicalTable.OPPORTUNITIES,
            CanonicalTable.OPPORTUNITY_HISTORY, CanonicalTable.USERS, CanonicalTable.ACTIVITIES,
            CanonicalTable.CAMPAIGNS, CanonicalTable.CAMPAIGN_TOUCHES, CanonicalTable.BOOKINGS);

    @TempDir
    Path dir;

    private static void land(Path db, String table, String sql) {
        DuckDb.load(db, new Properties(), table, SPARK.sql(sql));
    }

    private void landFivetranSalesforce(Path db) {
        land(db, "lead", "SELECT * FROM VALUES "
                + "('00Q1', TIMESTAMP'2026-01-10 09:00:00', 'Webinar', 'Acme', 250, 'DE', 'ann.lee@acme.com', 'Converted',"
                + " '0051', DATE'2026-03-05', '0061', false, TIMESTAMP'2026-01-11 10:00:00', 'MM', 'Ann', 'Lee',"
                + " TIMESTAMP'2026-07-01 03:00:00', false, true),"
                + "('00Q2', TIMESTAMP'2026-02-01 12:30:00', 'Paid Search', 'Bolt', 12, 'US', 'bo@bolt.io', 'Working',"
                + " '0052', CAST(NULL AS DATE), CAST(NULL AS STRING), false, CAST(NULL AS TIMESTAMP), 'SMB', 'Bo', 'Ng',"
                + " TIMESTAMP'2026-07-01 03:00:00', false, false),"
                + "('00Q3', TIMESTAMP'2026-02-03 08:15:00', 'Partner', 'Cato', 40, 'FR', 'cy@cato.fr', 'Open',"
                + " '0052', CAST(NULL AS DATE), CAST(NULL AS STRING), true, CAST(NULL AS TIMESTAMP), 'SMB', 'Cy', 'Roy',"
                + " TIMESTAMP'2026-07-01 03:00:00', false, false)"
                + " AS t(id, created_date, lead_source, company, number_of_employees, country, email, status, owner_id,"
                + " converted_date, converted_opportunity_id, is_deleted, mql_date_c, segment_c, first_name, last_name,"
                + " _fivetran_synced, _fivetran_deleted, is_converted)");
        land(db, "opportunity", "SELECT * FROM VALUES "
                + "('0061', '0011', TIMESTAMP'2026-03-05 10:00:00', '0051', 'Closed Won', 12000.5D, 'EUR',"
                + " DATE'2026-04-20', true, true, 'New Business', 'Webinar', '7011', false, 0.9D, 'Acme - New'),"
                + "('0062', '0012', TIMESTAMP'2026-03-09 11:00:00', '0051', 'Prospecting', 800D, 'USD',"
                + " DATE'2026-08-31', false, false, 'New Business', 'Paid Search', CAST(NULL AS STRING), false, 0.1D, 'Bolt')"
                + " AS t(id, account_id, created_date, owner_id, stage_name, amount, currency_iso_code, close_date,"
                + " is_closed, is_won, type, lead_source, campaign_id, is_deleted, probability, name)");
        land(db, "opportunity_history", "SELECT * FROM VALUES "
                + "('0081', '0061', 'Prospecting', 10000D, DATE'2026-04-30', TIMESTAMP'2026-03-05 10:00:00', '0051', 0.1D, false),"
                + "('0082', '0061', 'Closed Won', 12000.5D, DATE'2026-04-20', TIMESTAMP'2026-04-20 15:00:00', '0051', 1.0D, false)"
                + " AS t(id, opportunity_id, stage_name, amount, close_date, created_date, created_by_id, probability, is_deleted)");
        land(db, "\"user\"", "SELECT * FROM VALUES "
                + "('0051', '00E1', 'Sales EMEA', true, 'Ana AE', 'ana@corp.com'),"
                + "('0052', '00E2', 'Sales NA', false, 'Sid SDR', 'sid@corp.com')"
                + " AS t(id, user_role_id, department, is_active, name, email)");
        land(db, "task", "SELECT * FROM VALUES "
                + "('00T1', '00Q1', CAST(NULL AS STRING), '0052', TIMESTAMP'2026-01-12 08:00:00', 'Call', 'Intro call')"
                + " AS t(id, who_id, what_id, owner_id, created_date, task_subtype, subject)");
        land(db, "campaign", "SELECT * FROM VALUES "
                + "('7011', 'Q1 Webinar', 'Webinar', DATE'2026-01-05', 5000D, 6000D)"
                + " AS t(id, name, type, start_date, actual_cost, budgeted_cost)");
        land(db, "campaign_member", "SELECT * FROM VALUES "
                + "('00v1', '7011', '00Q1', CAST(NULL AS STRING), TIMESTAMP'2026-01-10 09:00:00', 'Responded')"
                + " AS t(id, campaign_id, lead_id, contact_id, created_date, status)");
        land(db, "bookings", "SELECT * FROM VALUES "
                + "('B1', '0061', '0011', DATE'2026-04-22', '2026-04', CAST(12000.5 AS DECIMAL(24,6)), 'EUR', 'booked')"
                + " AS t(booking_id, opportunity_id, account_id, booking_date, fiscal_period, amount, currency_code, status)");
    }

    private static Fixture canonical() {
        return new Fixture()
                .row(CanonicalTable.LEADS, "lead_id", "00Q1", "created_at", "2026-01-10T09:00:00Z", "lead_source", "Webinar",
                        "company", "Acme", "company_size", 250, "country", "DE", "email_domain", "acme.com",
                        "status", "Converted", "owner_id", "0051", "converted_at", "2026-03-05T00:00:00Z",
                        "converted_opportunity_id", "0061", "is_deleted", false, "mql_at", "2026-01-11T10:00:00Z",
                        "segment", "MM")
                .row(CanonicalTable.LEADS, "lead_id", "00Q2", "created_at", "2026-02-01T12:30:00Z",
                        "lead_source", "Paid Search", "company", "Bolt", "company_size", 12, "country", "US",
                        "email_domain", "bolt.io", "status", "Working", "owner_id", "0052", "is_deleted", false,
                        "segment", "SMB")
                .row(CanonicalTable.LEADS, "lead_id", "00Q3", "created_at", "2026-02-03T08:15:00Z", "lead_source", "Partner",
                        "company", "Cato", "company_size", 40, "country", "FR", "email_domain", "cato.fr",
                        "status", "Open", "owner_id", "0052", "is_deleted", true, "segment", "SMB")
                .row(CanonicalTable.OPPORTUNITIES, "opportunity_id", "0061", "account_id", "0011",
                        "created_at", "2026-03-05T10:00:00Z", "owner_id", "0051", "stage_name", "Closed Won",
                        "amount", "12000.5", "currency_code", "EUR", "close_date", "2026-04-20", "is_closed", true,
                        "is_won", true, "opportunity_type", "New Business", "lead_source", "Webinar",
                        "campaign_id", "7011", "is_deleted", false)
                .row(CanonicalTable.OPPORTUNITIES, "opportunity_id", "0062", "account_id", "0012",
                        "created_at", "2026-03-09T11:00:00Z", "owner_id", "0051", "stage_name", "Prospecting",
                        "amount", "800", "currency_code", "USD", "close_date", "2026-08-31", "is_closed", false,
                        "is_won", false, "opportunity_type", "New Business", "lead_source", "Paid Search",
                        "is_deleted", false)
                .row(CanonicalTable.OPPORTUNITY_HISTORY, "opportunity_id", "0061", "stage_name", "Prospecting",
                        "amount", "10000", "close_date", "2026-04-30", "changed_at", "2026-03-05T10:00:00Z",
                        "changed_by", "0051")
                .row(CanonicalTable.OPPORTUNITY_HISTORY, "opportunity_id", "0061", "stage_name", "Closed Won",
                        "amount", "12000.5", "close_date", "2026-04-20", "changed_at", "2026-04-20T15:00:00Z",
                        "changed_by", "0051")
                .row(CanonicalTable.USERS, "user_id", "0051", "role", "00E1", "team", "Sales EMEA", "is_active", true)
                .row(CanonicalTable.USERS, "user_id", "0052", "role", "00E2", "team", "Sales NA", "is_active", false)
                .row(CanonicalTable.ACTIVITIES, "activity_id", "00T1", "lead_id", "00Q1", "owner_id", "0052",
                        "activity_at", "2026-01-12T08:00:00Z", "activity_type", "Call")
                .row(CanonicalTable.CAMPAIGNS, "campaign_id", "7011", "name", "Q1 Webinar", "channel", "Webinar",
                        "campaign_type", "Webinar", "start_date", "2026-01-05", "cost", "5000")
                .row(CanonicalTable.CAMPAIGN_TOUCHES, "touch_id", "00v1", "campaign_id", "7011", "lead_id", "00Q1",
                        "touched_at", "2026-01-10T09:00:00Z", "touch_type", "Responded")
                .row(CanonicalTable.BOOKINGS, "booking_id", "B1", "opportunity_id", "0061", "account_id", "0011",
                        "booking_date", "2026-04-22", "fiscal_period", "2026-04", "amount", "12000.5",
                        "currency_code", "EUR", "status", "booked");
    }

    @Test
    void theProfileOnFivetranShapedTablesGivesTheCanonicalTables() throws Exception {
        Path db = dir.resolve("fivetran.duckdb");
        landFivetranSalesforce(db);
        canonical().writeParquet(SPARK, dir.resolve("canonical"));

        Path yaml = dir.resolve("fivetran.yaml");
        Files.writeString(yaml, "source:\n  type: jdbc\n  profile: fivetran_salesforce\n  jdbc:\n"
                + "    url: \"" + DuckDb.url(db) + "\"\n  tables:\n"
                + "    leads: { columns: { mql_at: mql_date_c, segment: segment_c } }\n");
        AuditConfig fivetran = ConfigLoader.load(yaml);
        Warehouse warehouse = Warehouse.connect("source.jdbc", fivetran.source().warehouse(), SecretSource.system(), "t");
        InputLoader.Loaded viaProfile = InputLoader.load(new JdbcTableSource(SPARK, fivetran.source(), warehouse,
                Optional.empty()), fivetran.source(), new Steps());
        SourceSettings files = new SourceSettings(SourceType.LOCAL, dir.resolve("canonical"), FileFormat.PARQUET, Map.of());
        InputLoader.Loaded canonical = InputLoader.load(new LocalFileSource(SPARK, files), files, new Steps());
        try {
            for (CanonicalTable t : MAPPED) {
                Dataset<Row> a = viaProfile.inputs().table(t);
                Dataset<Row> b = canonical.inputs().table(t);
                assertEquals(b.count(), a.count(), t.tableName());
                assertEquals(0, a.exceptAll(b).count(), t.tableName() + ": rows only the profile produced");
                assertEquals(0, b.exceptAll(a).count(), t.tableName() + ": rows the profile lost");
            }
            assertEquals(3, viaProfile.inputs().table(CanonicalTable.LEADS).count(), "not two empty tables");
            assertEquals(0, viaProfile.quarantine().count());
            assertTrue(viaProfile.inputs().optional(CanonicalTable.LEAD_STATUS_HISTORY).isEmpty(),
                    "LeadHistory needs a view; without it the table is absent, not guessed");
            TableCount leads = viaProfile.counts().stream().filter(c -> c.table().equals("leads")).findFirst().orElseThrow();
            assertEquals(1, leads.rowsDeleted());
        } finally {
            viaProfile.release();
            canonical.release();
        }
    }

    /** A table of Fivetran CSV files below the root, one directory per Salesforce object. */
    private void landFile(String object, String csv) throws Exception {
        Path file = dir.resolve("landing").resolve(object).resolve(object + ".csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    private static TableCount count(InputLoader.Loaded loaded, CanonicalTable table) {
        return loaded.counts().stream().filter(c -> c.table().equals(table.tableName())).findFirst().orElseThrow();
    }

    private static List<String> values(Dataset<Row> rows, String... columns) {
        return rows.selectExpr("concat_ws('|', " + String.join(", ", columns) + ") AS v").orderBy("v")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    /**
     * opportunity, history mode (no _fivetran_deleted: the option to drop it was taken):
     * 0061 three versions, one per stage, only v3 (Closed Won) active; 0062 two versions, the
     * second only changes the amount, v2 active; 0063 v1 inactive, v2 active with is_deleted
     * (deleted in Salesforce after its creation); 0064 two versions, neither active: deleted in
     * Salesforce and purged, so Fivetran ended its last version (Negotiation) on 04-01.
     */
    private void landHistoryModeOpportunity() throws Exception {
        landFile("opportunity", """
                id,created_date,stage_name,amount,is_deleted,last_modified_by_id,_fivetran_start,_fivetran_end,_fivetran_active,_fivetran_synced
                0061,2026-03-05T10:00:00Z,Prospecting,10000,false,0051,2026-03-05T10:00:00Z,2026-03-20T09:59:59.999Z,false,2026-04-21T03:00:00Z
                0061,2026-03-05T10:00:00Z,Negotiation,10000,false,0052,2026-03-20T10:00:00Z,2026-04-20T14:59:59.999Z,false,2026-04-21T03:00:00Z
                0061,2026-03-05T10:00:00Z,Closed Won,12000.5,false,0051,2026-04-20T15:00:00Z,9999-12-31T23:59:59.999Z,true,2026-04-21T03:00:00Z
                0062,2026-03-09T11:00:00Z,Prospecting,800,false,0051,2026-03-09T11:00:00Z,2026-03-15T11:59:59.999Z,false,2026-04-21T03:00:00Z
                0062,2026-03-09T11:00:00Z,Prospecting,950,false,0051,2026-03-15T12:00:00Z,9999-12-31T23:59:59.999Z,true,2026-04-21T03:00:00Z
                0063,2026-03-10T11:00:00Z,Prospecting,500,false,0051,2026-03-10T11:00:00Z,2026-03-12T08:59:59.999Z,false,2026-04-21T03:00:00Z
                0063,2026-03-10T11:00:00Z,Prospecting,500,true,0051,2026-03-12T09:00:00Z,9999-12-31T23:59:59.999Z,true,2026-04-21T03:00:00Z
                0064,2026-03-11T11:00:00Z,Prospecting,700,false,0051,2026-03-11T11:00:00Z,2026-03-14T08:59:59.999Z,false,2026-04-21T03:00:00Z
                0064,2026-03-11T11:00:00Z,Negotiation,700,false,0051,2026-03-14T09:00:00Z,2026-04-01T10:00:00.000Z,false,2026-04-21T03:00:00Z
                """);
    }

    private InputLoader.Loaded loadLanding() throws Exception {
        Path yaml = dir.resolve("landing.yaml");
        Files.writeString(yaml, "source:\n  type: local\n  root: " + dir.resolve("landing")
                + "\n  format: csv\n  profile: fivetran_salesforce\n");
        AuditConfig c = ConfigLoader.load(yaml);
        return InputLoader.load(new LocalFileSource(SPARK, c.source()), c.source(), new Steps());
    }

    @Test
    void withoutOpportunityHistoryTheStageChangesComeFromTheOpportunityVersions() throws Exception {
        landFile("lead", """
                id,created_date
                00Q1,2026-01-10T09:00:00Z
                """);
        landHistoryModeOpportunity();
        // No opportunity_history landed. One row per version whose stage differs from the one before:
        //   0061 v1 Prospecting (first), v2 Negotiation, v3 Closed Won -> 3 rows, at each _fivetran_start;
        //   0062 v1 Prospecting (first); v2 changes the amount only -> 1 row;
        //   0063 v1 Prospecting (first); v2 is deleted -> left out -> 1 row;
        //   0064 has no active version (deleted in the source) -> its history is not read.
        //   opportunity_history: read 5, accepted 5, deleted 0.
        InputLoader.Loaded loaded = loadLanding();
        try {
            assertEquals(0, loaded.quarantine().count());
            assertEquals(new TableCount("opportunity_history", true, 5, 5, 0, 0),
                    count(loaded, CanonicalTable.OPPORTUNITY_HISTORY));
            assertEquals(List.of(
                            "0061|Closed Won|2026-04-20 15:00:00|12000.50|0051",
                            "0061|Negotiation|2026-03-20 10:00:00|10000.00|0052",
                            "0061|Prospecting|2026-03-05 10:00:00|10000.00|0051",
                            "0062|Prospecting|2026-03-09 11:00:00|800.00|0051",
                            "0063|Prospecting|2026-03-10 11:00:00|500.00|0051"),
                    values(loaded.inputs().table(CanonicalTable.OPPORTUNITY_HISTORY), "opportunity_id", "stage_name",
                            "date_format(changed_at, 'yyyy-MM-dd HH:mm:ss')", "format_number(amount, '0.00')",
                            "changed_by"));
            // 0061, 0062, 0063 active; 0064's last version read as deleted: read 4, deleted 2 (0063, 0064).
            assertEquals(new TableCount("opportunities", true, 4, 4, 0, 2), count(loaded, CanonicalTable.OPPORTUNITIES));
        } finally {
            loaded.release();
        }
    }

    @Test
    void deletedRowsAndPastVersionsOfAFivetranLandingAreReadAsTheViewsReadThem() throws Exception {
        // lead, soft-delete mode: Salesforce's is_deleted and Fivetran's _fivetran_deleted.
        //   00Q1 neither -> live; 00Q2 is_deleted (recycle bin) -> deleted; 00Q3 _fivetran_deleted
        //   (hard-deleted, marked by Fivetran) -> deleted; 00Q4 both empty -> live.
        //   leads: read 4, accepted 4, deleted 2 (00Q2, 00Q3): accepted, excluded by the audits.
        landFile("lead", """
                id,created_date,status,is_deleted,_fivetran_deleted,_fivetran_synced
                00Q1,2026-01-10T09:00:00Z,Working,false,false,2026-07-01T03:00:00Z
                00Q2,2026-01-11T09:00:00Z,Open,true,false,2026-07-01T03:00:00Z
                00Q3,2026-01-12T09:00:00Z,Open,false,true,2026-07-01T03:00:00Z
                00Q4,2026-01-13T09:00:00Z,Open,,,2026-07-01T03:00:00Z
                """);
        // opportunity: history mode (landHistoryModeOpportunity). opportunities: read 4 (the three
        //   active versions and 0064's last one), accepted 4, deleted 2 (0063 marked, 0064 gone from
        //   the source). Reading every version would give 0061 three and 0062, 0063, 0064 two
        //   disagreeing copies of their key: all nine quarantined.
        landHistoryModeOpportunity();
        // opportunity_history (Salesforce's OpportunityHistory object), soft-delete mode; the canonical
        // table has no is_deleted column, so deleted rows are set apart before the contract:
        //   h1, h2 live; h3 is_deleted; h4 _fivetran_deleted.
        //   read 4, accepted 4, deleted 2 (h3, h4); the audits see h1 and h2 only.
        landFile("opportunity_history", """
                id,opportunity_id,stage_name,created_date,created_by_id,is_deleted,_fivetran_deleted
                h1,0061,Prospecting,2026-03-05T10:00:00Z,0051,false,false
                h2,0061,Closed Won,2026-04-20T15:00:00Z,0051,false,false
                h3,0062,Prospecting,2026-03-09T11:00:00Z,0051,true,false
                h4,0062,Negotiation,2026-03-15T11:00:00Z,0051,false,true
                """);
        // campaign with neither column: every row kept; read 2, accepted 2, deleted 0.
        landFile("campaign", """
                id,name
                7011,Q1 Webinar
                7012,Q2 Webinar
                """);
        InputLoader.Loaded loaded = loadLanding();
        try {
            assertEquals(0, loaded.quarantine().count());
            assertEquals(new TableCount("leads", true, 4, 4, 0, 2), count(loaded, CanonicalTable.LEADS));
            assertEquals(List.of("00Q1|false", "00Q2|true", "00Q3|true", "00Q4"),
                    values(loaded.inputs().table(CanonicalTable.LEADS), "lead_id", "is_deleted"));
            assertEquals(new TableCount("opportunities", true, 4, 4, 0, 2), count(loaded, CanonicalTable.OPPORTUNITIES));
            assertEquals(List.of("0061|Closed Won|false", "0062|Prospecting|false", "0063|Prospecting|true",
                            "0064|Negotiation|true"),
                    values(loaded.inputs().table(CanonicalTable.OPPORTUNITIES), "opportunity_id", "stage_name",
                            "is_deleted"));
            assertEquals(new TableCount("opportunity_history", true, 4, 4, 0, 2),
                    count(loaded, CanonicalTable.OPPORTUNITY_HISTORY));
            assertEquals(List.of("0061|Closed Won", "0061|Prospecting"),
                    values(loaded.inputs().table(CanonicalTable.OPPORTUNITY_HISTORY), "opportunity_id", "stage_name"));
            assertEquals(new TableCount("campaigns", true, 2, 2, 0, 0), count(loaded, CanonicalTable.CAMPAIGNS));
        } finally {
            loaded.release();
        }
    }
}
