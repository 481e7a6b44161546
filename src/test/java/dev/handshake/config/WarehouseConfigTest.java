package dev.handshake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The warehouse keys: identifiers that reach SQL, credentials that must not be in the file, profiles. */
class WarehouseConfigTest {
    @TempDir
    Path dir;

    private AuditConfig load(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    private AuditException fails(String yaml) {
        return assertThrows(AuditException.class, () -> load(yaml));
    }

    private static String jdbcSource(String tables) {
        return "source:\n  type: jdbc\n  jdbc:\n    url: jdbc:duckdb:/tmp/w.db\n  tables:\n" + tables;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lead; DROP TABLE lead", "lead\\\"--", "crm.lead", "lead lead", "1lead", "lead/*x*/",
            "lead'"})
    void tableNamesThatAreNotPlainIdentifiersAreRejectedNamingTheKey(String name) {
        AuditException e = fails(jdbcSource("    leads: { path: \"" + name + "\" }\n"));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertTrue(e.getMessage().startsWith("configuration key 'source.tables.leads.path'"), e.getMessage());
        assertTrue(e.getMessage().contains("not a plain SQL identifier"), e.getMessage());
    }

    @Test
    void columnAndPartitionNamesAreIdentifiersToo() {
        AuditException column = fails(jdbcSource("    leads: { columns: { lead_id: \"id) FROM x; --\" } }\n"));
        assertTrue(column.getMessage().contains("'source.tables.leads.columns.lead_id'"), column.getMessage());
        AuditException partition = fails(jdbcSource(
                "    activities: { partition_column: \"activity_at OR 1=1\", partitions: 4 }\n"));
        assertTrue(partition.getMessage().contains("'source.tables.activities.partition_column'"), partition.getMessage());
    }

    @Test
    void schemaNamesFromConfigurationAreValidated() {
        AuditException e = fails("source: { type: local, root: in }\noutput:\n  type: jdbc\n  jdbc:\n"
                + "    url: jdbc:duckdb:/tmp/w.db\n    schema: 'audit\"; DROP SCHEMA audit; --'\n");
        assertTrue(e.getMessage().startsWith("configuration key 'output.jdbc.schema'"), e.getMessage());
        AuditException snowflake = fails("source:\n  type: jdbc\n  jdbc: { account: acme-prod, user: AUDIT_SVC, "
                + "database: RAW, schema: \"SALESFORCE.PUBLIC\", auth: { method: key_pair, private_key_file: k.p8 } }\n");
        assertTrue(snowflake.getMessage().startsWith("configuration key 'source.jdbc.schema'"), snowflake.getMessage());
    }

    @Test
    void plainIdentifiersIncludingReservedWordsAreAccepted() throws IOException {
        AuditConfig c = load(jdbcSource("    users: { path: user, partition_column: created_date, partitions: 4 }\n")
                + "output:\n  type: jdbc\n  jdbc: { url: \"jdbc:duckdb:/tmp/w.db\", schema: HANDSHAKE_AUDIT }\n");
        assertEquals("user", c.source().mapping(CanonicalTable.USERS).path());
        assertEquals(4, c.source().mapping(CanonicalTable.USERS).partitions());
        assertEquals("HANDSHAKE_AUDIT", c.outputToWarehouse().orElseThrow().schema().name());
        assertEquals(WarehouseSettings.Kind.GENERIC, c.source().warehouse().kind());
    }

    @Test
    void aCredentialInTheUrlIsRefusedWithoutEchoingIt() {
        AuditException e = fails("source:\n  type: jdbc\n  jdbc:\n"
                + "    url: \"jdbc:snowflake://acme.snowflakecomputing.com/?user=a&password=hunter2-xyz\"\n");
        assertTrue(e.getMessage().startsWith("configuration key 'source.jdbc.url'"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2-xyz"), e.getMessage());
    }

    @Test
    void snowflakeIsBuiltFromTheAccountWithKeyPairAsTheDefault() throws IOException {
        AuditConfig c = load("source:\n  type: jdbc\n  jdbc: { account: acme-prod, user: AUDIT_SVC, role: AUDIT_READER, "
                + "warehouse: AUDIT_WH, database: RAW, schema: SALESFORCE,\n"
                + "          auth: { private_key_file: /secrets/rsa_key.p8, private_key_passphrase_env: SF_KEY_PASS } }\n");
        WarehouseSettings w = c.source().warehouse();
        assertEquals(SourceType.JDBC, c.source().type());
        assertEquals("jdbc:snowflake://acme-prod.snowflakecomputing.com/", w.url());
        assertEquals(WarehouseSettings.Kind.SNOWFLAKE, w.kind());
        assertEquals(new WarehouseSettings.Auth.KeyPair(Path.of("/secrets/rsa_key.p8"), "SF_KEY_PASS"), w.auth());
        assertEquals("AUDIT_READER", w.role().name());
    }

    @Test
    void authKeysAreCheckedAgainstTheMethod() {
        AuditException noKey = fails("source:\n  type: jdbc\n  jdbc: { account: acme, user: U, database: D, "
                + "auth: { method: key_pair } }\n");
        assertTrue(noKey.getMessage().startsWith("configuration key 'source.jdbc.auth.private_key_file'"), noKey.getMessage());
        AuditException secretInFile = fails("source:\n  type: jdbc\n  jdbc: { account: acme, user: U, database: D, "
                + "auth: { method: password, password_env: \"s3cr3t value!\" } }\n");
        assertTrue(secretInFile.getMessage().startsWith("configuration key 'source.jdbc.auth.password_env'"),
                secretInFile.getMessage());
        assertFalse(secretInFile.getMessage().contains("s3cr3t value!"), "a pasted secret is not echoed");
        AuditException mixed = fails("source:\n  type: jdbc\n  jdbc: { account: acme, user: U, database: D, "
                + "auth: { method: oauth, token_env: SF_TOKEN, password_env: SF_PW } }\n");
        assertTrue(mixed.getMessage().startsWith("configuration key 'source.jdbc.auth.password_env'"), mixed.getMessage());
        AuditException unknown = fails("source:\n  type: jdbc\n  jdbc: { account: acme, user: U, database: D, "
                + "auth: { method: saml } }\n");
        assertTrue(unknown.getMessage().contains("key_pair, oauth, password, none"), unknown.getMessage());
    }

    @Test
    void theFivetranProfileIsLaidUnderTheFilesOwnMappingColumnByColumn() throws IOException {
        AuditConfig c = load("source:\n  type: jdbc\n  profile: fivetran_salesforce\n  jdbc:\n"
                + "    url: jdbc:duckdb:/tmp/w.db\n  tables:\n    leads: { columns: { mql_at: mql_date_c } }\n"
                + "    bookings: { path: erp_bookings }\n");
        AuditConfig.TableMapping leads = c.source().mapping(CanonicalTable.LEADS);
        assertEquals("lead", leads.path());
        assertEquals("id", leads.sourceColumn("lead_id"));
        assertEquals("created_date", leads.sourceColumn("created_at"));
        assertEquals("mql_date_c", leads.sourceColumn("mql_at"));
        assertEquals("user", c.source().mapping(CanonicalTable.USERS).path());
        assertEquals("erp_bookings", c.source().mapping(CanonicalTable.BOOKINGS).path());
        assertEquals("lead_status_history", c.source().mapping(CanonicalTable.LEAD_STATUS_HISTORY).path(),
                "a table the profile cannot map keeps its canonical name (a view)");
    }

    @Test
    void anUnknownProfileNamesTheKeyAndTheShippedOnes() {
        AuditException e = fails("source: { type: local, root: in, profile: hubspot }\n");
        assertTrue(e.getMessage().startsWith("configuration key 'source.profile'"), e.getMessage());
        assertTrue(e.getMessage().contains("generic, fivetran_salesforce"), e.getMessage());
    }

    @Test
    void warehouseKeysOnALocalSourceAreAMistake() {
        AuditException e = fails("source: { type: local, root: in, tables: { activities: { partitions: 4 } } }\n");
        assertTrue(e.getMessage().startsWith("configuration key 'source.tables.activities.partition_column'"), e.getMessage());
    }

    @Test
    void theShippedSnowflakeExampleLoads() {
        AuditConfig c = ConfigLoader.load(Path.of("conf/snowflake.yaml"));
        assertEquals(WarehouseSettings.Kind.SNOWFLAKE, c.source().warehouse().kind());
        assertTrue(c.source().warehouse().auth() instanceof WarehouseSettings.Auth.KeyPair);
        assertEquals("HANDSHAKE_AUDIT", c.outputToWarehouse().orElseThrow().schema().name());
        assertEquals("opportunity", c.source().mapping(CanonicalTable.OPPORTUNITIES).path());
        assertEquals("loss_reason_c", c.source().mapping(CanonicalTable.OPPORTUNITIES).sourceColumn("loss_reason"));
        assertEquals("id", c.source().mapping(CanonicalTable.OPPORTUNITIES).sourceColumn("opportunity_id"));
        assertEquals(8, c.source().mapping(CanonicalTable.ACTIVITIES).partitions());
        assertEquals("task", c.source().mapping(CanonicalTable.ACTIVITIES).path());
    }
}
