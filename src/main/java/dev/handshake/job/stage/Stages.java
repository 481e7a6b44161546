package dev.handshake.job.stage;

import dev.handshake.Checkpoints;
import dev.handshake.JobGroup;
import dev.handshake.sink.AuditSink;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;

/** The night's audits in the order they run, and the loop that runs them. */
public final class Stages {

    /**
     * The night's stages, in order. Adding an audit is one class and one line here, after the
     * stages whose results it reads.
     */
    public static final List<AuditStage<?>> NIGHTLY = List.of(
            new JourneyStage(),
            new ScopeStage(),
            new FinanceArrivalStage(),
            new RunCoverageStage(),
            new CoverageStage(),
            new BenchmarkJourneyStage(),
            new FunnelStage(),
            new HandoffStage(),
            new ChangesStage(),
            new ReconciliationStage(),
            new DriftStage(),
            new LedgerStage(),
            new RestatementStage(),
            new BenchmarkStage(),
            new ReportStage(),
            new InvariantsStage());

    private Stages() {}

    /**
     * The stage after which each stage's result is released: the last stage that reads it, or the
     * stage itself when none does. Derived from {@link AuditStage#reads()}, so the release order is
     * declared by what each stage reads, never by a comment.
     */
    public static Map<Class<?>, Class<?>> releasedAfter(List<AuditStage<?>> stages) {
        Map<Class<?>, Class<?>> after = new LinkedHashMap<>();
        Set<Class<?>> earlier = new HashSet<>();
        for (AuditStage<?> stage : stages) {
            for (Class<?> read : stage.reads()) {
                if (!earlier.contains(read)) {
                    throw new IllegalStateException(stage.getClass().getSimpleName() + " reads "
                            + read.getSimpleName() + ", which does not run before it");
                }
                after.put(read, stage.getClass());
            }
            if (!earlier.add(stage.getClass())) {
                throw new IllegalStateException(stage.getClass().getSimpleName() + " is listed twice");
            }
            after.putIfAbsent(stage.getClass(), stage.getClass());
        }
        return after;
    }

    /**
     * Runs {@code stages} in order: each under its name as Spark job group, its tables staged
     * ("step K audit funnel"), then what no later stage reads released.
     */
    public static void run(List<AuditStage<?>> stages, RunContext ctx, AuditSink store, SparkContext spark) {
        Map<Class<?>, Class<?>> releasedAfter = releasedAfter(stages);
        int position = 0;
        for (AuditStage<?> stage : stages) {
            ctx.steps().progress("stage " + ++position + "/" + stages.size());
            try (JobGroup ignored = JobGroup.enter(spark, ctx.runId(), JobGroup.describe(stage.name(), ctx.runId()))) {
                StageResult result = ctx.run(stage);
                for (StageResult.Output out : result.outputs()) {
                    long rows = ctx.steps().step(out.table().stepName(), () -> store.stage(out.table(), out.rows()),
                            n -> n);
                    ctx.staged(out.table(), rows);
                }
                result.files().ifPresent(f -> store.stageFiles(f.directory(), f.files()));
                result.releaseWritten();
            }
            stage.lastReadOf().forEach(table -> ctx.inputs().optional(table).ifPresent(Checkpoints::release));
            releasedAfter.forEach((owner, last) -> {
                if (last == stage.getClass()) {
                    ctx.finishedResult(owner).release();
                }
            });
        }
        ctx.steps().progress(null);
    }
}
