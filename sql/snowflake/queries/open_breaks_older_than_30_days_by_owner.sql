-- Finance: breaks still open on the latest night and older than 30 days (from the deal's close
-- date or the first booking date, whichever is earlier), by owner of the deal and category.
-- Bookings without a deal (FINANCE_ONLY) have no owner: '(none)'. Acknowledged breaks are
-- counted apart, so the list to work is the rest.
SELECT COALESCE(owner_id, '(none)') AS owner_id, category,
       COUNT(*) AS breaks,
       SUM(CASE WHEN acknowledged THEN 1 ELSE 0 END) AS acknowledged,
       SUM(amount) AS amount,
       SUM(CASE WHEN acknowledged THEN 0 ELSE amount END) AS amount_not_acknowledged,
       MAX(age_days) AS oldest_days,
       MIN(first_seen_as_of) AS first_seen
FROM audit_break_ledger
WHERE as_of = (SELECT MAX(as_of) FROM audit_break_ledger)
  AND status <> 'RESOLVED'
  AND age_days > 30
GROUP BY COALESCE(owner_id, '(none)'), category
ORDER BY amount_not_acknowledged DESC NULLS LAST, owner_id, category;
