package dev.handshake.sample;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.time.Month;
import org.apache.spark.sql.Column;

/**
 * The time frame of a sample: the {@code as_of} cutoff, the lookback window of section 0 of
 * docs/definitions.md, and the seasonality of lead capture. Instants are epoch seconds (UTC) and
 * dates are epoch days while planning; they become timestamps/dates only when a table is built.
 */
record SampleCalendar(LocalDate asOf, int lookbackDays) {
    static final long DAY = 86_400L;
    static final long HOUR = 3_600L;

    /** Resolution of the inverse-CDF tables: each lookback day gets about 11 slots. */
    private static final int DAY_SLOTS = 4096;
    private static final int HOUR_SLOTS = 1024;

    SampleCalendar {
        requireNonNull(asOf, "asOf is null");
    }

    long asOfDay() {
        return asOf.toEpochDay();
    }

    /** as_of + 1 day, 00:00 UTC: anything at or after it has not happened yet for the run. */
    long cutoff() {
        return (asOfDay() + 1) * DAY;
    }

    long windowStartDay() {
        return asOfDay() - lookbackDays;
    }

    /** as_of - lookback days, 00:00 UTC: the first instant inside the cohort window. */
    long windowStart() {
        return windowStartDay() * DAY;
    }

    /**
     * Inverse CDF of the capture day (0 = window start day .. lookbackDays = as_of) under a
     * weekday effect, month-end and Q4 bumps and a mild growth trend; looked up per row.
     */
    Column captureDayOffset(Column u) {
        int days = lookbackDays + 1;
        double[] weights = new double[days];
        LocalDate start = asOf.minusDays(lookbackDays);
        for (int d = 0; d < days; d++) {
            weights[d] = captureWeight(start.plusDays(d), d, days);
        }
        return lookup(u, quantiles(weights, DAY_SLOTS), DAY_SLOTS);
    }

    /** Seconds into the (UTC) day, weighted to the EMEA/Americas business hours. */
    Column secondOfDay(Column uHour, Column uSecond) {
        double[] weights = {1, 0.6, 0.5, 0.4, 0.5, 0.8, 1.5, 2.5, 3.5, 4.5, 5, 5, 5, 5.5, 6.5, 7, 7,
                6.5, 5.5, 4.5, 3.5, 2.5, 2, 1.5};
        Column hour = lookup(uHour, quantiles(weights, HOUR_SLOTS), HOUR_SLOTS);
        return hour.multiply(HOUR).plus(floor(uSecond.multiply((double) HOUR)));
    }

    private static double captureWeight(LocalDate date, int index, int days) {
        double weekday = switch (date.getDayOfWeek()) {
            case SATURDAY -> 0.35;
            case SUNDAY -> 0.3;
            case MONDAY, TUESDAY -> 1.1;
            default -> 1.0;
        };
        boolean monthEnd = date.lengthOfMonth() - date.getDayOfMonth() < 3;
        boolean q4 = date.getMonth().compareTo(Month.OCTOBER) >= 0;
        double trend = 0.85 + 0.3 * index / days;
        return weekday * (monthEnd ? 1.5 : 1.0) * (q4 ? 1.3 : 1.0) * trend;
    }

    /** quantiles[j] = the smallest index whose CDF reaches (j + 0.5) / slots. */
    private static int[] quantiles(double[] weights, int slots) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        int[] table = new int[slots];
        double cumulative = weights[0] / total;
        int index = 0;
        for (int j = 0; j < slots; j++) {
            double target = (j + 0.5) / slots;
            while (cumulative < target && index < weights.length - 1) {
                index++;
                cumulative += weights[index] / total;
            }
            table[j] = index;
        }
        return table;
    }

    private static Column lookup(Column u, int[] table, int slots) {
        Column slot = floor(u.multiply((double) slots)).cast("int").plus(lit(1));
        return element_at(lit(table), slot).cast("long");
    }

}
