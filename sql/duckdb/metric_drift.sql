-- Night-over-night movement of each metric, largest first (latest night).
SELECT metric, period, segment, previous_as_of, previous_value, current_value, delta, delta_pct, note
FROM audit_drift
WHERE as_of = (SELECT MAX(as_of) FROM audit_drift)
ORDER BY ABS(delta) DESC NULLS LAST, metric, period, segment;
