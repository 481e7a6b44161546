package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A validated JDBC warehouse connection. It holds no secret, only where one is found (an
 * environment variable or a file), so it can be logged and hashed safely.
 */
public record WarehouseSettings(String url, Kind kind, String user, SqlIdentifier role,
                                SqlIdentifier warehouse, SqlIdentifier database, SqlIdentifier schema,
                                Auth auth, int fetchSize, boolean pushWindowFilter) {
    public WarehouseSettings {
        requireNonNull(url, "url is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(auth, "auth is null");
    }

    /** Snowflake gets its own dialect and session settings; any other driver is used as it is. */
    public enum Kind { SNOWFLAKE, GENERIC }

    /** How the job proves who it is. Key pair is the recommended way for a service user. */
    public sealed interface Auth {
        record KeyPair(Path privateKeyFile, String passphraseEnv) implements Auth {}

        record OAuth(String tokenEnv, Path tokenFile) implements Auth {}

        record Password(String passwordEnv) implements Auth {}

        /** The driver needs no credentials (an embedded database). */
        record None() implements Auth {}
    }

    public Optional<SqlIdentifier> schemaName() {
        return Optional.ofNullable(schema);
    }

    /** For logs and messages: where, never how to get in. */
    public String describe() {
        String at = kind == Kind.SNOWFLAKE ? "snowflake" : url.replaceAll("\\?.*$", "");
        return dev.handshake.Credentials.mask(at) + (database == null ? "" : " database " + database)
                + (schema == null ? "" : " schema " + schema);
    }

    public WarehouseSettings withSchema(SqlIdentifier newSchema) {
        return new WarehouseSettings(url, kind, user, role, warehouse, database, newSchema, auth, fetchSize,
                pushWindowFilter);
    }
}
