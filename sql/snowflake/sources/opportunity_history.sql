-- Salesforce OpportunityHistory (stage / amount / close date snapshots). With Fivetran's history
-- mode, OPPORTUNITY_HISTORY is instead a type-2 copy of OPPORTUNITY: use id AS opportunity_id and
-- _fivetran_start AS changed_at there.
CREATE OR REPLACE VIEW opportunity_history AS
SELECT
    opportunity_id,
    stage_name,
    amount,
    close_date::DATE   AS close_date,
    created_date       AS changed_at,
    created_by_id      AS changed_by
FROM FIVETRAN_DB.SALESFORCE.OPPORTUNITY_HISTORY
WHERE NOT COALESCE(is_deleted, FALSE)
  AND NOT COALESCE(_fivetran_deleted, FALSE);
