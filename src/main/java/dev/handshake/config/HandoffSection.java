package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;
import static dev.handshake.config.ConfigChecks.enumValue;

import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import dev.handshake.model.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code handoffs} section (docs/configuration.md, definitions section 2): each handoff's
 * sender and receiver, record, stages, receiving roles, required fields, SLA and reasons.
 */
final class HandoffSection {
    private HandoffSection() {}

    private static final List<Stage> OPPORTUNITY_STAGES = List.of(Stage.OPPORTUNITY, Stage.WON, Stage.BOOKED);

    static List<HandoffContract> handoffs(List<ConfigFile.Handoff> raw) {
        if (raw == null) {
            return List.of();
        }
        List<HandoffContract> out = new java.util.ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < raw.size(); i++) {
            ConfigFile.Handoff h = raw.get(i);
            String key = "handoffs[" + i + "]";
            check(h != null, key, "is empty", "give the handoff its keys (see conf/local.yaml)");
            check(h.name() != null && h.name().matches("[a-z][a-z0-9_]{0,62}"), key + ".name",
                    "'" + h.name() + "' is not a valid handoff name", "use lower_snake_case, e.g. marketing_to_sales");
            check(names.add(h.name()), key + ".name", "'" + h.name() + "' is used twice", "give each handoff its own name");
            key = "handoffs[" + i + "] (" + h.name() + ")";
            for (String[] text : new String[][] {{"sender", h.sender()}, {"receiver", h.receiver()},
                    {"exception_owner", h.exceptionOwner()}}) {
                check(text[1] != null && !text[1].isBlank(), key + "." + text[0], "is missing",
                        "name the team (free text)");
            }
            HandoffContract.RecordKind record = enumValue(key + ".record",
                    h.record() == null ? "lead" : h.record(), HandoffContract.RecordKind.class);
            boolean onOpportunity = record == HandoffContract.RecordKind.OPPORTUNITY;
            Stage entry = stage(key + ".entry_stage", h.entryStage(), null, onOpportunity);
            Stage action = stage(key + ".action_stage", h.actionStage(), entry, onOpportunity);
            Stage completion = stage(key + ".completion_stage", h.completionStage(), entry, onOpportunity);
            Stage outcome = stage(key + ".outcome_stage", h.outcomeStage() == null ? "WON" : h.outcomeStage(),
                    entry, onOpportunity);
            HandoffContract.RecordKind ownerOn = enumValue(key + ".owner_on",
                    h.ownerOn() == null ? record.name() : h.ownerOn(), HandoffContract.RecordKind.class);
            HandoffContract.RecordKind fieldsOn = enumValue(key + ".fields_on",
                    h.fieldsOn() == null ? record.name() : h.fieldsOn(), HandoffContract.RecordKind.class);
            check(!onOpportunity || (ownerOn == record && fieldsOn == record), key + ".fields_on",
                    "an opportunity handoff reads fields and owner from the opportunity",
                    "set fields_on and owner_on to opportunity (or leave them out)");
            CanonicalTable fieldsTable = fieldsOn == HandoffContract.RecordKind.LEAD
                    ? CanonicalTable.LEADS : CanonicalTable.OPPORTUNITIES;
            List<String> fields = h.requiredFields() == null ? List.of() : h.requiredFields();
            for (String f : fields) {
                check(fieldsTable.column(f).isPresent(), key + ".required_fields",
                        "'" + f + "' is not a column of " + fieldsTable.tableName(), "use one of: "
                                + fieldsTable.columns().stream().map(ColumnSpec::name).collect(Collectors.joining(", ")));
            }
            check(h.receivingRoles() != null && !h.receivingRoles().isEmpty(), key + ".receiving_roles",
                    "is missing", "list the canonical roles that may receive, e.g. [SDR]");
            for (String role : h.receivingRoles()) {
                check(LabelSections.ROLES.contains(role), key + ".receiving_roles", "'" + role + "' is not a role",
                        "use one of: " + String.join(", ", LabelSections.ROLES));
            }
            check(h.sla() != null && (h.sla().hours() == null) != (h.sla().days() == null), key + ".sla",
                    "needs exactly one of hours or days", "e.g. sla: {hours: 24}");
            double amount = h.sla().hours() != null ? h.sla().hours() : h.sla().days();
            check(amount > 0, key + ".sla", "must be positive, got " + amount, null);
            java.time.Duration sla = java.time.Duration.ofSeconds(Math.round(
                    amount * (h.sla().hours() != null ? 3600 : 86400)));
            List<HandoffContract.ReasonSource> sources = new java.util.ArrayList<>();
            for (String src : h.reasonSources() == null ? List.<String>of() : h.reasonSources()) {
                HandoffContract.ReasonSource rs = enumValue(key + ".reason_sources", src,
                        HandoffContract.ReasonSource.class);
                check(!onOpportunity || rs == HandoffContract.ReasonSource.OPPORTUNITY_LOSS,
                        key + ".reason_sources", "an opportunity handoff has no lead rejection",
                        "use opportunity_loss");
                sources.add(rs);
            }
            List<String> accepted = h.acceptedReasonCategories() == null ? List.of() : h.acceptedReasonCategories();
            for (String c : accepted) {
                check(LabelSections.REASON_CATEGORIES.contains(c), key + ".accepted_reason_categories",
                        "'" + c + "' is not a reason category", "use one of: " + String.join(", ", LabelSections.REASON_CATEGORIES));
            }
            out.add(new HandoffContract(h.name(), h.sender(), h.receiver(), record, entry, h.receivingRoles(),
                    ownerOn, fieldsOn, fields, sla, action, completion, outcome, sources, accepted,
                    h.exceptionOwner()));
        }
        return List.copyOf(out);
    }

    /** A stage name; after {@code after} in funnel order if given; one an opportunity has if asked. */
    private static Stage stage(String key, String value, Stage after, boolean onOpportunity) {
        check(value != null, key, "is missing", "use one of: " + Arrays.toString(Stage.values()));
        Stage s = enumValue(key, value, Stage.class);
        check(after == null || s.order() > after.order(), key, s + " is not after the entry stage " + after,
                "name a later stage");
        check(!onOpportunity || OPPORTUNITY_STAGES.contains(s), key,
                s + " is not a stage an opportunity reaches", "use OPPORTUNITY, WON or BOOKED");
        return s;
    }
}
