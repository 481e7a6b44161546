-- Both bridges for one period on the latest night; the steps of each tie out exactly (checked by the run).
-- parameters: period (a month), e.g.  SET period = '2026-06';
SELECT bridge, step_order, step, layer, amount, running_total, "ROWS", note
FROM audit_revenue_bridge
WHERE as_of = (SELECT MAX(as_of) FROM audit_revenue_bridge)
  AND period = $period
ORDER BY bridge, step_order;
