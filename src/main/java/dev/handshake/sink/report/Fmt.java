package dev.handshake.sink.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Numbers as the page shows them, one way everywhere: money with thousands separators and cents
 * in the reporting currency, counts with separators, percentages with one decimal. A missing figure
 * shows as "not measured", never as 0.
 */
public final class Fmt {
    public static final String NOT_MEASURED = "not measured";

    private Fmt() {}

    private static DecimalFormat format(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    /** 1,234,567.89 USD */
    public static String money(BigDecimal v, String currency) {
        return v == null ? NOT_MEASURED : amount(v) + " " + currency;
    }

    /** 1,234,567.89 (in a table whose header names the currency) */
    public static String amount(BigDecimal v) {
        return v == null ? NOT_MEASURED : format("#,##0.00").format(v.setScale(2, RoundingMode.HALF_UP));
    }

    /** An amount where none means there is nothing to show (no booking, no deal): "-". */
    public static String amountOrDash(BigDecimal v) {
        return v == null ? "-" : amount(v);
    }

    public static String count(long v) {
        return format("#,##0").format(v);
    }

    /** A count the table may not have (e.g. conversions out of the last stage): "-" then. */
    public static String count(Long v) {
        return v == null ? "-" : count(v.longValue());
    }

    /** A percentage already in percent (e.g. 97.5 for 97.5 %). */
    public static String pct(BigDecimal v) {
        return v == null ? NOT_MEASURED : format("#,##0.0").format(v.setScale(1, RoundingMode.HALF_UP)) + " %";
    }

    /** A rate in [0, 1] as a percentage. */
    public static String rate(BigDecimal v) {
        return v == null ? NOT_MEASURED : pct(v.multiply(BigDecimal.valueOf(100)));
    }

    public static String hours(BigDecimal v) {
        return v == null ? NOT_MEASURED : format("#,##0.0").format(v.setScale(1, RoundingMode.HALF_UP)) + " h";
    }

    /** A signed amount, + shown, for drift and changes. */
    public static String signed(BigDecimal v) {
        if (v == null) {
            return NOT_MEASURED;
        }
        return (v.signum() > 0 ? "+" : "") + amount(v);
    }

    /** A score's CSS class: s1 clean, s2 distorting, s3 breaking, s0 not scored. */
    public static String scoreClass(Integer score) {
        return score == null ? "s0" : "s" + score;
    }

    public static String bandClass(String band) {
        return band == null ? "b-unknown" : "b-" + band.toLowerCase(Locale.ROOT);
    }
}
