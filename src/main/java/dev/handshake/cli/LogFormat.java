package dev.handshake.cli;

import dev.handshake.AuditException;
import java.util.List;

/**
 * The log format switch, HANDSHAKE_LOG_FORMAT (system property or environment variable, as
 * logback.xml reads it): {@code text} (default) or {@code json}. An environment variable and not
 * a YAML key, because Spark logs from its first second, before the configuration is read.
 */
final class LogFormat {
    static final String VARIABLE = "HANDSHAKE_LOG_FORMAT";
    private static final List<String> FORMATS = List.of("text", "json");

    private LogFormat() {}

    /** Fails fast on a value logback would silently turn into no logging at all. */
    static void check() {
        String value = System.getProperty(VARIABLE, System.getenv(VARIABLE));
        if (value != null && !FORMATS.contains(value)) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG, VARIABLE + "='" + value
                    + "' is not a log format. Fix: set it to one of " + FORMATS + " or unset it (text)");
        }
    }
}
