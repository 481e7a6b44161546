-- lead_status_history from Salesforce LeadHistory: only changes of the Status field, the status
-- the lead moved *to*. (Fivetran lands LeadHistory as LEAD_HISTORY when the object is enabled.)
CREATE OR REPLACE VIEW lead_status_history AS
SELECT
    lead_id,
    new_value        AS status,
    created_date     AS changed_at,
    created_by_id    AS changed_by
FROM FIVETRAN_DB.SALESFORCE.LEAD_HISTORY
WHERE field = 'Status'
  AND NOT COALESCE(is_deleted, FALSE)
  AND NOT COALESCE(_fivetran_deleted, FALSE);
