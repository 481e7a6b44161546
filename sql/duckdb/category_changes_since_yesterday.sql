-- Analytics engineers: reconciliation rows whose category changed between the two latest nights.
WITH nights AS (
  SELECT as_of, DENSE_RANK() OVER (ORDER BY as_of DESC) AS n FROM (SELECT DISTINCT as_of FROM audit_reconciliation)
),
today AS (
  SELECT COALESCE(opportunity_id, booking_ids[1]) AS row_key, * FROM audit_reconciliation
  WHERE as_of = (SELECT as_of FROM nights WHERE n = 1)
),
yesterday AS (
  SELECT COALESCE(opportunity_id, booking_ids[1]) AS row_key, * FROM audit_reconciliation
  WHERE as_of = (SELECT as_of FROM nights WHERE n = 2)
)
SELECT t.row_key, y.category AS was, t.category AS now, y.variance AS variance_was, t.variance AS variance_now,
       t.layer, t.matched_by
FROM today t JOIN yesterday y ON t.row_key = y.row_key
WHERE t.category <> y.category
ORDER BY ABS(t.variance) DESC NULLS LAST, t.row_key;
