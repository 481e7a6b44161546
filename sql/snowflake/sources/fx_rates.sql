-- Salesforce dated exchange rates are "units of iso_code per 1 corporate currency"; the contract
-- wants "1 unit of currency_code in the reporting currency": the inverse. Valid when the
-- corporate currency is the reporting currency.
CREATE OR REPLACE VIEW fx_rates AS
SELECT iso_code AS currency_code, start_date AS rate_date,
       (1 / NULLIF(conversion_rate, 0))::NUMBER(24,6) AS rate_to_reporting
FROM FIVETRAN_DB.SALESFORCE.DATED_CONVERSION_RATE
WHERE NOT COALESCE(_fivetran_deleted, FALSE);
