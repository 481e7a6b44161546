-- Finance, every morning: open variance by category for a month (latest night), in reporting currency.
-- parameters: period (the month), e.g.  SET period = '2026-06';
SELECT category, layer, COUNT(*) AS "ROWS",
       SUM(crm_amount) AS crm_amount, SUM(finance_amount) AS finance_amount, SUM(variance) AS variance
FROM audit_reconciliation
WHERE as_of = (SELECT MAX(as_of) FROM audit_reconciliation)
  AND (crm_period = $period OR finance_period = $period)
  AND category <> 'MATCHED'
GROUP BY category, layer
ORDER BY ABS(SUM(variance)) DESC NULLS LAST, category;
