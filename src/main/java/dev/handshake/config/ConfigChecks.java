package dev.handshake.config;

import dev.handshake.AuditException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The checks every configuration section makes, failing with a message that names the key. */
final class ConfigChecks {
    private ConfigChecks() {}

    /** The constant of {@code type} named {@code value}, any case; else an error listing the allowed ones. */
    static <E extends Enum<E>> E enumValue(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Set<String> allowed = new TreeSet<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw AuditException.config(key, "'" + value + "' is not supported",
                    "use one of: " + String.join(", ", allowed));
        }
    }

    /** Fails with one sentence naming the key, the problem and the fix (null when obvious). */
    static void check(boolean ok, String key, String problem, String fix) {
        if (!ok) {
            throw AuditException.config(key, problem, fix);
        }
    }
}
