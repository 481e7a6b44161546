-- The last successful run of each night, with rows read / accepted / quarantined per input.
-- inputs is JSON text in the warehouse (PARSE_JSON), one element per input table.
WITH ranked AS (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY as_of ORDER BY finished_at DESC) AS rn
  FROM audit_run
  WHERE status = 'SUCCEEDED'
)
SELECT r.as_of, r.run_id, r.finished_at, i.value:"table"::VARCHAR AS input_table,
       i.value:rows_read::NUMBER AS rows_read, i.value:rows_accepted::NUMBER AS rows_accepted,
       i.value:rows_quarantined::NUMBER AS rows_quarantined
FROM ranked r, LATERAL FLATTEN(input => PARSE_JSON(r.inputs)) i
WHERE r.rn = 1 AND i.value:present::BOOLEAN
ORDER BY r.as_of DESC, input_table;
