-- Night-over-night conversion per stage for all leads (all cohort months), one row per night.
SELECT as_of,
       MAX(CASE WHEN stage = 'MQL' THEN conversion_rate END)         AS mql_to_assigned,
       MAX(CASE WHEN stage = 'ASSIGNED' THEN conversion_rate END)    AS assigned_to_worked,
       MAX(CASE WHEN stage = 'WORKED' THEN conversion_rate END)      AS worked_to_sal,
       MAX(CASE WHEN stage = 'SAL' THEN conversion_rate END)         AS sal_to_opportunity,
       MAX(CASE WHEN stage = 'OPPORTUNITY' THEN conversion_rate END) AS opportunity_to_won
FROM audit_funnel
WHERE cut_dimension = 'all' AND cohort_month = '*'
GROUP BY as_of
ORDER BY as_of;
