-- Governed-field changes on leads and opportunities, Salesforce field API names mapped to the
-- canonical column names the audit knows. Extend the CASE with your custom fields.
CREATE OR REPLACE VIEW field_history AS
SELECT 'lead' AS object_type, lead_id AS object_id,
       CASE field WHEN 'Owner' THEN 'owner_id' WHEN 'LeadSource' THEN 'lead_source'
                  WHEN 'Status' THEN 'status' ELSE LOWER(field) END AS field,
       old_value, new_value, created_date AS changed_at, created_by_id AS changed_by,
       NULL::VARCHAR AS change_reason
FROM FIVETRAN_DB.SALESFORCE.LEAD_HISTORY
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE)
UNION ALL
SELECT 'opportunity', opportunity_id,
       CASE field WHEN 'Owner' THEN 'owner_id' WHEN 'LeadSource' THEN 'lead_source'
                  WHEN 'Campaign' THEN 'campaign_id' WHEN 'StageName' THEN 'stage_name'
                  WHEN 'Amount' THEN 'amount' WHEN 'CloseDate' THEN 'close_date' ELSE LOWER(field) END,
       old_value, new_value, created_date, created_by_id, NULL::VARCHAR
FROM FIVETRAN_DB.SALESFORCE.OPPORTUNITY_FIELD_HISTORY
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE);
