-- users with the role *name* (what role_mapping lists), joined from USER_ROLE.
CREATE OR REPLACE VIEW users AS
SELECT
    u.id            AS user_id,
    r.name          AS role,
    u.department    AS team,
    u.is_active
FROM FIVETRAN_DB.SALESFORCE."USER" u
LEFT JOIN FIVETRAN_DB.SALESFORCE.USER_ROLE r
       ON r.id = u.user_role_id AND NOT COALESCE(r._fivetran_deleted, FALSE)
WHERE NOT COALESCE(u._fivetran_deleted, FALSE);
