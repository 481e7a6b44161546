CREATE OR REPLACE VIEW opportunities AS
SELECT
    id                  AS opportunity_id,
    account_id,
    created_date        AS created_at,
    owner_id,
    stage_name,
    amount,
    currency_iso_code   AS currency_code,      -- remove in single-currency orgs (null = reporting currency)
    close_date::DATE    AS close_date,
    is_closed,
    is_won,
    type                AS opportunity_type,
    NULL::VARCHAR       AS segment,            -- e.g. segment_c; workflows read it on nights without leads
    lead_source,
    campaign_id,
    NULL::VARCHAR       AS loss_reason,        -- e.g. loss_reason_c
    COALESCE(is_deleted, FALSE) OR COALESCE(_fivetran_deleted, FALSE) AS is_deleted
FROM FIVETRAN_DB.SALESFORCE.OPPORTUNITY;
