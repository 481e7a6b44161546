package dev.handshake.job.stage;

import dev.handshake.audit.RunCoverage;
import dev.handshake.audit.UntrackedStages;
import dev.handshake.config.HandoffContract;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inputs cover (docs/coverage.md): tables present, absent or empty, the stages with
 * direct evidence in the cohort, the share of won deals with an amount, currency, rate and lead;
 * and from it the untracked stages and the handoffs that can be measured tonight.
 */
public final class RunCoverageStage implements AuditStage<RunCoverageStage.Covered> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCoverageStage.class);

    /**
     * @param coverage the summary audit_run, the log, the review sheet and the CSV state
     * @param untracked the stages no cohort record has evidence of (or the configured tracked stages)
     * @param handoffs the configured handoffs that need no untracked stage: the only ones measured
     */
    public record Covered(RunCoverage coverage, UntrackedStages untracked, List<HandoffContract> handoffs)
            implements StageResult {
        public Covered {
            handoffs = List.copyOf(handoffs);
        }
    }

    /** The night's coverage for its audit_run row, or null when the run stopped before it. */
    public static RunCoverage of(RunContext ctx) {
        return ctx == null ? null : ctx.finished(RunCoverageStage.class).map(Covered::coverage).orElse(null);
    }

    @Override
    public String name() {
        return "coverage";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        // The arrival journey is the kept journey plus a column: it reads the journey's rows.
        return Set.of(JourneyStage.class, ScopeStage.class, FinanceArrivalStage.class);
    }

    @Override
    public Covered run(RunContext ctx) {
        FinanceArrivalStage.Arrival arrival = ctx.result(FinanceArrivalStage.class);
        RunCoverage coverage = ctx.steps().step("coverage", () -> RunCoverage.of(ctx.inputCounts(),
                arrival.journey().leads(), ctx.result(ScopeStage.class).rows()), RunCoverage::cohortLeads);
        coverage.lines().forEach(line -> LOG.info("coverage: {}", line));
        UntrackedStages untracked = UntrackedStages.of(coverage, ctx.config().trackedStages(),
                ctx.financeAbsent().isPresent());
        untracked.notes(ctx.config().handoffs()).forEach(n -> {
            LOG.warn("{}: {}", n.figure(), n.reason());
            ctx.skip(n);
        });
        return new Covered(coverage, untracked, untracked.measurable(ctx.config().handoffs()));
    }
}
