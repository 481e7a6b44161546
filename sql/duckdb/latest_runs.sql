-- The last successful run of each night, with rows read / accepted / quarantined per input.
WITH ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY as_of ORDER BY finished_at DESC) AS rn
  FROM audit_run
  WHERE status = 'SUCCEEDED'
),
inputs AS (
  SELECT as_of, run_id, finished_at, UNNEST(inputs) AS i FROM ranked WHERE rn = 1
)
SELECT as_of, run_id, finished_at, i."table" AS input_table, i.rows_read, i.rows_accepted, i.rows_quarantined
FROM inputs
WHERE i.present
ORDER BY as_of DESC, input_table;
