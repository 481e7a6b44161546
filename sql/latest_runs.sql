-- The last successful run of each night, with rows read / accepted / quarantined per input.
WITH ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY as_of ORDER BY finished_at DESC) AS rn
  FROM audit_run
  WHERE status = 'SUCCEEDED'
)
SELECT r.as_of, r.run_id, r.finished_at, i.table, i.rows_read, i.rows_accepted, i.rows_quarantined
FROM ranked r LATERAL VIEW explode(r.inputs) t AS i
WHERE r.rn = 1 AND i.present
ORDER BY r.as_of DESC, i.table;
