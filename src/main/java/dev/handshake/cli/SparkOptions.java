package dev.handshake.cli;

import dev.handshake.config.AuditConfig;
import dev.handshake.job.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** Starts the run's SparkSession from validated configuration. */
final class SparkOptions {
    private SparkOptions() {}

    static SparkSession session(String app, AuditConfig config) {
        return SparkSessions.create(app, config.spark().master(), config.spark().shufflePartitions(),
                config.spark().conf());
    }

    static SparkSession localSession(String app) {
        return SparkSessions.create(app, "local[*]", 8, java.util.Map.of("spark.ui.enabled", "false"));
    }
}
