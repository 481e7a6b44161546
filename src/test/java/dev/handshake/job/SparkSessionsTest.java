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
}
