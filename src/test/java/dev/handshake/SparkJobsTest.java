package dev.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkJobsTest {
    /** Spark's own status tracker is the reference: the jobs it lists for the group, no others. */
    @Test
    void countsTheJobsOfItsGroupOnly() throws Exception {
        SparkSession spark = SharedSpark.get();
        SparkContext context = spark.sparkContext();
        try (SparkJobs jobs = SparkJobs.count(context, "jobs-test-run")) {
            try (JobGroup ignored = JobGroup.enter(context, "jobs-test-run", "counted")) {
                spark.range(5).count();
                spark.range(3).collectAsList();
            }
            try (JobGroup ignored = JobGroup.enter(context, "jobs-test-other", "another run")) {
                spark.range(7).count();
            }
            spark.range(1).count();
            int expected = context.statusTracker().getJobIdsForGroup("jobs-test-run").length;
            assertTrue(expected >= 2, "two actions ran in the group");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (jobs.started() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            assertEquals(expected, jobs.started());
        }
    }
}
