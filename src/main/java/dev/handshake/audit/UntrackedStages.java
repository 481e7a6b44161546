package dev.handshake.audit;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.Stage;
import dev.handshake.config.HandoffContract;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Stages the CRM does not record (docs/coverage.md). A stage no cohort lead has direct evidence of
 * is untracked, unless {@code stage_mapping.tracked_stages} lists the tracked ones, which then
 * decides. A lead that reached a later stage has not "skipped" an untracked stage (the CRM never
 * had a place to record it), and a handoff whose entry, action or completion is an untracked stage
 * cannot be measured: every record would fail it for want of a field no one fills in.
 *
 * <p>Opportunity handoffs are judged on opportunities, not the lead cohort: their stages from
 * OPPORTUNITY on are tracked, but BOOKED only when there is a bookings table to show it.
 */
public record UntrackedStages(Set<Stage> onLeads, boolean declared, boolean financeAbsent) {
    public static final String FIGURE = "untracked stages";

    public UntrackedStages {
        onLeads = Set.copyOf(requireNonNull(onLeads, "onLeads is null"));
    }

    /**
     * @param declared the configured tracked stages; empty = infer from the cohort's evidence
     */
    public static UntrackedStages of(RunCoverage coverage, List<Stage> declared, boolean financeAbsent) {
        Set<Stage> untracked = EnumSet.noneOf(Stage.class);
        if (declared.isEmpty()) {
            untracked.addAll(coverage.stagesWithoutEvidence());
        } else {
            untracked.addAll(Stage.inOrder());
            declared.forEach(untracked::remove);
        }
        return new UntrackedStages(untracked, !declared.isEmpty(), financeAbsent);
    }

    public boolean isTracked(Stage stage) {
        return !onLeads.contains(stage);
    }

    /** The untracked stages a handoff needs, empty when it can be measured. */
    public List<Stage> blocking(HandoffContract h) {
        List<Stage> out = new ArrayList<>();
        for (Stage s : List.of(h.entryStage(), h.actionStage(), h.completionStage())) {
            boolean untracked = h.record() == HandoffContract.RecordKind.LEAD ? onLeads.contains(s)
                    : s == Stage.BOOKED ? financeAbsent || (declared && onLeads.contains(s))
                    : s.order() < Stage.OPPORTUNITY.order() ? onLeads.contains(s) : declared && onLeads.contains(s);
            if (untracked && !out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The handoffs that can be measured, in configured order. */
    public List<HandoffContract> measurable(List<HandoffContract> handoffs) {
        return handoffs.stream().filter(h -> blocking(h).isEmpty()).toList();
    }

    /** One sentence per finding, for audit_run and the log: the untracked stages and each handoff not measurable. */
    public List<SkippedFigure> notes(List<HandoffContract> handoffs) {
        List<SkippedFigure> out = new ArrayList<>();
        if (!onLeads.isEmpty()) {
            List<String> names = Stage.inOrder().stream().filter(onLeads::contains).map(Stage::name).toList();
            out.add(new SkippedFigure(FIGURE, String.join(", ", names) + (declared
                    ? ": not in stage_mapping.tracked_stages"
                    : ": no cohort lead has direct evidence of them, so the CRM is taken not to record them")
                    + "; a lead passing them is not a skip (stage consistency) and the funnel's counts there"
                    + " are inferred from later stages"));
        }
        for (HandoffContract h : handoffs) {
            List<Stage> blocking = blocking(h);
            if (!blocking.isEmpty()) {
                out.add(new SkippedFigure("handoff " + h.name(), "not measurable: stage(s) "
                        + String.join(", ", blocking.stream().map(Stage::name).toList()) + " untracked"
                        + (blocking.contains(Stage.BOOKED) && financeAbsent ? " (no bookings table)" : "")));
            }
        }
        return out;
    }
}
