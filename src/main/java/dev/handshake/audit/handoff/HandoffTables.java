package dev.handshake.audit.handoff;

import dev.handshake.model.OutputTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Column names of the three handoff tables (docs/outputs.md), in output order. */
public final class HandoffTables {
    public static final String FAILURES = "audit_handoff_failures";
    public static final String IMPACT = "audit_failure_impact";
    public static final String MAP = "audit_handoff_map";

    public static final String HANDOFF = "handoff";
    public static final String RECORD_ID = "record_id";
    public static final String SEGMENT = "segment";
    public static final String INFORMATION_FAILURE = "information_failure";
    public static final String MISSING_FIELDS = "missing_fields";
    public static final String TIMING_FAILURE = "timing_failure";
    public static final String SLA_STATUS = "sla_status";
    public static final String LATENCY_HOURS = "latency_hours";
    public static final String QUALIFICATION_FAILURE = "qualification_failure";
    public static final String REASON = "reason";
    public static final String REASON_CATEGORY = "reason_category";
    public static final String PRIMARY_FAILURE = "primary_failure";
    public static final String OWNER_NAMED = "owner_named";
    public static final String COMPLETED = "completed";
    public static final String OUTCOME_REACHED = "outcome_reached";
    public static final String DISPOSED = "disposed";
    public static final String REASON_VALID = "reason_valid";
    /** The entry instant that starts the SLA clock (null when entered only through later evidence). */
    public static final String ENTERED_AT = "entered_at";
    /** The lead or opportunity that carries the receiving owner. */
    public static final String OWNER_RECORD_ID = "owner_record_id";

    /**
     * Since when the record carrying the receiving owner exists (its creation instant): evaluated
     * rows carry it for the owner-clarity test, the published table does not.
     */
    public static final String OWNER_RECORD_SINCE = "owner_record_since";

    public static final List<String> FAILURE_COLUMNS = List.of(HANDOFF, RECORD_ID, SEGMENT,
            INFORMATION_FAILURE, MISSING_FIELDS, TIMING_FAILURE, SLA_STATUS, LATENCY_HOURS,
            QUALIFICATION_FAILURE, REASON_CATEGORY, PRIMARY_FAILURE, REASON, DISPOSED, REASON_VALID,
            OWNER_NAMED, COMPLETED, OUTCOME_REACHED, ENTERED_AT, OWNER_RECORD_ID);

    /** The failure rows as published: without the workflows the evaluated rows may carry. */
    public static Dataset<Row> published(Dataset<Row> failures) {
        return failures.select(FAILURE_COLUMNS.stream().map(functions::col).toArray(Column[]::new));
    }

    public static final String FAILURE_TYPE = "failure_type";
    public static final String RECORDS = "records";
    public static final String WON_FAILED = "won_failed";
    public static final String WIN_RATE_FAILED = "win_rate_failed";
    public static final String CLEAN_RECORDS = "clean_records";
    public static final String WON_CLEAN = "won_clean";
    public static final String WIN_RATE_CLEAN = "win_rate_clean";
    public static final String WON_DEALS = "won_deals";
    public static final String AVG_WON_AMOUNT = "avg_won_amount";
    public static final String IMPACT_UPPER_BOUND = "impact_upper_bound";
    public static final String IMPACT_EXPECTED = "impact_expected";
    public static final String NOTE = "note";

    public static final List<String> IMPACT_COLUMNS = List.of(HANDOFF, FAILURE_TYPE, SEGMENT, RECORDS,
            WIN_RATE_FAILED, WIN_RATE_CLEAN, AVG_WON_AMOUNT, IMPACT_UPPER_BOUND, IMPACT_EXPECTED,
            WON_FAILED, CLEAN_RECORDS, WON_CLEAN, WON_DEALS, NOTE);

    public static final String SENDER = "sender";
    public static final String RECEIVER = "receiver";
    public static final String ENTERED = "entered";
    public static final String PAYLOAD_COMPLETE_PCT = "payload_complete_pct";
    public static final String SLA_MET_PCT = "sla_met_pct";
    public static final String OWNER_NAMED_PCT = "owner_named_pct";
    public static final String MEDIAN_LATENCY_HOURS = "median_latency_hours";
    public static final String P90_LATENCY_HOURS = "p90_latency_hours";
    public static final String VALID_REJECTION_REASON_PCT = "valid_rejection_reason_pct";
    public static final String COMPLETION_PCT = "completion_pct";
    public static final String PENDING = "sla_pending";
    public static final String SLA_NOT_MEASURABLE = "sla_not_measurable";
    public static final String UNMAPPED_REASONS = "unmapped_reasons";
    public static final String EXCEPTION_OWNER = "exception_owner";

    public static final List<String> MAP_COLUMNS = List.of(HANDOFF, SENDER, RECEIVER, ENTERED,
            PAYLOAD_COMPLETE_PCT, SLA_MET_PCT, OWNER_NAMED_PCT, MEDIAN_LATENCY_HOURS, P90_LATENCY_HOURS,
            VALID_REJECTION_REASON_PCT, COMPLETION_PCT, PENDING, SLA_NOT_MEASURABLE, UNMAPPED_REASONS, EXCEPTION_OWNER);

    /** sla_status values. */
    public static final String MET = "MET";
    public static final String BREACHED = "BREACHED";
    public static final String PENDING_STATUS = "PENDING";
    public static final String NEVER = "NEVER";
    /** Entered through later evidence, with no entry instant to start the SLA clock. */
    public static final String NOT_MEASURABLE = "NOT_MEASURABLE";
    /** reason_category of a reason label listed nowhere in reason_categories. */
    public static final String UNMAPPED = "UNMAPPED";

    private HandoffTables() {}

    /** One row per failing record: grows with input. */
    public static final OutputTable FAILURES_OUTPUT = OutputTable.large(FAILURES, HANDOFF, RECORD_ID);
    public static final OutputTable IMPACT_OUTPUT = OutputTable.small(IMPACT, HANDOFF, FAILURE_TYPE, SEGMENT);
    public static final OutputTable MAP_OUTPUT = OutputTable.small(MAP, HANDOFF);
}
