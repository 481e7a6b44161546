-- Finance, every morning: what broke (or broke again) last night, largest first, with who has
-- already acknowledged it. Breaks resolved last night are listed too, with how they resolved.
-- booking_ids is JSON text in the warehouse (PARSE_JSON(booking_ids) to read it as an array).
SELECT status, break_id, opportunity_id, booking_ids, category, first_category, amount, variance,
       age_days, owner_id, acknowledged, acknowledged_by, acknowledgement_state, resolution
FROM audit_break_ledger
WHERE as_of = (SELECT MAX(as_of) FROM audit_break_ledger)
  AND (status IN ('NEW', 'REOPENED', 'CHANGED') OR resolved_as_of = as_of)
ORDER BY CASE status WHEN 'NEW' THEN 1 WHEN 'REOPENED' THEN 2 WHEN 'CHANGED' THEN 3 ELSE 4 END,
         ABS(amount) DESC NULLS LAST;
