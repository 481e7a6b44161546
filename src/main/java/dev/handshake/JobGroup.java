package dev.handshake;

import static java.util.Objects.requireNonNull;

import org.apache.spark.SparkContext;

/**
 * The Spark job group and description of the work running in this thread, set for a while and
 * then put back, as Iceberg's Spark actions do with {@code withJobGroupInfo}: every Spark job
 * started meanwhile carries them, so the Spark UI, the event log and a history server show which
 * step of which run a job belongs to. Spark keeps them as thread-local properties.
 */
public final class JobGroup implements AutoCloseable {
    static final String GROUP_ID = "spark.jobGroup.id";
    static final String DESCRIPTION = "spark.job.description";
    static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";

    private final SparkContext context;
    private final String previousGroup;
    private final String previousDescription;
    private final String previousInterrupt;

    private JobGroup(SparkContext context) {
        this.context = context;
        this.previousGroup = context.getLocalProperty(GROUP_ID);
        this.previousDescription = context.getLocalProperty(DESCRIPTION);
        this.previousInterrupt = context.getLocalProperty(INTERRUPT_ON_CANCEL);
    }

    /** Tags the following jobs with {@code groupId} and {@code description} until {@link #close()}. */
    public static JobGroup enter(SparkContext context, String groupId, String description) {
        requireNonNull(context, "context is null");
        JobGroup saved = new JobGroup(context);
        // Not interrupted on cancel: a task writing a staged table finishes its file.
        context.setJobGroup(requireNonNull(groupId, "groupId is null"),
                requireNonNull(description, "description is null"), false);
        return saved;
    }

    /** The description a step's jobs carry: the step, then the run. */
    public static String describe(String step, String runId) {
        return step + " [run " + runId + "]";
    }

    @Override
    public void close() {
        // setLocalProperty(key, null) removes the key, so a thread without a group gets none back.
        context.setLocalProperty(GROUP_ID, previousGroup);
        context.setLocalProperty(DESCRIPTION, previousDescription);
        context.setLocalProperty(INTERRUPT_ON_CANCEL, previousInterrupt);
    }
}
