-- Finance: what moved a month since it was closed ("what moved March since close").
-- parameters: period (the month) and close_night, the first night audited on or after the close,
-- e.g.  SET period = '2026-03'; SET close_night = '2026-04-05';
-- (a close 5 days after the month ends). booking_ids is JSON text in the warehouse (PARSE_JSON).
--
-- Part 1, exact: the period's CRM bookings and finance bookings (audit_revenue_bridge) as
-- published on close_night and on the latest night, and the difference.
SELECT c.step, c.amount AS at_close, l.amount AS latest, l.amount - c.amount AS moved
FROM audit_revenue_bridge c
JOIN audit_revenue_bridge l ON l.bridge = c.bridge AND l.period = c.period AND l.step = c.step
WHERE c.bridge = 'crm_bookings_to_finance_bookings' AND c.period = $period
  AND c.step IN ('crm_bookings', 'finance_bookings')
  AND c.as_of = TO_DATE($close_night)
  AND l.as_of = (SELECT MAX(as_of) FROM audit_revenue_bridge);

-- Part 2: the reconciliation rows of the period that are new, gone or changed in amount or
-- category since close_night (rows keyed as the break ledger keys them). A row whose bookings
-- fall in several months is listed under its first finance period, so these rows explain the
-- movement but need not sum to part 1's difference to the cent.
WITH at_close AS (
  SELECT COALESCE(opportunity_id, PARSE_JSON(booking_ids)[0]::VARCHAR) AS row_key, * FROM audit_reconciliation
  WHERE as_of = TO_DATE($close_night) AND (crm_period = $period OR finance_period = $period)
),
latest AS (
  SELECT COALESCE(opportunity_id, PARSE_JSON(booking_ids)[0]::VARCHAR) AS row_key, * FROM audit_reconciliation
  WHERE as_of = (SELECT MAX(as_of) FROM audit_reconciliation) AND (crm_period = $period OR finance_period = $period)
)
SELECT COALESCE(l.row_key, c.row_key) AS row_key,
       c.category AS category_at_close, l.category AS category_now,
       c.crm_amount AS crm_at_close, l.crm_amount AS crm_now,
       c.finance_amount AS finance_at_close, l.finance_amount AS finance_now,
       c.finance_period AS finance_period_at_close, l.finance_period AS finance_period_now,
       CASE WHEN c.row_key IS NULL THEN 'new since close'
            WHEN l.row_key IS NULL THEN 'gone since close'
            ELSE 'changed' END AS movement
FROM at_close c
FULL OUTER JOIN latest l ON l.row_key = c.row_key
WHERE c.row_key IS NULL OR l.row_key IS NULL
   OR c.category <> l.category
   OR COALESCE(c.crm_amount, 0) <> COALESCE(l.crm_amount, 0)
   OR COALESCE(c.finance_amount, 0) <> COALESCE(l.finance_amount, 0)
   OR COALESCE(c.finance_period, '') <> COALESCE(l.finance_period, '')
ORDER BY ABS(COALESCE(l.finance_amount, 0) - COALESCE(c.finance_amount, 0)) DESC;
