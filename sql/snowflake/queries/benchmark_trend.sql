-- Each workflow's benchmark history: one row per workflow and night, the newest night first,
-- over the 30 nights up to the latest one. A rerun replaces its night, so each night is one run.
SELECT b.workflow,
       b.as_of,
       MAX(CASE WHEN b.dimension = 'capture_linkage' THEN b.score END)              AS capture_linkage,
       MAX(CASE WHEN b.dimension = 'stage_consistency' THEN b.score END)            AS stage_consistency,
       MAX(CASE WHEN b.dimension = 'owner_clarity' THEN b.score END)                AS owner_clarity,
       MAX(CASE WHEN b.dimension = 'override_discipline' THEN b.score END)          AS override_discipline,
       MAX(CASE WHEN b.dimension = 'finance_lag' THEN b.score END)                  AS finance_lag,
       MAX(CASE WHEN b.dimension = 'reconciliation_repeatability' THEN b.score END) AS reconciliation_repeatability,
       MAX(b.total)                                                                 AS total,
       MAX(b.band)                                                                  AS band,
       BOOLAND_AGG(b.complete)                                                      AS complete,
       MAX(f.first_fork_layer)                                                      AS first_fork_layer
FROM audit_benchmark b
LEFT JOIN audit_first_fork f ON f.workflow = b.workflow AND f.as_of = b.as_of
WHERE b.as_of >= DATEADD(day, -30, (SELECT MAX(as_of) FROM audit_benchmark))
GROUP BY b.workflow, b.as_of
ORDER BY b.workflow, b.as_of DESC;
