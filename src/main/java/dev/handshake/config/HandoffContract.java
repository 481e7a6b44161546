package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.Stage;
import java.time.Duration;
import java.util.List;

/**
 * One handoff as a contract (section 2): who sends what to whom, when it enters, what must
 * arrive with it, how fast the receiver must act, and which rejection reasons are legitimate.
 *
 * @param record        what enters the handoff: each cohort lead, or each in-scope opportunity
 * @param fieldsOn      the receiving-side record whose fields must be present
 * @param ownerOn       the record whose owner_id is the receiving owner
 * @param actionStage   the stage whose first evidence is the receiver's required action (the SLA clock)
 * @param completionStage reaching it completes the handoff
 * @param outcomeStage  the outcome a win rate is measured on (WON by default)
 */
public record HandoffContract(
        String name, String sender, String receiver, RecordKind record, Stage entryStage,
        List<String> receivingRoles, RecordKind ownerOn, RecordKind fieldsOn, List<String> requiredFields,
        Duration sla, Stage actionStage, Stage completionStage, Stage outcomeStage,
        List<ReasonSource> reasonSources, List<String> acceptedReasonCategories, String exceptionOwner) {

    /** The two kinds of record a handoff can follow. */
    public enum RecordKind { LEAD, OPPORTUNITY }

    /** Where a disposition reason comes from. */
    public enum ReasonSource {
        /** leads.rejection_reason, when the lead was rejected by as_of. */
        LEAD_REJECTION,
        /** opportunities.loss_reason, when the opportunity closed lost by as_of. */
        OPPORTUNITY_LOSS
    }

    public HandoffContract {
        requireNonNull(name, "name is null");
        requireNonNull(record, "record is null");
        requireNonNull(entryStage, "entryStage is null");
        requireNonNull(sla, "sla is null");
        receivingRoles = List.copyOf(receivingRoles);
        requiredFields = List.copyOf(requiredFields);
        reasonSources = List.copyOf(reasonSources);
        acceptedReasonCategories = List.copyOf(acceptedReasonCategories);
    }
}
