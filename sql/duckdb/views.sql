-- One view per audit table over the Parquet output, for DuckDB (the CLI, or any client).
-- Set the output root first (output.root of the configuration, or --output), then read this file:
--
--   SET VARIABLE output = 'out';
--   .read sql/duckdb/views.sql
--
-- as_of (and, for audit_run, run_id) comes from the folder names (as_of=YYYY-MM-DD), typed as a DATE.
-- Every query in this folder reads these views; its parameters are DuckDB variables named at its top.
-- A table without any Parquet file in the output (e.g. audit_acknowledgements when the
-- acknowledgements input was never given) makes DuckDB refuse its view ("No files found"). The
-- views are independent: the others are still created.
CREATE OR REPLACE VIEW audit_funnel AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_funnel/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_handoff_failures AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_handoff_failures/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_failure_impact AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_failure_impact/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_handoff_map AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_handoff_map/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_reconciliation AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_reconciliation/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_revenue_bridge AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_revenue_bridge/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_metric_comparison AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_metric_comparison/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_drift AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_drift/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_benchmark AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_benchmark/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_first_fork AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_first_fork/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_quarantine AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_quarantine/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_break_ledger AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_break_ledger/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_category_transitions AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_category_transitions/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_acknowledgements AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_acknowledgements/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_restatements AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_restatements/*/*.parquet', hive_partitioning = true);
CREATE OR REPLACE VIEW audit_run AS
  SELECT * FROM read_parquet(getvariable('output') || '/audit_run/*/*/*.parquet', hive_partitioning = true);
