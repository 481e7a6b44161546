-- One view per audit table over the Parquet output, for DuckDB (the CLI, or any client).
-- Set the output root first (output.root of the configuration, or --output), then read this file:
--
--   SET VARIABLE output = 'out';
--   .read sql/duckdb/views.sql
--
-- as_of (and, for audit_run, run_id) comes from the folder names (as_of=YYYY-MM-DD), typed as a DATE.
-- Every query in this folder reads these views; its parameters are DuckDB variables named at its top.
--
-- A table the output holds no Parquet file of (audit_acknowledgements when the acknowledgements
-- input was never given, or a table a newer version added) reads as the same columns with no
-- rows, from its empty twin in schema audit_empty, so every query still runs; a table that is
-- there but empty (a night with no rows in it) has a Parquet file with its columns and reads
-- the same way. Whether a table had files is looked up once, here, into the variable
-- <table>_files: read this file again after a run that adds a table. A session in which the
-- variables are unset does not read an absent table as empty: it fails as DuckDB does without
-- files ("No files found").
CREATE SCHEMA IF NOT EXISTS audit_empty;

CREATE OR REPLACE TABLE audit_empty.audit_funnel (
  run_id VARCHAR, cut_dimension VARCHAR, cut_value VARCHAR, cohort_month VARCHAR, stage VARCHAR,
  stage_order INTEGER, entered BIGINT, converted BIGINT, conversion_rate DOUBLE, dropped BIGINT,
  skipped BIGINT, is_biggest_drop BOOLEAN, is_weakest_stage BOOLEAN, as_of DATE);
SET VARIABLE audit_funnel_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_funnel/*/*.parquet'));
CREATE OR REPLACE VIEW audit_funnel AS FROM query(CASE WHEN getvariable('audit_funnel_files') = 0
  THEN 'FROM audit_empty.audit_funnel'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_funnel/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_handoff_failures (
  run_id VARCHAR, handoff VARCHAR, record_id VARCHAR, segment VARCHAR, information_failure BOOLEAN,
  missing_fields VARCHAR[], timing_failure BOOLEAN, sla_status VARCHAR, latency_hours DOUBLE,
  qualification_failure BOOLEAN, reason_category VARCHAR, primary_failure VARCHAR, reason VARCHAR,
  disposed BOOLEAN, reason_valid BOOLEAN, owner_named BOOLEAN, completed BOOLEAN, outcome_reached BOOLEAN,
  entered_at TIMESTAMP WITH TIME ZONE, owner_record_id VARCHAR, as_of DATE);
SET VARIABLE audit_handoff_failures_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_handoff_failures/*/*.parquet'));
CREATE OR REPLACE VIEW audit_handoff_failures AS FROM query(CASE WHEN getvariable('audit_handoff_failures_files') = 0
  THEN 'FROM audit_empty.audit_handoff_failures'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_handoff_failures/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_failure_impact (
  run_id VARCHAR, handoff VARCHAR, failure_type VARCHAR, segment VARCHAR, records BIGINT,
  win_rate_failed DOUBLE, win_rate_clean DOUBLE, avg_won_amount DECIMAL(20,2),
  impact_upper_bound DECIMAL(20,2), impact_expected DECIMAL(20,2), won_failed BIGINT,
  clean_records BIGINT, won_clean BIGINT, won_deals BIGINT, note VARCHAR, as_of DATE);
SET VARIABLE audit_failure_impact_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_failure_impact/*/*.parquet'));
CREATE OR REPLACE VIEW audit_failure_impact AS FROM query(CASE WHEN getvariable('audit_failure_impact_files') = 0
  THEN 'FROM audit_empty.audit_failure_impact'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_failure_impact/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_handoff_map (
  run_id VARCHAR, handoff VARCHAR, sender VARCHAR, receiver VARCHAR, entered BIGINT,
  payload_complete_pct DOUBLE, sla_met_pct DOUBLE, owner_named_pct DOUBLE, median_latency_hours DOUBLE,
  p90_latency_hours DOUBLE, valid_rejection_reason_pct DOUBLE, completion_pct DOUBLE, sla_pending BIGINT,
  sla_not_measurable BIGINT, unmapped_reasons BIGINT, exception_owner VARCHAR, as_of DATE);
SET VARIABLE audit_handoff_map_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_handoff_map/*/*.parquet'));
CREATE OR REPLACE VIEW audit_handoff_map AS FROM query(CASE WHEN getvariable('audit_handoff_map_files') = 0
  THEN 'FROM audit_empty.audit_handoff_map'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_handoff_map/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_reconciliation (
  run_id VARCHAR, opportunity_id VARCHAR, booking_ids VARCHAR[], account_id VARCHAR, category VARCHAR,
  matched_by VARCHAR, crm_amount DECIMAL(24,6), finance_amount DECIMAL(24,6), variance DECIMAL(24,6),
  crm_period VARCHAR, finance_period VARCHAR, lag_days INTEGER, layer VARCHAR, segment VARCHAR,
  unconverted VARCHAR, note VARCHAR, as_of DATE);
SET VARIABLE audit_reconciliation_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_reconciliation/*/*.parquet'));
CREATE OR REPLACE VIEW audit_reconciliation AS FROM query(CASE WHEN getvariable('audit_reconciliation_files') = 0
  THEN 'FROM audit_empty.audit_reconciliation'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_reconciliation/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_revenue_bridge (
  run_id VARCHAR, bridge VARCHAR, period VARCHAR, step_order INTEGER, step VARCHAR, layer VARCHAR,
  amount DECIMAL(24,6), running_total DECIMAL(24,6), rows BIGINT, note VARCHAR, fiscal_quarter VARCHAR,
  as_of DATE);
SET VARIABLE audit_revenue_bridge_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_revenue_bridge/*/*.parquet'));
CREATE OR REPLACE VIEW audit_revenue_bridge AS FROM query(CASE WHEN getvariable('audit_revenue_bridge_files') = 0
  THEN 'FROM audit_empty.audit_revenue_bridge'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_revenue_bridge/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_metric_comparison (
  run_id VARCHAR, metric VARCHAR, period VARCHAR, segment VARCHAR, modeled_value DECIMAL(24,6),
  recomputed_value DECIMAL(24,6), finance_safe_value DECIMAL(24,6), variance DECIMAL(24,6),
  variance_pct DOUBLE, translation_drift DECIMAL(24,6), source_model VARCHAR, fiscal_quarter VARCHAR,
  as_of DATE);
SET VARIABLE audit_metric_comparison_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_metric_comparison/*/*.parquet'));
CREATE OR REPLACE VIEW audit_metric_comparison AS FROM query(CASE WHEN getvariable('audit_metric_comparison_files') = 0
  THEN 'FROM audit_empty.audit_metric_comparison'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_metric_comparison/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_drift (
  run_id VARCHAR, metric VARCHAR, period VARCHAR, segment VARCHAR, previous_run_id VARCHAR,
  previous_as_of DATE, previous_value DECIMAL(24,6), current_value DECIMAL(24,6), delta DECIMAL(24,6),
  delta_pct DOUBLE, note VARCHAR, as_of DATE);
SET VARIABLE audit_drift_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_drift/*/*.parquet'));
CREATE OR REPLACE VIEW audit_drift AS FROM query(CASE WHEN getvariable('audit_drift_files') = 0
  THEN 'FROM audit_empty.audit_drift'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_drift/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_benchmark (
  run_id VARCHAR, workflow VARCHAR, dimension VARCHAR, dimension_order INTEGER, indicator VARCHAR,
  value DECIMAL(18,4), score INTEGER, thresholds VARCHAR, records BIGINT, evidence_ids VARCHAR[],
  layer VARCHAR, unit VARCHAR, total INTEGER, band VARCHAR, complete BOOLEAN, note VARCHAR, as_of DATE);
SET VARIABLE audit_benchmark_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_benchmark/*/*.parquet'));
CREATE OR REPLACE VIEW audit_benchmark AS FROM query(CASE WHEN getvariable('audit_benchmark_files') = 0
  THEN 'FROM audit_empty.audit_benchmark'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_benchmark/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_first_fork (
  run_id VARCHAR, workflow VARCHAR, number_in_dispute DECIMAL(38,2), first_fork_layer VARCHAR,
  downstream_symptom VARCHAR, repair_owner VARCHAR, next_move VARCHAR, problem_kind VARCHAR,
  marketing_sourced_pipeline DECIMAL(38,2), sales_accepted_pipeline DECIMAL(38,2),
  finance_booked DECIMAL(38,2), material_layers VARCHAR[], leads BIGINT, won_value DECIMAL(38,2),
  total INTEGER, band VARCHAR, complete BOOLEAN, biggest_drop_stage VARCHAR, biggest_drop BIGINT,
  top_failure VARCHAR, top_failure_impact DECIMAL(38,2), as_of DATE);
SET VARIABLE audit_first_fork_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_first_fork/*/*.parquet'));
CREATE OR REPLACE VIEW audit_first_fork AS FROM query(CASE WHEN getvariable('audit_first_fork_files') = 0
  THEN 'FROM audit_empty.audit_first_fork'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_first_fork/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_quarantine (
  run_id VARCHAR, source_table VARCHAR, row_key VARCHAR, reason VARCHAR, raw_record VARCHAR, as_of DATE);
SET VARIABLE audit_quarantine_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_quarantine/*/*.parquet'));
CREATE OR REPLACE VIEW audit_quarantine AS FROM query(CASE WHEN getvariable('audit_quarantine_files') = 0
  THEN 'FROM audit_empty.audit_quarantine'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_quarantine/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_break_ledger (
  run_id VARCHAR, break_id VARCHAR, opportunity_id VARCHAR, booking_ids VARCHAR, status VARCHAR,
  category VARCHAR, first_category VARCHAR, amount DECIMAL(24,6), first_amount DECIMAL(24,6),
  variance DECIMAL(24,6), first_seen_as_of DATE, last_seen_as_of DATE, nights_open INTEGER,
  earliest_date DATE, age_days INTEGER, resolved_as_of DATE, resolution VARCHAR, segment VARCHAR,
  owner_id VARCHAR, account_id VARCHAR, lag_status VARCHAR, expected_lag_days_p50 DOUBLE,
  expected_lag_days_p90 DOUBLE, lag_basis VARCHAR, acknowledged BOOLEAN, acknowledged_by VARCHAR,
  acknowledgement_reason VARCHAR, acknowledged_until DATE, acknowledgement_state VARCHAR,
  acknowledged_since DATE, acknowledged_category VARCHAR, acknowledged_amount DECIMAL(24,6),
  acknowledged_variance DECIMAL(24,6), as_of DATE);
SET VARIABLE audit_break_ledger_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_break_ledger/*/*.parquet'));
CREATE OR REPLACE VIEW audit_break_ledger AS FROM query(CASE WHEN getvariable('audit_break_ledger_files') = 0
  THEN 'FROM audit_empty.audit_break_ledger'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_break_ledger/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_category_transitions (
  run_id VARCHAR, previous_as_of DATE, from_category VARCHAR, to_category VARCHAR, rows BIGINT,
  amount DECIMAL(24,6), as_of DATE);
SET VARIABLE audit_category_transitions_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_category_transitions/*/*.parquet'));
CREATE OR REPLACE VIEW audit_category_transitions AS FROM query(CASE WHEN getvariable('audit_category_transitions_files') = 0
  THEN 'FROM audit_empty.audit_category_transitions'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_category_transitions/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_acknowledgements (
  run_id VARCHAR, break_id VARCHAR, acknowledged_by VARCHAR, reason VARCHAR, until DATE,
  expected_category VARCHAR, state VARCHAR, status VARCHAR, category VARCHAR, amount DECIMAL(24,6),
  as_of DATE);
SET VARIABLE audit_acknowledgements_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_acknowledgements/*/*.parquet'));
CREATE OR REPLACE VIEW audit_acknowledgements AS FROM query(CASE WHEN getvariable('audit_acknowledgements_files') = 0
  THEN 'FROM audit_empty.audit_acknowledgements'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_acknowledgements/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_restatements (
  run_id VARCHAR, period VARCHAR, side VARCHAR, record_id VARCHAR, opportunity_id VARCHAR, movement VARCHAR,
  amount_at_close DECIMAL(24,6), amount_now DECIMAL(24,6), difference DECIMAL(24,6), date_at_close DATE,
  date_now DATE, other_period VARCHAR, period_close_date DATE, closed_as_of DATE, as_of DATE);
SET VARIABLE audit_restatements_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_restatements/*/*.parquet'));
CREATE OR REPLACE VIEW audit_restatements AS FROM query(CASE WHEN getvariable('audit_restatements_files') = 0
  THEN 'FROM audit_empty.audit_restatements'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_restatements/*/*.parquet'', hive_partitioning = true)' END);

CREATE OR REPLACE TABLE audit_empty.audit_run (
  started_at TIMESTAMP WITH TIME ZONE, finished_at TIMESTAMP WITH TIME ZONE, status VARCHAR,
  config_hash VARCHAR, code_version VARCHAR,
  inputs STRUCT("table" VARCHAR, present BOOLEAN, rows_read BIGINT, rows_accepted BIGINT, rows_quarantined BIGINT, rows_deleted BIGINT)[],
  skipped_figures STRUCT(figure VARCHAR, reason VARCHAR)[],
  steps STRUCT(step VARCHAR, "rows" BIGINT, "seconds" DOUBLE)[], error_class VARCHAR,
  error_message VARCHAR,
  invariants STRUCT("name" VARCHAR, expected BIGINT, actual BIGINT, pass BOOLEAN)[],
  coverage_tables STRUCT("table" VARCHAR, state VARCHAR, "rows" BIGINT)[],
  coverage_stages STRUCT(stage VARCHAR, leads_with_evidence BIGINT)[], cohort_leads BIGINT, won_deals BIGINT,
  won_with_amount BIGINT, won_with_currency BIGINT, won_with_fx_rate BIGINT, won_with_lead BIGINT,
  outputs STRUCT("table" VARCHAR, "rows" BIGINT)[], spark_jobs BIGINT, as_of DATE, run_id VARCHAR);
SET VARIABLE audit_run_files = (SELECT count(*) FROM glob(getvariable('output') || '/audit_run/*/*/*.parquet'));
CREATE OR REPLACE VIEW audit_run AS FROM query(CASE WHEN getvariable('audit_run_files') = 0
  THEN 'FROM audit_empty.audit_run'
  ELSE 'FROM read_parquet(getvariable(''output'') || ''/audit_run/*/*/*.parquet'', hive_partitioning = true, union_by_name = true)' END);
