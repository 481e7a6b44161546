package dev.handshake.audit.benchmark;

/**
 * What a night's workflows are populations of (docs/definitions.md, section 6, Workflows): the
 * cohort leads, or, when the night has none (no leads table, or no lead in the cohort), the
 * opportunities in scope, matched on their own fields. One basis for the whole night, so every
 * workflow of a night counts the same kind of record.
 */
public enum WorkflowBasis {
    LEADS("cohort leads", "lead in the cohort"),
    OPPORTUNITIES("opportunities in scope", "opportunity in scope");

    private final String records;
    private final String one;

    WorkflowBasis(String records, String one) {
        this.records = records;
        this.one = one;
    }

    /** Leads when the cohort has any: the lead journey is the richer story and the one defined first. */
    public static WorkflowBasis of(long cohortLeads) {
        return cohortLeads > 0 ? LEADS : OPPORTUNITIES;
    }

    /** The records a workflow is made of, in words ("cohort leads"). */
    public String records() {
        return records;
    }

    /** One such record, in words ("lead in the cohort"), as in "matches no lead in the cohort". */
    public String one() {
        return one;
    }
}
