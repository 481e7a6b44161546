package dev.handshake;

import java.util.regex.Pattern;

/**
 * Credentials as they appear inside connection strings and the messages that quote them: one
 * definition, used to refuse a configured URL that carries one and to mask any text (log lines,
 * errors, {@code audit_run.error_message}) that might.
 *
 * <p>Three forms: user-info with a password ({@code scheme://user:password@host}), Oracle's
 * {@code jdbc:oracle:thin:user/password@host}, and any parameter whose name contains pass, pwd,
 * secret, token or key ({@code ?passwd=..}, {@code ;AccessToken=..}, {@code private_key_file=..}).
 */
public final class Credentials {
    /** A name that holds a secret, wherever it is used as {@code name=value}. */
    private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?:pass|pwd|secret|token|key)[A-Za-z0-9_.-]*";
    /** {@code scheme://user:password@}: the password may hold anything but the characters ending an authority. */
    private static final Pattern USER_INFO =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\\s@]*:[^?#\\s@]*@");
    private static final Pattern ORACLE = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:)[^@\\s/:]+/[^@\\s]*@");
    private static final Pattern URL_PARAMETER = Pattern.compile("(?i)[?&;:,]\\s*" + SECRET_NAME + "\\s*=");
    private static final Pattern ANY_PARAMETER =
            Pattern.compile("(?i)(?<![A-Za-z0-9_.-])(" + SECRET_NAME + ")(\\s*[=:]\\s*)(?!\\*\\*\\*)[^&;\\s,)'\"}]+");

    private Credentials() {}

    /** Whether a JDBC URL carries a credential in any of the three forms. */
    public static boolean inJdbcUrl(String url) {
        return USER_INFO.matcher(url).find() || ORACLE.matcher(url).find() || URL_PARAMETER.matcher(url).find();
    }

    /** The text with every credential it may quote replaced by {@code ***}. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1***@");
        masked = ORACLE.matcher(masked).replaceAll("$1***@");
        return ANY_PARAMETER.matcher(masked).replaceAll("$1$2***");
    }
}
