package dev.handshake;

import static java.util.Objects.requireNonNull;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Counts the Spark jobs started under one job group ({@link JobGroup}): a run's, whose jobs all
 * carry its run id. The number of jobs, not of rows, is most of a small night's cost (each is
 * planned, optimised and compiled), so every run states it (issue 30). Spark tells listeners
 * asynchronously: a job whose start is still queued when the count is read is counted later.
 */
public final class SparkJobs extends SparkListener implements AutoCloseable {
    private final SparkContext context;
    private final String group;
    private final AtomicLong started = new AtomicLong();

    private SparkJobs(SparkContext context, String group) {
        this.context = requireNonNull(context, "context is null");
        this.group = requireNonNull(group, "group is null");
    }

    /** Starts counting the jobs of {@code group} until {@link #close()}. */
    public static SparkJobs count(SparkContext context, String group) {
        SparkJobs jobs = new SparkJobs(context, group);
        context.addSparkListener(jobs);
        return jobs;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        Properties properties = jobStart.properties();
        if (properties != null && group.equals(properties.getProperty(JobGroup.GROUP_ID))) {
            started.incrementAndGet();
        }
    }

    public long started() {
        return started.get();
    }

    @Override
    public void close() {
        context.removeSparkListener(this);
    }
}
