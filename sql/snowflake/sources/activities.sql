-- Salesforce splits activities into tasks and events. who_id / what_id are polymorphic: ids of
-- contacts or accounts simply match no lead or opportunity.
CREATE OR REPLACE VIEW activities AS
SELECT id AS activity_id,
       IFF(STARTSWITH(who_id, '00Q'), who_id, NULL)  AS lead_id,
       IFF(STARTSWITH(what_id, '006'), what_id, NULL) AS opportunity_id,
       owner_id, created_date AS activity_at, COALESCE(task_subtype, type) AS activity_type
FROM FIVETRAN_DB.SALESFORCE.TASK
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE)
UNION ALL
SELECT id,
       IFF(STARTSWITH(who_id, '00Q'), who_id, NULL),
       IFF(STARTSWITH(what_id, '006'), what_id, NULL),
       owner_id, COALESCE(start_date_time, created_date), COALESCE(event_subtype, type)
FROM FIVETRAN_DB.SALESFORCE.EVENT
WHERE NOT COALESCE(is_deleted, FALSE) AND NOT COALESCE(_fivetran_deleted, FALSE);
