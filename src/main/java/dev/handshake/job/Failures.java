package dev.handshake.job;

import dev.handshake.AuditException;
import dev.handshake.Credentials;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failures of the machine around the run that a person can fix (a full disk, a permission, an
 * unreadable input file, a warehouse out of reach), recognised in whatever Spark, Hadoop or a
 * driver wrapped them in and told as one sentence naming the path or host and the fix. Anything
 * else is a defect and keeps its stack trace. Exit codes: 2 for the environment or its
 * configuration, 3 for input data (docs/failure-handling.md).
 */
public final class Failures {
    /** A file or directory as the messages of Java, Hadoop and Spark quote it. */
    private static final Pattern PATH = Pattern.compile(
            "((?:file|hdfs|s3a?|gs|abfss?|wasbs?):/[^\\s,;)'\"\\]]+|/[^\\s,;:)'\"\\]]+)");
    private static final Pattern DENIED_PATH = Pattern.compile("(\\S+) \\(Permission denied\\)");

    private Failures() {}

    /**
     * The sentence for an expected failure, or empty for a defect.
     *
     * @param output where the run writes (the output root), named when the message names no path
     */
    public static Optional<AuditException> explain(Throwable failure, String output) {
        List<Throwable> chain = chain(failure);
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
                return Optional.of(environment("no space left on the disk while writing " + path(chain).orElse(output)
                        + ". Fix: free space there (Spark's scratch files go to spark.local.dir) or set output.root "
                        + "to a larger disk, then rerun; the previous result is unchanged"));
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof AccessDeniedException || m.contains("Permission denied")) {
                Matcher quoted = DENIED_PATH.matcher(m);
                String where = t instanceof AccessDeniedException a && a.getFile() != null ? a.getFile()
                        : quoted.find() ? quoted.group(1) : path(List.of(t)).orElse(output);
                return Optional.of(environment("permission denied on " + where + ": the user running the audit ("
                        + System.getProperty("user.name") + ") cannot read or write it. Fix: grant that user access, "
                        + "or set output.root to a directory it can write, then rerun"));
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("is not a parquet file") || m.contains("could not read footer")
                    || m.contains("cannot_read_file_footer") || t.getClass().getSimpleName().equals("ParquetDecodingException")
                    || (m.contains("failed_read_file") && m.contains(".parquet"))) {
                String file = path(chain).orElse("an input file");
                return Optional.of(new AuditException(AuditException.Code.INPUT_CONTRACT, "cannot read " + file
                        + ": it is not a complete Parquet file (truncated or corrupt). Fix: export it again or move "
                        + "it out of its table's folder, then rerun"));
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return Optional.of(unreachable("the host " + t.getMessage() + " is unknown"));
            }
        }
        for (Throwable t : chain) {
            boolean unreachable = t instanceof UnknownHostException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08"));
            if (unreachable) {
                return Optional.of(unreachable(String.valueOf(t.getMessage())));
            }
        }
        return Optional.empty();
    }

    private static AuditException unreachable(String what) {
        return environment("cannot reach the warehouse: " + Credentials.mask(what)
                + ". Fix: check the host and port in source.jdbc / output.jdbc (url or account) and that "
                + "this machine can reach it (network, VPN, firewall), then rerun");
    }

    private static AuditException environment(String message) {
        return new AuditException(AuditException.Code.USAGE_OR_CONFIG, message);
    }

    /** The first path any message in the chain quotes, outermost first. */
    private static Optional<String> path(List<Throwable> chain) {
        for (Throwable t : chain) {
            Matcher m = PATH.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                // A sentence's full stop is not part of the path.
                return Optional.of(m.group(1).replaceAll("\\.+$", ""));
            }
        }
        return Optional.empty();
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = failure; t != null && !out.contains(t) && out.size() < 50; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
