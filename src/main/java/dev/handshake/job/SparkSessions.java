package dev.handshake.job;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds SparkSessions with the settings every run relies on (UTC, ANSI semantics). */
public final class SparkSessions {
    /** The master of a direct launch whose configuration names none. */
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkSessions() {}

    /**
     * The configured master, or {@link #DEFAULT_MASTER} when the configuration has none: a
     * configuration without a {@code spark:} section runs on this machine, as the README says,
     * instead of failing with Spark's "A master URL must be set".
     */
    static String masterOf(String configured) {
        return configured == null || configured.isBlank() ? DEFAULT_MASTER : configured;
    }

    /**
     * A session for the given master. The session time zone is UTC because the contract's
     * timestamps are UTC instants and {@code as_of} boundaries are UTC midnights.
     */
    public static SparkSession create(String appName, String master, int shufflePartitions,
                                     Map<String, String> extraConf) {
        master = masterOf(master);
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", Integer.toString(shufflePartitions))
                .config("spark.sql.ansi.enabled", "true")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .config("spark.ui.showConsoleProgress", "false")
                // CSV exports in Windows-1252 (source options encoding): Spark 4 reads only the
                // UTF and Latin-1 charsets unless this is set; it changes nothing else.
                .config("spark.sql.legacy.javaCharsets", "true")
                // Hash a join only when each shuffle partition of its build side is at most 32 MB:
                // a hash map cannot spill, and larger ones starved a sort beside them of memory
                // (docs/performance.md).
                .config("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold", "32m")
                // Generated code in smaller methods (Spark's default splits at 1,024 characters): the
                // JIT compiles many small methods for less CPU than few huge ones (docs/performance.md).
                .config("spark.sql.codegen.methodSplitThreshold", "256");
        // Under spark-submit the master comes from the submit command; the configured one is for
        // direct launches (laptop, tests).
        if (System.getProperty("spark.master") == null) {
            builder = builder.master(master);
        }
        // A local run is over before anyone opens its web UI, and the UI's port search logs a warning
        // per taken port; spark.conf {spark.ui.enabled: "true"} asks for it.
        String effective = System.getProperty("spark.master", master);
        if (effective.startsWith("local") && !extraConf.containsKey("spark.ui.enabled")) {
            builder = builder.config("spark.ui.enabled", "false");
        }
        for (Map.Entry<String, String> e : extraConf.entrySet()) {
            builder = builder.config(e.getKey(), e.getValue());
        }
        return builder.getOrCreate();
    }
}
