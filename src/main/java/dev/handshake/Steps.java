package dev.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times each step of a run and logs one numbered line per step with its row count and duration.
 * Given the run's Spark context, each step's Spark jobs carry the run id as job group and the step
 * name as description ({@link JobGroup}).
 */
public final class Steps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

    /** A finished step, as recorded in {@code audit_run}. */
    public record Timing(String step, long rows, double seconds) {}

    private final List<Timing> timings = new ArrayList<>();
    private final SparkContext context;
    private final String runId;
    /** Where the run is in a declared sequence ("stage 5/16"), shown on each step line; null outside one. */
    private String progress;
    /** Whether input facts are warnings: not for a look at an export whose findings are printed otherwise. */
    private final boolean warnings;
    /** The run's Spark jobs, counted; null outside a run. */
    private final SparkJobs jobs;

    /** Steps whose Spark jobs are not tagged (a check outside a run, a test). */
    public Steps() {
        this(null, null, true);
    }

    /** The steps of run {@code runId}: their Spark jobs carry the run and step. */
    public Steps(SparkContext context, String runId) {
        this(Objects.requireNonNull(context, "context is null"), Objects.requireNonNull(runId, "runId is null"), true);
    }

    private Steps(SparkContext context, String runId, boolean warnings) {
        this.context = context;
        this.runId = runId;
        this.warnings = warnings;
        this.jobs = context == null ? null : SparkJobs.count(context, runId);
    }

    /** Untagged steps whose input facts are logged at INFO: {@code init} states what it found in its output. */
    public static Steps quiet() {
        return new Steps(null, null, false);
    }

    public <T> T step(String name, Supplier<T> work, ToLongFunction<T> rows) {
        long start = System.nanoTime();
        long jobsBefore = jobs == null ? 0 : jobs.started();
        T result;
        double seconds;
        long n;
        // The row count is often a Spark job of its own: it carries the step too.
        try (JobGroup ignored = context == null ? null
                : JobGroup.enter(context, runId, JobGroup.describe(name, runId))) {
            result = work.get();
            seconds = (System.nanoTime() - start) / 1e9;
            n = rows.applyAsLong(result);
        }
        timings.add(new Timing(name, n, seconds));
        // Numbered, so a person watching the log sees the run advance ("step 7 handoff evaluation
        // (stage 4/16)"): the steps a stage takes depend on its inputs, the stages do not.
        LOG.info("step {} {}{}: rows={} seconds={}{}", timings.size(), name,
                progress == null ? "" : " (" + progress + ")", n,
                String.format(java.util.Locale.ROOT, "%.2f", seconds),
                jobs == null ? "" : " spark_jobs=" + (jobs.started() - jobsBefore));
        return result;
    }

    /** Shows {@code progress} ("stage 5/16") on the following step lines; null stops showing it. */
    public void progress(String progress) {
        this.progress = progress;
    }

    public void note(String message) {
        LOG.info(message);
    }

    /** A fact about the input the run reports and carries on with. */
    public void warn(String message) {
        if (warnings) {
            LOG.warn(message);
        } else {
            LOG.info(message);
        }
    }

    public List<Timing> timings() {
        return List.copyOf(timings);
    }

    /** The Spark jobs the run has started so far; null outside a run. */
    public Long sparkJobs() {
        return jobs == null ? null : jobs.started();
    }

    /** Stops counting the run's jobs. */
    @Override
    public void close() {
        if (jobs != null) {
            jobs.close();
        }
    }
}
