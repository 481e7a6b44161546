package dev.handshake.jdbc;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.config.SqlIdentifier;
import dev.handshake.config.WarehouseSettings;
import dev.handshake.config.WarehouseSettings.Auth;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.jdbc.JdbcDialect;
import org.apache.spark.sql.jdbc.JdbcDialects;

/**
 * An open-able warehouse: the connection options (secrets resolved, held only here), identifier
 * quoting, and the few metadata look-ups the source and sink need. Its {@code toString} and every
 * message it builds name where it connects, never a credential.
 */
public final class Warehouse {
    /** Spark redacts JDBC options matching this in plans and logs; Snowflake's key passphrase is "pwd". */
    static final String REDACTION = "(?i)url|secret|password|pwd|passphrase|token|private_key";

    private final WarehouseSettings settings;
    private final Map<String, String> options;
    private final JdbcDialect dialect;

    private Warehouse(WarehouseSettings settings, Map<String, String> options) {
        this.settings = settings;
        this.options = Map.copyOf(options);
        this.dialect = JdbcDialects.get(settings.url());
    }

    /**
     * Registers the Snowflake dialect and widens Spark's option redaction. Called at start-up,
     * before any plan holding connection options is built.
     */
    public static void install(SparkSession spark) {
        JdbcDialects.registerDialect(SnowflakeDialect.INSTANCE);
        spark.conf().set("spark.sql.redaction.options.regex", REDACTION);
    }

    /**
     * Resolves the credentials named by {@code settings} (from {@code secrets}) into connection
     * options. {@code key} is the configuration key of the connection, for error messages.
     */
    public static Warehouse connect(String key, WarehouseSettings settings, SecretSource secrets, String queryTag) {
        requireNonNull(settings, "settings is null");
        requireNonNull(secrets, "secrets is null");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("url", settings.url());
        if (settings.user() != null) {
            o.put("user", settings.user());
        }
        if (settings.kind() == WarehouseSettings.Kind.SNOWFLAKE) {
            o.put("driver", "net.snowflake.client.api.driver.SnowflakeDriver");
            put(o, "role", settings.role());
            put(o, "warehouse", settings.warehouse());
            put(o, "db", settings.database());
            put(o, "schema", settings.schema());
            // Session parameters: instants are UTC on both sides, and every statement is tagged
            // with the job and run so the warehouse's query history tells whose load it is.
            o.put("TIMEZONE", "UTC");
            o.put("JDBC_TREAT_TIMESTAMP_NTZ_AS_UTC", "true");
            o.put("query_tag", queryTag);
        }
        Auth auth = settings.auth();
        if (auth instanceof Auth.KeyPair k) {
            if (!Files.isReadable(k.privateKeyFile())) {
                throw AuditException.config(key + ".auth.private_key_file", "file " + k.privateKeyFile()
                        + " does not exist or is not readable", "point it at the service user's PKCS#8 key file");
            }
            o.put("authenticator", "SNOWFLAKE_JWT");
            o.put("private_key_file", k.privateKeyFile().toString());
            if (k.passphraseEnv() != null) {
                o.put("private_key_pwd", env(secrets, key + ".auth.private_key_passphrase_env", k.passphraseEnv()));
            }
        } else if (auth instanceof Auth.OAuth t) {
            o.put("authenticator", "oauth");
            o.put("token", t.tokenEnv() != null ? env(secrets, key + ".auth.token_env", t.tokenEnv())
                    : tokenFile(key, t));
        } else if (auth instanceof Auth.Password p) {
            o.put("password", env(secrets, key + ".auth.password_env", p.passwordEnv()));
        }
        return new Warehouse(settings, o);
    }

    private static void put(Map<String, String> o, String name, SqlIdentifier value) {
        if (value != null) {
            o.put(name, value.name());
        }
    }

    private static String env(SecretSource secrets, String key, String name) {
        return secrets.env(name).orElseThrow(() -> AuditException.config(key,
                "environment variable " + name + " is not set",
                "set " + name + " in the job's environment (e.g. from your secret manager)"));
    }

    private static String tokenFile(String key, Auth.OAuth t) {
        try {
            return Files.readString(t.tokenFile()).strip();
        } catch (IOException e) {
            throw AuditException.config(key + ".auth.token_file", "file " + t.tokenFile() + " cannot be read",
                    "point it at the file your token refresher writes");
        }
    }

    public WarehouseSettings settings() {
        return settings;
    }

    /** Options for Spark's JDBC data source. They hold secrets: pass them to Spark, never print them. */
    public Map<String, String> sparkOptions() {
        return options;
    }

    public Connection open() throws SQLException {
        Properties p = new Properties();
        options.forEach((k, v) -> {
            if (!k.equals("url") && !k.equals("driver")) {
                p.setProperty(k, v);
            }
        });
        if (options.containsKey("driver")) {
            try {
                Class.forName(options.get("driver"));
            } catch (ClassNotFoundException e) {
                throw new SQLException("JDBC driver " + options.get("driver") + " is not on the class path", e);
            }
        }
        return DriverManager.getConnection(settings.url(), p);
    }

    /** The name as the warehouse stores an unquoted identifier (Snowflake: upper case). */
    public String normalize(String name) {
        return settings.kind() == WarehouseSettings.Kind.SNOWFLAKE ? name.toUpperCase(Locale.ROOT) : name;
    }

    public String quote(String validatedName) {
        return dialect.quoteIdentifier(normalize(new SqlIdentifier(validatedName).name()));
    }

    /** {@code "SCHEMA"."TABLE"} (or just the table): built from validated identifiers only. */
    public String qualified(SqlIdentifier table) {
        String t = quote(table.name());
        return settings.schemaName().map(s -> quote(s.name()) + "." + t).orElse(t);
    }

    public boolean tableExists(SqlIdentifier table) throws SQLException {
        try (Connection c = open()) {
            return !tables(c, table.name()).isEmpty();
        }
    }

    /** Names of tables and views in the configured schema whose name is, or (with %) matches, the pattern. */
    public List<String> tables(Connection c, String pattern) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        boolean snowflake = settings.kind() == WarehouseSettings.Kind.SNOWFLAKE;
        String catalog = snowflake && settings.database() != null ? normalize(settings.database().name()) : null;
        String schema = settings.schemaName().map(s -> normalize(s.name())).orElse(null);
        List<String> found = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, schema, null, new String[] {"TABLE", "VIEW", "BASE TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (matches(name, normalize(pattern))) {
                    found.add(name);
                }
            }
        }
        return found;
    }

    /** Exact name for Snowflake (names are stored normalised), case-insensitive elsewhere; % is a prefix wildcard. */
    private boolean matches(String name, String pattern) {
        boolean snowflake = settings.kind() == WarehouseSettings.Kind.SNOWFLAKE;
        if (pattern.endsWith("%")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            return snowflake ? name.startsWith(prefix)
                    : name.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
        }
        return snowflake ? name.equals(pattern) : name.equalsIgnoreCase(pattern);
    }

    public String describe() {
        return settings.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
