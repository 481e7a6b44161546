package dev.handshake;

import static java.util.Objects.requireNonNull;

/**
 * An expected user error: bad usage or configuration, or input that breaks the contract beyond
 * tolerance. The CLI prints its message (no stack trace) and exits with its code.
 */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Process exit codes users and schedulers rely on. */
    public enum Code {
        FAILURE(1), USAGE_OR_CONFIG(2), INPUT_CONTRACT(3), BAND_ALERT(4), LOCKED(5);

        private final int exitCode;

        Code(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Code code;

    public AuditException(Code code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public static AuditException config(String key, String problem, String fix) {
        return new AuditException(Code.USAGE_OR_CONFIG,
                "configuration key '" + key + "': " + problem + (fix == null ? "" : ". Fix: " + fix));
    }

    public Code code() {
        return code;
    }
}
