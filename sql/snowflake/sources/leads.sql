-- leads from Fivetran's Salesforce LEAD. Adapt the *_c custom fields to your org.
CREATE OR REPLACE VIEW leads AS
SELECT
    id                                                   AS lead_id,
    created_date                                         AS created_at,
    lead_source,
    NULL::VARCHAR                                        AS campaign_id,      -- e.g. primary_campaign_c
    company,
    NULL::VARCHAR                                        AS segment,          -- e.g. segment_c
    number_of_employees                                  AS company_size,
    COALESCE(country_code, country)                      AS country,
    NULL::VARCHAR                                        AS use_case,
    title                                                AS contact_role,
    IFF(has_opted_out_of_email, 'opted_out', 'unknown')  AS consent_status,
    SPLIT_PART(email, '@', 2)                            AS email_domain,     -- never the address
    status,
    owner_id,
    NULL::TIMESTAMP_NTZ                                  AS mql_at,           -- e.g. mql_date_c
    NULL::TIMESTAMP_NTZ                                  AS assigned_at,
    NULL::TIMESTAMP_NTZ                                  AS first_touch_at,
    NULL::TIMESTAMP_NTZ                                  AS accepted_at,
    NULL::TIMESTAMP_NTZ                                  AS rejected_at,
    NULL::VARCHAR                                        AS rejection_reason,
    converted_date::TIMESTAMP_NTZ                        AS converted_at,
    converted_opportunity_id,
    COALESCE(is_deleted, FALSE) OR COALESCE(_fivetran_deleted, FALSE) AS is_deleted
FROM FIVETRAN_DB.SALESFORCE.LEAD;
