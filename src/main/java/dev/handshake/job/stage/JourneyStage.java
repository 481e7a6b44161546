package dev.handshake.job.stage;

import dev.handshake.Checkpoints;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.benchmark.WorkflowBasis;
import dev.handshake.audit.benchmark.WorkflowPopulation;
import dev.handshake.audit.handoff.HandoffAudit;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The lead journey (docs/definitions.md section 1), tagged with its workflows, built once. */
public final class JourneyStage implements AuditStage<JourneyStage.Journey> {

    /**
     * The journey every lead-level audit reads. Wide and large: released once its last reader, the
     * handoffs, is done (the benchmark reads its own narrow copy).
     *
     * @param basis what the night's workflows are populations of: its cohort leads, or with none
     *              the opportunities in scope (tagged by the scope stage)
     */
    public record Journey(LeadJourney journey, WorkflowBasis basis) implements StageResult {
        @Override
        public void release() {
            Checkpoints.release(journey.leads());
        }
    }

    @Override
    public String name() {
        return "lead journey";
    }

    @Override
    public Journey run(RunContext ctx) {
        AuditConfig config = ctx.config();
        LeadJourney journey = LeadJourney.build(ctx.inputs(), config.leadStatusStages(), config.roles(), ctx.window(),
                config.workflows().stream().anyMatch(Workflow::usesTouchTypes));
        journey.skipped().forEach(ctx::skip);
        List<String> leadColumns = new ArrayList<>(LeadJourney.AUDITED_LEAD_COLUMNS);
        leadColumns.addAll(HandoffAudit.leadFields(config.handoffs()));
        WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(journey.carrying(leadColumns), ctx.inputs(),
                config.workflows(), ctx.window());
        Kept kept = ctx.steps().step("lead journey", () -> {
            Dataset<Row> rows = ctx.keep(tagged.journey().leads());
            return new Kept(rows, rows.count());
        }, Kept::leads);
        WorkflowBasis basis = WorkflowBasis.of(kept.leads());
        // On the opportunity basis the lead tagging decides nothing: the scope stage reports instead.
        if (basis == WorkflowBasis.LEADS) {
            tagged.skipped().forEach(ctx::skip);
        }
        return new Journey(new LeadJourney(kept.rows(), journey.skipped()), basis);
    }

    /** The kept journey and its cohort leads, counted once. */
    private record Kept(Dataset<Row> rows, long leads) {}
}
