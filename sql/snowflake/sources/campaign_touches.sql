CREATE OR REPLACE VIEW campaign_touches AS
SELECT id AS touch_id, campaign_id, lead_id, NULL::VARCHAR AS opportunity_id,
       COALESCE(first_responded_date::TIMESTAMP_NTZ, created_date) AS touched_at, status AS touch_type,
       NULL::VARCHAR AS utm_source, NULL::VARCHAR AS utm_medium, NULL::VARCHAR AS utm_campaign
FROM FIVETRAN_DB.SALESFORCE.CAMPAIGN_MEMBER
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE);
