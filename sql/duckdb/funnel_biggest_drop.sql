-- Where each segment's funnel loses the most leads on the latest night (all cohort months).
SELECT f.cut_value AS segment, f.stage, f.entered, f.converted, f.dropped,
       ROUND(f.conversion_rate * 100, 1) AS conversion_pct
FROM audit_funnel f
WHERE f.as_of = (SELECT MAX(as_of) FROM audit_funnel)
  AND f.cut_dimension = 'segment'
  AND f.cohort_month = '*'
  AND f.is_biggest_drop
ORDER BY f.dropped DESC, segment;
