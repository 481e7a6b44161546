CREATE OR REPLACE VIEW campaigns AS
SELECT id AS campaign_id, name, type AS channel, type AS campaign_type, start_date, actual_cost AS cost
FROM FIVETRAN_DB.SALESFORCE.CAMPAIGN
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE);
