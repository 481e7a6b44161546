-- Both bridges for one period on the latest night; the steps of each tie out exactly (checked by the run).
-- parameters: period (a month), e.g.  SET VARIABLE period = '2026-06';
SELECT bridge, step_order, step, layer, amount, running_total, "rows", note
FROM audit_revenue_bridge
WHERE as_of = (SELECT MAX(as_of) FROM audit_revenue_bridge)
  AND period = getvariable('period')
ORDER BY bridge, step_order;
