package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;

import dev.handshake.AuditException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code output.type}, {@code output.jdbc} and {@code source.jdbc} sections (docs/warehouse.md):
 * a connection, its credentials' source and the identifiers it uses, validated once.
 */
final class WarehouseSection {
    private WarehouseSection() {}

    /** The output warehouse, or null when the tables are written as files. */
    static WarehouseSettings output(ConfigFile.Output raw) {
        String type = raw == null || raw.type() == null ? "files" : raw.type();
        check(type.equals("files") || type.equals("jdbc"), "output.type", "'" + type + "' is not supported",
                "use files (Parquet under output.root) or jdbc (tables in output.jdbc)");
        if (type.equals("files")) {
            check(raw == null || raw.jdbc() == null, "output.jdbc", "is set but output.type is files",
                    "set output.type: jdbc, or remove output.jdbc");
            return null;
        }
        check(raw.jdbc() != null, "output.jdbc", "is missing",
                "add the connection of the schema the audit tables are written to (url or account, "
                        + "database, schema, auth)");
        WarehouseSettings w = connection("output.jdbc", raw.jdbc());
        check(w.schema() != null || w.kind() == WarehouseSettings.Kind.GENERIC, "output.jdbc.schema",
                "is missing", "name the schema the audit tables are created in, e.g. HANDSHAKE_AUDIT");
        return w;
    }

    /** A warehouse connection ({@code source.jdbc} or {@code output.jdbc}), named by {@code key} in errors. */
    static WarehouseSettings connection(String key, ConfigFile.Jdbc raw) {
        String url;
        WarehouseSettings.Kind kind;
        if (raw.url() != null) {
            check(raw.url().startsWith("jdbc:"), key + ".url", "must start with jdbc:",
                    "e.g. jdbc:snowflake://<account>.snowflakecomputing.com/ or your driver's URL");
            // A credential in the URL would end up in logs and plans; it is refused outright
            // (without echoing the URL, which may hold it).
            check(!dev.handshake.Credentials.inJdbcUrl(raw.url()), key + ".url", "contains a credential "
                    + "(a password as user:password@ or Oracle's user/password@, or a parameter named like "
                    + "password, pwd, secret, token or key)",
                    "remove it from the URL and use " + key + ".auth (the secret comes from the environment)");
            check(raw.account() == null, key + ".account", "is set together with " + key + ".url",
                    "set one of them: account builds the Snowflake URL");
            url = raw.url();
            kind = url.startsWith("jdbc:snowflake:") ? WarehouseSettings.Kind.SNOWFLAKE : WarehouseSettings.Kind.GENERIC;
        } else {
            check(raw.account() != null, key + ".account", "is missing",
                    "set the Snowflake account identifier (e.g. myorg-myaccount), or " + key + ".url");
            check(raw.account().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}"), key + ".account",
                    "'" + raw.account() + "' is not an account identifier",
                    "use the <orgname>-<account_name> form, letters, digits, '-', '_' and '.' only");
            url = "jdbc:snowflake://" + raw.account() + ".snowflakecomputing.com/";
            kind = WarehouseSettings.Kind.SNOWFLAKE;
        }
        boolean snowflake = kind == WarehouseSettings.Kind.SNOWFLAKE;
        if (snowflake) {
            check(raw.user() != null && !raw.user().isBlank(), key + ".user", "is missing",
                    "name the Snowflake service user the job connects as");
            check(raw.database() != null, key + ".database", "is missing", "name the database");
        } else {
            for (String field : List.of("role", "warehouse")) {
                check((field.equals("role") ? raw.role() : raw.warehouse()) == null, key + "." + field,
                        "only applies to Snowflake", "remove it, or use a jdbc:snowflake: URL");
            }
        }
        int fetchSize = raw.fetchSize() == null ? 10_000 : raw.fetchSize();
        check(fetchSize >= 1 && fetchSize <= 1_000_000, key + ".fetch_size",
                "must be between 1 and 1000000, got " + fetchSize, null);
        return new WarehouseSettings(url, kind, raw.user(),
                raw.role() == null ? null : SqlIdentifier.of(key + ".role", raw.role()),
                raw.warehouse() == null ? null : SqlIdentifier.of(key + ".warehouse", raw.warehouse()),
                raw.database() == null ? null : SqlIdentifier.of(key + ".database", raw.database()),
                raw.schema() == null ? null : SqlIdentifier.of(key + ".schema", raw.schema()),
                auth(key + ".auth", raw.auth(), snowflake), fetchSize,
                raw.pushWindowFilter() == null || raw.pushWindowFilter());
    }

    private static WarehouseSettings.Auth auth(String key, ConfigFile.Auth raw, boolean snowflake) {
        String method = raw == null || raw.method() == null ? (snowflake ? "key_pair" : "none") : raw.method();
        ConfigFile.Auth a = raw == null ? new ConfigFile.Auth(null, null, null, null, null, null) : raw;
        String envFix = "name the environment variable that holds it (the secret itself never goes in the file)";
        switch (method) {
            case "key_pair" -> {
                check(snowflake, key + ".method", "key_pair is Snowflake's", "use password or none for this driver");
                check(a.privateKeyFile() != null, key + ".private_key_file", "is missing",
                        "give the path of the encrypted PKCS#8 private key (rsa_key.p8) of the service user");
                check(a.privateKeyPassphraseEnv() == null || envName(a.privateKeyPassphraseEnv()),
                        key + ".private_key_passphrase_env", "is not an environment variable name", envFix);
                only(key, a, "private_key_file", "private_key_passphrase_env");
                return new WarehouseSettings.Auth.KeyPair(Path.of(a.privateKeyFile()), a.privateKeyPassphraseEnv());
            }
            case "oauth" -> {
                check(snowflake, key + ".method", "oauth is supported for Snowflake", "use password or none");
                check((a.tokenEnv() == null) != (a.tokenFile() == null), key + ".token_env",
                        "set exactly one of token_env and token_file", envFix);
                check(a.tokenEnv() == null || envName(a.tokenEnv()), key + ".token_env",
                        "is not an environment variable name", envFix);
                only(key, a, "token_env", "token_file");
                return new WarehouseSettings.Auth.OAuth(a.tokenEnv(), a.tokenFile() == null ? null : Path.of(a.tokenFile()));
            }
            case "password" -> {
                check(a.passwordEnv() != null && envName(a.passwordEnv()), key + ".password_env",
                        "is missing or not an environment variable name", envFix);
                only(key, a, "password_env");
                return new WarehouseSettings.Auth.Password(a.passwordEnv());
            }
            case "none" -> {
                check(!snowflake, key + ".method", "Snowflake needs credentials", "use key_pair, oauth or password");
                only(key, a);
                return new WarehouseSettings.Auth.None();
            }
            default -> throw AuditException.config(key + ".method", "'" + method + "' is not supported",
                    "use one of: key_pair, oauth, password, none");
        }
    }

    /** A key of another method left in the file is a mistake worth stopping for. */
    private static void only(String key, ConfigFile.Auth a, String... allowed) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("private_key_file", a.privateKeyFile());
        set.put("private_key_passphrase_env", a.privateKeyPassphraseEnv());
        set.put("token_env", a.tokenEnv());
        set.put("token_file", a.tokenFile());
        set.put("password_env", a.passwordEnv());
        List<String> ok = List.of(allowed);
        set.forEach((k, v) -> check(v == null || ok.contains(k), key + "." + k,
                "does not apply to this auth method", "remove it, or change " + key + ".method"));
    }

    private static boolean envName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
