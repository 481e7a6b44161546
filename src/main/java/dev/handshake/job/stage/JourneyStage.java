package dev.handshake.job.stage;

import dev.handshake.Checkpoints;
import dev.handshake.audit.LeadJourney;
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
     */
    public record Journey(LeadJourney journey) implements StageResult {
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
        tagged.skipped().forEach(ctx::skip);
        Dataset<Row> rows = ctx.steps().step("lead journey",
                () -> ctx.keep(tagged.journey().leads()), Dataset::count);
        return new Journey(new LeadJourney(rows, journey.skipped()));
    }
}
