package dev.handshake.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.config.SqlIdentifier;
import dev.handshake.config.WarehouseSettings;
import dev.handshake.testing.DuckDb;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials reach the driver and nothing else; names reach SQL only quoted. */
class WarehouseTest {
    private static final SparkSession SPARK = SharedSpark.get();
    private static final String PASSPHRASE = "key-pass-5d1e-never-shown";

    @TempDir
    Path dir;

    private WarehouseSettings snowflake(WarehouseSettings.Auth auth) {
        return new WarehouseSettings("jdbc:snowflake://acme-prod.snowflakecomputing.com/",
                WarehouseSettings.Kind.SNOWFLAKE, "AUDIT_SVC", new SqlIdentifier("AUDIT_READER"),
                new SqlIdentifier("AUDIT_WH"), new SqlIdentifier("RAW"), new SqlIdentifier("salesforce"), auth, 5000, true);
    }

    @Test
    void keyPairHandsThePassphraseToTheDriverOnlyAndTagsTheSession() throws Exception {
        Path key = Files.writeString(dir.resolve("rsa_key.p8"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        Warehouse w = Warehouse.connect("source.jdbc", snowflake(new WarehouseSettings.Auth.KeyPair(key, "KEY_PASS")),
                name -> name.equals("KEY_PASS") ? Optional.of(PASSPHRASE) : Optional.empty(), "handshake-audit run_id=r1 as_of=2026-06-30");
        assertEquals(PASSPHRASE, w.sparkOptions().get("private_key_pwd"));
        assertEquals(key.toString(), w.sparkOptions().get("private_key_file"));
        assertEquals("SNOWFLAKE_JWT", w.sparkOptions().get("authenticator"));
        assertEquals("handshake-audit run_id=r1 as_of=2026-06-30", w.sparkOptions().get("query_tag"));
        assertEquals("AUDIT_READER", w.sparkOptions().get("role"));
        assertEquals("UTC", w.sparkOptions().get("TIMEZONE"));
        assertFalse(w.toString().contains(PASSPHRASE));
        assertFalse(w.describe().contains(PASSPHRASE));
        assertEquals("snowflake database RAW schema salesforce", w.describe());
    }

    @Test
    void oauthAndPasswordComeFromTheirVariables() {
        Warehouse oauth = Warehouse.connect("source.jdbc", snowflake(new WarehouseSettings.Auth.OAuth("SF_TOKEN", null)),
                name -> Optional.of("tok-" + name), "t");
        assertEquals("oauth", oauth.sparkOptions().get("authenticator"));
        assertEquals("tok-SF_TOKEN", oauth.sparkOptions().get("token"));
        Warehouse password = Warehouse.connect("source.jdbc", snowflake(new WarehouseSettings.Auth.Password("SF_PW")),
                name -> Optional.of("pw-" + name), "t");
        assertEquals("pw-SF_PW", password.sparkOptions().get("password"));
    }

    @Test
    void aMissingSecretNamesTheKeyAndTheVariable() throws Exception {
        Path key = Files.writeString(dir.resolve("k.p8"), "x");
        AuditException e = assertThrows(AuditException.class, () -> Warehouse.connect("output.jdbc",
                snowflake(new WarehouseSettings.Auth.KeyPair(key, "KEY_PASS")), name -> Optional.empty(), "t"));
        assertEquals("configuration key 'output.jdbc.auth.private_key_passphrase_env': environment variable KEY_PASS "
                + "is not set. Fix: set KEY_PASS in the job's environment (e.g. from your secret manager)", e.getMessage());
        AuditException noFile = assertThrows(AuditException.class, () -> Warehouse.connect("source.jdbc",
                snowflake(new WarehouseSettings.Auth.KeyPair(dir.resolve("absent.p8"), null)), name -> Optional.empty(), "t"));
        assertTrue(noFile.getMessage().startsWith("configuration key 'source.jdbc.auth.private_key_file'"));
    }

    @Test
    void snowflakeNamesAreStoredUpperCaseAndAlwaysQuoted() {
        Warehouse w = Warehouse.connect("source.jdbc", snowflake(new WarehouseSettings.Auth.Password("P")),
                name -> Optional.of("x"), "t");
        assertEquals("\"SALESFORCE\".\"USER\"", w.qualified(new SqlIdentifier("user")));
        assertThrows(IllegalArgumentException.class, () -> w.quote("user\"; DROP TABLE x; --"));
    }

    @Test
    void sparkPlansShowNoPassword() {
        Path db = dir.resolve("w.duckdb");
        java.util.Properties p = new java.util.Properties();
        p.setProperty("password", PASSPHRASE);
        DuckDb.execute(db, p, "CREATE TABLE leads AS SELECT 'L1' AS lead_id");
        WarehouseSettings s = new WarehouseSettings(DuckDb.url(db), WarehouseSettings.Kind.GENERIC, null, null, null,
                null, null, new WarehouseSettings.Auth.Password("PW"), 100, true);
        Warehouse.install(SPARK);
        Warehouse w = Warehouse.connect("source.jdbc", s, name -> Optional.of(PASSPHRASE), "t");
        Dataset<Row> rows = SPARK.read().format("jdbc").options(w.sparkOptions()).option("dbtable", "leads").load();
        assertEquals(1, rows.count(), "the password did reach the driver");
        String plans = rows.queryExecution().toString() + rows.queryExecution().explainString(
                org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
        assertTrue(plans.contains("leads") || plans.contains("JDBCRelation"), plans);
        assertFalse(plans.contains(PASSPHRASE), plans);
    }

    @Test
    void theSnowflakeDriverTheOptionsNameShipsWithTheJob() throws Exception {
        Warehouse w = Warehouse.connect("source.jdbc", snowflake(new WarehouseSettings.Auth.Password("P")),
                name -> Optional.of("x"), "t");
        Class<?> driver = Class.forName(w.sparkOptions().get("driver"));
        assertTrue(java.sql.Driver.class.isAssignableFrom(driver), driver.getName());
    }
}
