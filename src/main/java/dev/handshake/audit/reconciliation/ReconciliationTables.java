package dev.handshake.audit.reconciliation;

import dev.handshake.model.OutputTable;
import java.util.List;

/** Column names and values of the reconciliation, bridge and metric tables (docs/outputs.md). */
public final class ReconciliationTables {
    public static final String RECONCILIATION = "audit_reconciliation";
    public static final String BRIDGE = "audit_revenue_bridge";
    public static final String METRICS = "audit_metric_comparison";

    public static final String OPPORTUNITY_ID = "opportunity_id";
    public static final String BOOKING_IDS = "booking_ids";
    public static final String ACCOUNT_ID = "account_id";
    public static final String CATEGORY = "category";
    public static final String MATCHED_BY = "matched_by";
    public static final String CRM_AMOUNT = "crm_amount";
    public static final String FINANCE_AMOUNT = "finance_amount";
    public static final String VARIANCE = "variance";
    public static final String CRM_PERIOD = "crm_period";
    public static final String FINANCE_PERIOD = "finance_period";
    public static final String LAG_DAYS = "lag_days";
    public static final String LAYER = "layer";
    public static final String SEGMENT = "segment";
    public static final String UNCONVERTED = "unconverted";
    public static final String NOTE = "note";

    public static final List<String> RECONCILIATION_COLUMNS = List.of(OPPORTUNITY_ID, BOOKING_IDS, ACCOUNT_ID,
            CATEGORY, MATCHED_BY, CRM_AMOUNT, FINANCE_AMOUNT, VARIANCE, CRM_PERIOD, FINANCE_PERIOD, LAG_DAYS,
            LAYER, SEGMENT, UNCONVERTED, NOTE);

    public static final String BRIDGE_NAME = "bridge";
    public static final String PERIOD = "period";
    public static final String STEP_ORDER = "step_order";
    public static final String STEP = "step";
    public static final String AMOUNT = "amount";
    public static final String RUNNING_TOTAL = "running_total";
    public static final String ROWS = "rows";
    public static final String FISCAL_QUARTER = "fiscal_quarter";

    public static final List<String> BRIDGE_COLUMNS = List.of(BRIDGE_NAME, PERIOD, STEP_ORDER, STEP, LAYER,
            AMOUNT, RUNNING_TOTAL, ROWS, NOTE, FISCAL_QUARTER);

    /** Columns and sides of {@link ReconciliationAudit#contributions}: what a record adds to a period's bookings. */
    public static final String SIDE = "side";
    public static final String RECORD_ID = "record_id";
    public static final String RECORD_DATE = "record_date";
    public static final String CRM_SIDE = "CRM";
    public static final String FINANCE_SIDE = "FINANCE";
    public static final List<String> CONTRIBUTION_COLUMNS = List.of(PERIOD, SIDE, RECORD_ID, OPPORTUNITY_ID,
            RECORD_DATE, AMOUNT);

    public static final String METRIC = "metric";
    public static final String MODELED_VALUE = "modeled_value";
    public static final String RECOMPUTED_VALUE = "recomputed_value";
    public static final String FINANCE_SAFE_VALUE = "finance_safe_value";
    public static final String VARIANCE_PCT = "variance_pct";
    public static final String TRANSLATION_DRIFT = "translation_drift";
    public static final String SOURCE_MODEL = "source_model";

    public static final List<String> METRIC_COLUMNS = List.of(METRIC, PERIOD, SEGMENT, MODELED_VALUE,
            RECOMPUTED_VALUE, FINANCE_SAFE_VALUE, VARIANCE, VARIANCE_PCT, TRANSLATION_DRIFT, SOURCE_MODEL,
            FISCAL_QUARTER);

    /** Categories, in the order a linked pair is tested (and the bridge shows its steps). */
    public static final String CURRENCY_UNRESOLVED = "CURRENCY_UNRESOLVED";
    public static final String REVERSED = "REVERSED";
    public static final String DUPLICATE_BOOKING = "DUPLICATE_BOOKING";
    public static final String AMOUNT_MISMATCH = "AMOUNT_MISMATCH";
    public static final String PERIOD_MISMATCH = "PERIOD_MISMATCH";
    public static final String MATCHED = "MATCHED";
    public static final String LAGGING = "LAGGING";
    public static final String CRM_ONLY = "CRM_ONLY";
    public static final String FINANCE_ONLY = "FINANCE_ONLY";

    public static final List<String> CATEGORIES = List.of(MATCHED, PERIOD_MISMATCH, AMOUNT_MISMATCH,
            DUPLICATE_BOOKING, REVERSED, LAGGING, CRM_ONLY, FINANCE_ONLY, CURRENCY_UNRESOLVED);

    public static final String CRM_TO_FINANCE = "crm_bookings_to_finance_bookings";
    public static final String METRIC_BOOKINGS = "bookings";
    public static final String METRIC_SOURCED_PIPELINE = "sourced_pipeline";

    private ReconciliationTables() {}

    /** One row per deal or booking: grows with input. */
    public static final OutputTable RECONCILIATION_OUTPUT = OutputTable.large(RECONCILIATION, CATEGORY,
            OPPORTUNITY_ID);
    public static final OutputTable BRIDGE_OUTPUT = OutputTable.small(BRIDGE, BRIDGE_NAME, PERIOD, STEP_ORDER);
    public static final OutputTable METRICS_OUTPUT = OutputTable.small(METRICS, METRIC, PERIOD, SEGMENT);
}
