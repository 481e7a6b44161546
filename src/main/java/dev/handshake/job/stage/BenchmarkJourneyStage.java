package dev.handshake.job.stage;

import dev.handshake.audit.benchmark.BenchmarkFacts;
import dev.handshake.audit.benchmark.WorkflowBasis;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The benchmark's few journey columns, copied while the journey is in memory, so that the wide
 * journey can be released after the handoffs, its last reader but the benchmark.
 */
public final class BenchmarkJourneyStage implements AuditStage<BenchmarkJourneyStage.BenchmarkJourney> {

    /**
     * @param leads empty when no workflow is configured
     * @param basis what the workflows are populations of (the journey's, kept past its release)
     */
    public record BenchmarkJourney(Optional<Dataset<Row>> leads, WorkflowBasis basis) implements StageResult {}

    @Override
    public String name() {
        return "benchmark journey";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        // The arrival journey is the kept journey plus a column: it reads the journey's rows.
        return Set.of(JourneyStage.class, FinanceArrivalStage.class, RunCoverageStage.class);
    }

    @Override
    public BenchmarkJourney run(RunContext ctx) {
        WorkflowBasis basis = ctx.result(JourneyStage.class).basis();
        if (ctx.config().workflows().isEmpty()) {
            return new BenchmarkJourney(Optional.empty(), basis);
        }
        Dataset<Row> journey = ctx.result(FinanceArrivalStage.class).journey().leads();
        return new BenchmarkJourney(Optional.of(ctx.steps().step("benchmark journey", () -> ctx.keep(
                BenchmarkFacts.journeyRead(journey, ctx.config().leadStatusStages(),
                        ctx.result(RunCoverageStage.class).untracked())), Dataset::count)), basis);
    }
}
