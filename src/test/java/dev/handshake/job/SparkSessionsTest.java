package dev.handshake.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.testing.SharedSpark;
import org.apache.spark.sql.RuntimeConfig;
import org.junit.jupiter.api.Test;

/** The settings every run relies on are set on the sessions the job builds (the tests' one too). */
class SparkSessionsTest {
    @Test
    void sessionsRunInUtcWithAnsiSemanticsAndTheMeasuredPlannerSettings() {
        RuntimeConfig conf = SharedSpark.get().conf();
        // Correctness: contract timestamps are UTC instants; overflow and bad casts fail, never wrap.
        assertEquals("UTC", conf.get("spark.sql.session.timeZone"));
        assertEquals("true", conf.get("spark.sql.ansi.enabled"));
        // Performance, measured by bench/run.sh (see README, Performance).
        assertEquals("32m", conf.get("spark.sql.adaptive.maxShuffledHashJoinLocalMapThreshold"));
        assertEquals("256", conf.get("spark.sql.codegen.methodSplitThreshold"));
    }

    @Test
    void aConfigurationWithoutASparkSectionRunsLocally() throws Exception {
        java.nio.file.Path yaml = java.nio.file.Files.createTempFile("no-spark", ".yaml");
        java.nio.file.Files.writeString(yaml, "source:\n  root: in\n");
        dev.handshake.config.AuditConfig config = dev.handshake.config.ConfigLoader.load(yaml);
        // No spark: section, so no master: the session is built for local[*], never without a master.
        assertEquals(null, config.spark().master());
        assertEquals("local[*]", SparkSessions.masterOf(config.spark().master()));
        assertEquals("local[2]", SparkSessions.masterOf("local[2]"));
        java.nio.file.Files.delete(yaml);
    }
}
