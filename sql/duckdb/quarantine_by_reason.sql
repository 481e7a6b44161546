-- Contract breaks of the latest night by table and reason; each reason names the column.
SELECT source_table, reason, COUNT(*) AS "rows"
FROM audit_quarantine
WHERE as_of = (SELECT MAX(as_of) FROM audit_quarantine)
GROUP BY source_table, reason
ORDER BY "rows" DESC, source_table, reason;
