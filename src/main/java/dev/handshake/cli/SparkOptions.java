package dev.handshake.cli;

import dev.handshake.config.AuditConfig;
import dev.handshake.job.SparkSessions;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Starts the run's SparkSession from validated configuration. */
final class SparkOptions {
    private SparkOptions() {}

    /**
     * A command's session. A command stops only a session it started: a command called inside a
     * process that already runs Spark (a test, a notebook, an embedding scheduler) borrows that
     * session, with its settings, and leaves it running for its owner.
     */
    record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    static Session session(String app, AuditConfig config) {
        return open(() -> SparkSessions.create(app, config.spark().master(), config.spark().shufflePartitions(),
                config.spark().conf()));
    }

    static Session localSession(String app) {
        return open(() -> SparkSessions.create(app, "local[*]", 8, Map.of("spark.ui.enabled", "false")));
    }

    /** A small local session for reading an export's headers and labels. */
    static Session smallLocalSession(String app) {
        return open(() -> SparkSessions.create(app, "local[2]", 2, Map.of("spark.ui.enabled", "false")));
    }

    private static Session open(Supplier<SparkSession> create) {
        // Borrowed as it is: the builder would otherwise rewrite the owner's runtime settings.
        scala.Option<SparkSession> running = SparkSession.getActiveSession().orElse(SparkSession::getDefaultSession);
        return running.isDefined() ? new Session(running.get(), false) : new Session(create.get(), true);
    }
}
