package dev.handshake.audit.funnel;

import dev.handshake.model.OutputTable;
import java.util.List;

/** Column names of {@code audit_funnel} (docs/outputs.md), in output order; the sink adds run_id, as_of. */
public final class FunnelTable {
    public static final String NAME = "audit_funnel";

    public static final String CUT_DIMENSION = "cut_dimension";
    public static final String CUT_VALUE = "cut_value";
    public static final String COHORT_MONTH = "cohort_month";
    public static final String STAGE = "stage";
    public static final String STAGE_ORDER = "stage_order";
    public static final String ENTERED = "entered";
    public static final String CONVERTED = "converted";
    public static final String CONVERSION_RATE = "conversion_rate";
    public static final String DROPPED = "dropped";
    public static final String SKIPPED = "skipped";
    public static final String IS_BIGGEST_DROP = "is_biggest_drop";
    public static final String IS_WEAKEST_STAGE = "is_weakest_stage";

    public static final List<String> COLUMNS = List.of(CUT_DIMENSION, CUT_VALUE, COHORT_MONTH, STAGE,
            STAGE_ORDER, ENTERED, CONVERTED, CONVERSION_RATE, DROPPED, SKIPPED, IS_BIGGEST_DROP,
            IS_WEAKEST_STAGE);

    public static final String CUT_ALL = "all";
    public static final String CUT_SEGMENT = "segment";
    public static final String CUT_LEAD_SOURCE = "lead_source";
    public static final String CUT_CHANNEL = "channel";
    /** One funnel per configured workflow (section 4 populations). */
    public static final String CUT_WORKFLOW = "workflow";
    /** cut_value of the all cut, and cohort_month of the all-months rows. */
    public static final String ALL = "*";

    private FunnelTable() {}

    public static final OutputTable OUTPUT = OutputTable.small(NAME, CUT_DIMENSION, CUT_VALUE, COHORT_MONTH,
            STAGE_ORDER);
}
