-- Finance: what moved a closed month since its close, record by record ("what moved March since
-- close"), from audit_restatements (needs reconciliation.period_close_days) of the latest night.
-- parameter: period (the month), e.g.  SET period = '2026-03';
--
-- Part 1: per side (CRM bookings, finance bookings), the month as first published after its
-- close (on closed_as_of), tonight, and the difference.
SELECT side, MIN(closed_as_of) AS closed_as_of, COALESCE(SUM(amount_at_close), 0) AS at_close,
       COALESCE(SUM(amount_now), 0) AS tonight, SUM(difference) AS moved
FROM audit_restatements
WHERE period = $period AND as_of = (SELECT MAX(as_of) FROM audit_restatements)
GROUP BY side
ORDER BY side;

-- Part 2: the records that moved it (late bookings, reversals, late wins, re-dated records,
-- amount edits, removed records); their differences sum exactly to part 1's.
SELECT side, movement, record_id, opportunity_id, amount_at_close, amount_now, difference,
       date_at_close, date_now, other_period
FROM audit_restatements
WHERE period = $period AND as_of = (SELECT MAX(as_of) FROM audit_restatements)
  AND movement <> 'UNCHANGED'
ORDER BY ABS(difference) DESC, side, record_id;
