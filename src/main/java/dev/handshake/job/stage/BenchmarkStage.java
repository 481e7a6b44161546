package dev.handshake.job.stage;

import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.audit.benchmark.BenchmarkFacts;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.HandoffContract;
import dev.handshake.model.CanonicalTable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow benchmark and first fork (docs/definitions.md section 5): {@code audit_benchmark}
 * and {@code audit_first_fork}, or none when no workflow is configured.
 */
public final class BenchmarkStage implements AuditStage<BenchmarkStage.Benchmark> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkStage.class);

    /**
     * Empty when no workflow is configured.
     *
     * @param alertReports the reports as {@code --fail-on-band} reads them, acknowledged breaks as
     *                     matched ({@link BenchmarkAudit#alertReports}); the published ones without any
     */
    public record Benchmark(Optional<BenchmarkAudit.Result> result, List<BenchmarkAudit.WorkflowReport> alertReports)
            implements StageResult {
        public List<BenchmarkAudit.WorkflowReport> reports() {
            return result.map(BenchmarkAudit.Result::reports).orElse(List.of());
        }

        @Override
        public List<Output> outputs() {
            return result.map(r -> List.of(new Output(BenchmarkTables.BENCHMARK_OUTPUT, r.benchmark()),
                    new Output(BenchmarkTables.FIRST_FORK_OUTPUT, r.firstFork()))).orElse(List.of());
        }
    }

    @Override
    public String name() {
        return "benchmark";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(BenchmarkJourneyStage.class, ScopeStage.class, ChangesStage.class, HandoffStage.class,
                ReconciliationStage.class, FunnelStage.class, RunCoverageStage.class, LedgerStage.class);
    }

    @Override
    public Benchmark run(RunContext ctx) {
        AuditConfig config = ctx.config();
        if (config.workflows().isEmpty()) {
            ctx.skip("audit_benchmark, audit_first_fork and reports", "no workflows configured");
            return new Benchmark(Optional.empty(), List.of());
        }
        ReconciliationStage.Reconciled recon = ctx.result(ReconciliationStage.class);
        List<HandoffContract> contracts = ctx.result(RunCoverageStage.class).handoffs();
        BenchmarkJourneyStage.BenchmarkJourney journey = ctx.result(BenchmarkJourneyStage.class);
        BenchmarkFacts.Inputs inputs = new BenchmarkFacts.Inputs(
                journey.leads().orElseThrow(), ctx.result(ScopeStage.class).rows(),
                ctx.result(ChangesStage.class).rows(), ctx.result(HandoffStage.class).benchmarkRows(), recon.rows(),
                recon.metrics(), ctx.inputs().optional(CanonicalTable.FIELD_HISTORY),
                ctx.inputs().table(CanonicalTable.USERS), journey.basis());
        BenchmarkFacts.Aggregates aggregates = ctx.steps().step("benchmark facts", () -> BenchmarkFacts.aggregate(
                inputs, new BenchmarkFacts.Rules(config.benchmark(), contracts, config.leadStatusStages(),
                        config.roles(), config.reasonCategories(), ctx.window()), ctx.keeper(),
                ctx.result(LedgerStage.class).acknowledged()), a -> 0L);
        boolean fieldHistory = ctx.inputs().optional(CanonicalTable.FIELD_HISTORY).isPresent();
        if (!fieldHistory) {
            ctx.skip("benchmark override_discipline and owner_clarity scores",
                    "field_history table absent: manual changes and re-owning cannot be seen");
        }
        BenchmarkAudit.Context scoring = new BenchmarkAudit.Context(config.workflows(), config.benchmark(), contracts,
                fieldHistory, ctx.financeAbsent(), ctx.fx().reportingCurrency());
        BenchmarkAudit.Result benchmark = ctx.steps().step("benchmark and first fork", () -> BenchmarkAudit.run(
                aggregates, ctx.result(FunnelStage.class).rows(), scoring), r -> r.reports().size());
        List<BenchmarkAudit.WorkflowReport> alertReports = BenchmarkAudit.alertReports(benchmark.reports(),
                aggregates.acknowledgedAsMatched(), scoring);
        return new Benchmark(Optional.of(benchmark), alertReports);
    }

    /** One log line per workflow: its total, band and first fork. */
    static void log(List<BenchmarkAudit.WorkflowReport> reports) {
        for (BenchmarkAudit.WorkflowReport r : reports) {
            LOG.info("workflow {}: total {} {}{}, first fork {}, {}", r.workflow().name(), r.total().total(),
                    r.total().band() == null ? "band not certain" : r.total().band(),
                    r.total().complete() ? "" : " (incomplete)", r.fork().firstForkLayer(), r.fork().problemKind());
        }
    }
}
