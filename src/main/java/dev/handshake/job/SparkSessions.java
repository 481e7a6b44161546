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
                // A join whose build side arrives in shuffle partitions of at most 32 MB each is
                // hashed rather than sorted (adaptive execution decides from the actual sizes, so
                // the in-memory hash map stays bounded; larger inputs keep the sort-merge join).
                // A hash map cannot spill: at 64 MB the lead journey hashed the wide cohort rows at
                // 1M leads, and a sort beside it in the same task could not get execution memory
                // (1 run in 21 with a 2 GB heap, more often with less); at 32 MB that join sorts,
                // which spills, and the step takes as long (bench/README.md).
                .config("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold", "32m")
                // Generated code in smaller methods (Spark's default splits at 1,024 characters): a
                // run compiles ~1,000 generated classes, and the JIT compiles many small methods for
                // less CPU than few huge ones. Measured at 1M leads: 10% less CPU, 151 s against 168 s.
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
