package dev.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

// Alone: it listens to every Spark job and raises the step logger to INFO for the whole JVM.
@Isolated
class StepsTest {
    private final SparkSession spark = SharedSpark.get();
    private final SparkContext context = spark.sparkContext();
    /** The properties of every job started while a test runs, as the Spark UI and event log see them. */
    private final List<Properties> started = new CopyOnWriteArrayList<>();
    private final SparkListener listener = new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
            started.add(jobStart.properties());
        }
    };

    @BeforeEach
    void listen() {
        context.addSparkListener(listener);
    }

    @AfterEach
    void stopListening() {
        context.removeSparkListener(listener);
    }

    @Test
    void stepJobsCarryTheStepNameAndRunIdThenThePreviousGroupIsBack() throws InterruptedException {
        context.setJobGroup("outer-group", "outer description", false);
        try {
            Steps steps = new Steps(context, "run-42");
            // Two jobs: the work (a count) and the row count the step logs (another count).
            long rows = steps.step("count leads", () -> spark.range(7).count(), n -> spark.range(n).count());
            assertEquals(7, rows);
            awaitJobs(2);
            for (Properties p : started) {
                assertEquals("count leads [run run-42]", p.getProperty(JobGroup.DESCRIPTION));
                assertEquals("run-42", p.getProperty(JobGroup.GROUP_ID));
            }
            assertEquals("outer-group", context.getLocalProperty(JobGroup.GROUP_ID));
            assertEquals("outer description", context.getLocalProperty(JobGroup.DESCRIPTION));
        } finally {
            context.clearJobGroup();
        }
    }

    @Test
    void aStepOutsideAGroupLeavesTheThreadWithoutOne() {
        new Steps(context, "run-43").step("count", () -> spark.range(3).count(), n -> n);
        assertNull(context.getLocalProperty(JobGroup.GROUP_ID));
        assertNull(context.getLocalProperty(JobGroup.DESCRIPTION));
    }

    @Test
    void stepsWithoutAContextTagNothing() throws InterruptedException {
        new Steps().step("count", () -> spark.range(3).count(), n -> n);
        awaitJobs(1);
        assertNull(started.get(0).getProperty(JobGroup.DESCRIPTION));
    }

    /** Listener events arrive on Spark's bus thread, after the job has started. */
    private void awaitJobs(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (started.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(started.size() >= n, "expected " + n + " job(s) to start, saw " + started.size());
    }

    @Test
    void stepLinesSayWhichStageOfHowManyTheRunIsIn() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Steps.class);
        ch.qos.logback.classic.Level level = log.getLevel();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            Steps steps = new Steps();
            steps.step("contract leads", () -> 3L, n -> n);
            steps.progress("stage 2/16");
            steps.step("funnel", () -> 5L, n -> n);
            steps.progress(null);
            steps.step("commit", () -> 0L, n -> n);
        } finally {
            log.detachAppender(lines);
            log.setLevel(level);
        }
        List<String> said = lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .map(m -> m.replaceAll("seconds=.*", "")).toList();
        assertEquals(List.of("step 1 contract leads: rows=3 ", "step 2 funnel (stage 2/16): rows=5 ",
                "step 3 commit: rows=0 "), said);
    }
}
