package dev.handshake.job.stage;

import dev.handshake.audit.CohortCoverage;
import dev.handshake.audit.benchmark.WorkflowBasis;
import dev.handshake.audit.benchmark.WorkflowPopulation;
import dev.handshake.config.Workflow;
import dev.handshake.model.CanonicalTable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks of the journey that produce no table: cohorts the window covers only in part, and
 * workflow filter values the data never contains. Both are reported, never read as clean.
 */
public final class CoverageStage implements AuditStage<CoverageStage.Coverage> {
    private static final Logger LOG = LoggerFactory.getLogger(CoverageStage.class);

    /** The cohort coverage warnings, shown again in the report. */
    public record Coverage(List<String> warnings) implements StageResult {
        public Coverage {
            warnings = List.copyOf(warnings);
        }
    }

    @Override
    public String name() {
        return "coverage checks";
    }

    @Override
    public Set<Class<? extends AuditStage<?>>> reads() {
        return Set.of(JourneyStage.class, ScopeStage.class);
    }

    @Override
    public Coverage run(RunContext ctx) {
        JourneyStage.Journey tagged = ctx.result(JourneyStage.class);
        Dataset<Row> journey = tagged.journey().leads();
        // Without a leads table there is no cohort to find empty: the absent table is reported as such.
        boolean leadsGiven = ctx.inputCounts().stream()
                .anyMatch(c -> c.table().equals(CanonicalTable.LEADS.tableName()) && c.present());
        List<String> coverage = leadsGiven ? CohortCoverage.warnings(journey, ctx.window()) : List.of();
        coverage.forEach(w -> ctx.warn(CohortCoverage.FIGURE, w));
        List<Workflow> workflows = ctx.config().workflows();
        if (!workflows.isEmpty()) {
            WorkflowBasis basis = tagged.basis();
            Dataset<Row> records = basis == WorkflowBasis.LEADS ? journey : ctx.result(ScopeStage.class).rows();
            // One row, or none when no workflow filters on a value (e.g. a workflow of all leads).
            List<Row> probed = WorkflowPopulation.valueProbe(records, workflows, basis).collectAsList();
            Row probe = probed.isEmpty() ? null : probed.get(0);
            for (String unmatched : WorkflowPopulation.unmatched(probe, workflows, basis)) {
                LOG.warn("{}: check the spelling against the data", unmatched);
                ctx.skip("workflow filter value", unmatched);
            }
        }
        return new Coverage(coverage);
    }
}
