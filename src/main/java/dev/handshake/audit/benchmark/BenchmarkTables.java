package dev.handshake.audit.benchmark;

import dev.handshake.model.Dimension;
import dev.handshake.model.OutputTable;
import java.util.List;

/** Names and columns of audit_benchmark, audit_first_fork and the CSV summary (docs/outputs.md). */
public final class BenchmarkTables {
    public static final String BENCHMARK = "audit_benchmark";
    public static final String FIRST_FORK = "audit_first_fork";
    public static final String REPORTS = "reports";
    public static final String SUMMARY_CSV = "benchmark_summary.csv";
    public static final String REVIEW_SHEET = "review_sheet.md";
    public static final String REPORT_HTML = "report.html";
    /** The list of every night's report, beside the nights' directories. */
    public static final String REPORT_INDEX = "index.html";

    public static final String WORKFLOW = "workflow";
    public static final String DIMENSION = "dimension";
    public static final String DIMENSION_ORDER = "dimension_order";
    public static final String INDICATOR = "indicator";
    public static final String VALUE = "value";
    public static final String SCORE = "score";
    public static final String THRESHOLDS = "thresholds";
    public static final String RECORDS = "records";
    public static final String EVIDENCE_IDS = "evidence_ids";
    public static final String LAYER = "layer";
    public static final String UNIT = "unit";
    public static final String TOTAL = "total";
    public static final String BAND = "band";
    public static final String COMPLETE = "complete";
    public static final String NOTE = "note";

    public static final String NUMBER_IN_DISPUTE = "number_in_dispute";
    public static final String FIRST_FORK_LAYER = "first_fork_layer";
    public static final String DOWNSTREAM_SYMPTOM = "downstream_symptom";
    public static final String REPAIR_OWNER = "repair_owner";
    public static final String NEXT_MOVE = "next_move";
    public static final String PROBLEM_KIND = "problem_kind";
    public static final String MARKETING_SOURCED = "marketing_sourced_pipeline";
    public static final String SALES_ACCEPTED = "sales_accepted_pipeline";
    public static final String FINANCE_BOOKED = "finance_booked";
    public static final String LEADS = "leads";
    public static final String WON_VALUE = "won_value";
    public static final String MATERIAL_LAYERS = "material_layers";
    public static final String BIGGEST_DROP_STAGE = "biggest_drop_stage";
    public static final String BIGGEST_DROP = "biggest_drop";
    public static final String TOP_FAILURE = "top_failure";
    public static final String TOP_FAILURE_IMPACT = "top_failure_impact";

    /** The CSV benchmark summary header, exactly as docs/outputs.md names it. */
    /** CSV column: each dimension without a score, with why ("dimension: reason; ..."). */
    public static final String NOT_MEASURED = "not_measured";
    public static final List<String> SUMMARY_COLUMNS = List.of("as_of", "workflow", "records", "capture_linkage",
            "stage_consistency", "owner_clarity", "override_discipline", "finance_lag",
            "reconciliation_repeatability", "total", "band", "complete", "first_fork_layer", "repair_owner",
            "next_move", "capture_linkage_value", "stage_consistency_value", "owner_clarity_value",
            "override_discipline_value", "finance_lag_value", "reconciliation_repeatability_value",
            // Appended (issue 25): why each unscored dimension is not measured, then the run's coverage
            // (the same on every row; docs/coverage.md).
            NOT_MEASURED, "coverage_tables_absent", "coverage_tables_empty", "coverage_untracked_stages",
            "coverage_won_deals", "coverage_won_with_amount_pct", "coverage_won_with_currency_pct",
            "coverage_won_with_fx_rate_pct", "coverage_won_with_lead_pct");

    /** The CSV column of a dimension's measured value (appended after the original columns). */
    public static String valueColumn(Dimension d) {
        return d.summaryColumn() + "_value";
    }

    private BenchmarkTables() {}

    public static final OutputTable BENCHMARK_OUTPUT = OutputTable.small(BENCHMARK, WORKFLOW, DIMENSION_ORDER);
    public static final OutputTable FIRST_FORK_OUTPUT = OutputTable.small(FIRST_FORK, WORKFLOW);
}
