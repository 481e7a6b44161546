package dev.handshake.testing;

import dev.handshake.job.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per test JVM, shared by every test class: starting Spark costs seconds,
 * so the suite pays it once. Shuffle partitions are small because test data is small.
 */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    public static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSessions.create("handshake-audit-tests", "local[2]", 2, java.util.Map.of(
                    "spark.ui.enabled", "false",
                    "spark.sql.adaptive.enabled", "false",
                    "spark.default.parallelism", "2",
                    // Test data is tiny: compiling whole-stage code for every plan costs far more
                    // than it saves. Results are the same either way.
                    "spark.sql.codegen.wholeStage", "false",
                    "spark.sql.codegen.factoryMode", "NO_CODEGEN",
                    // Every action renders its plan for the SQL UI; "formatted" (the default) took
                    // a tenth of a test night's CPU in a profile. No UI runs here.
                    "spark.sql.ui.explainMode", "simple"));
        }
        return session;
    }

    /** Called once the tests are over (see {@link SparkStopper}). */
    static synchronized void stopIfStarted() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }
}
