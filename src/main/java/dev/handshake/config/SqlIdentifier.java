package dev.handshake.config;

import dev.handshake.AuditException;
import java.util.regex.Pattern;

/**
 * A table, schema or column name taken from configuration. Only plain identifiers are accepted
 * (letters, digits, underscore, {@code $}; not starting with a digit), and they are always quoted
 * when put into SQL: a configuration value never becomes SQL text of its own.
 */
public record SqlIdentifier(String name) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,254}");

    public SqlIdentifier {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid SQL identifier: " + name);
        }
    }

    /** Validates a configured name; the error names the key and what is allowed. */
    public static SqlIdentifier of(String key, String value) {
        if (value == null || !PLAIN.matcher(value).matches()) {
            throw AuditException.config(key, "'" + value + "' is not a plain SQL identifier",
                    "use letters, digits, '_' or '$' only, starting with a letter or '_' (at most 255); "
                            + "quotes, dots, spaces and semicolons are not accepted");
        }
        return new SqlIdentifier(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
