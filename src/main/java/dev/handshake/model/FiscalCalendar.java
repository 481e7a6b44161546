package dev.handshake.model;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Fiscal quarters of monthly periods. A fiscal year is named by the calendar year in which it
 * ends (a year starting in February 2026 is FY2027); with a January start it is the calendar year.
 */
public final class FiscalCalendar {
    private FiscalCalendar() {}

    /** {@code FY<year>-Q<n>} of a {@code YYYY-MM} period; null when the period is not of that form. */
    public static Column quarter(Column period, int firstMonth) {
        if (firstMonth < 1 || firstMonth > 12) {
            throw new IllegalArgumentException("Invalid firstMonth: " + firstMonth);
        }
        Column valid = period.rlike("^[0-9]{4}-(0[1-9]|1[0-2])$");
        Column year = substring(period, 1, 4).try_cast("int");
        Column month = substring(period, 6, 2).try_cast("int");
        Column fiscalYear = firstMonth == 1 ? year : when(month.geq(firstMonth), year.plus(1)).otherwise(year);
        Column quarter = org.apache.spark.sql.functions.pmod(month.minus(firstMonth), lit(12)).divide(3)
                .cast("int").plus(1);
        return when(valid, concat(lit("FY"), fiscalYear.cast("string"), lit("-Q"), quarter.cast("string")));
    }
}
