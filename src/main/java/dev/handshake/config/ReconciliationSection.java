package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;

import java.util.List;
import java.util.Map;

/**
 * The {@code reconciliation} section (docs/configuration.md): tolerances, booking lag and fallback
 * window, fiscal calendar, booking statuses, the learned lag and period close, with their defaults.
 */
final class ReconciliationSection {
    private ReconciliationSection() {}

    static ReconciliationSettings reconciliation(ConfigFile.Reconciliation raw) {
        ConfigFile.Reconciliation r = raw == null
                ? new ConfigFile.Reconciliation(null, null, null, null, null, null, null, null, null) : raw;
        java.math.BigDecimal tol = r.amountTolerance() == null ? new java.math.BigDecimal("0.01") : r.amountTolerance();
        check(tol.signum() >= 0, "reconciliation.amount_tolerance", "must not be negative, got " + tol, null);
        java.math.BigDecimal pct = r.amountTolerancePct() == null ? java.math.BigDecimal.ZERO : r.amountTolerancePct();
        check(pct.signum() >= 0 && pct.compareTo(java.math.BigDecimal.valueOf(100)) <= 0,
                "reconciliation.amount_tolerance_pct", "must be between 0 and 100, got " + pct, null);
        int lag = r.bookingLagDays() == null ? 5 : r.bookingLagDays();
        check(lag >= 0 && lag <= 366, "reconciliation.booking_lag_days", "must be between 0 and 366, got " + lag, null);
        int fallback = r.fallbackWindowDays() == null ? 30 : r.fallbackWindowDays();
        check(fallback >= 0 && fallback <= 366, "reconciliation.fallback_window_days",
                "must be between 0 and 366, got " + fallback, null);
        int fiscal = r.fiscalYearStartMonth() == null ? 1 : r.fiscalYearStartMonth();
        check(fiscal >= 1 && fiscal <= 12, "reconciliation.fiscal_year_start_month",
                "must be a month number 1-12, got " + fiscal, null);
        Map<String, List<String>> statuses = r.bookingStatus() == null
                ? Map.of("booked", List.of("booked"), "adjusted", List.of("adjusted"),
                        "reversed", List.of("reversed"), "excluded", List.of("cancelled", "draft"))
                : r.bookingStatus();
        int history = r.lagHistoryNights() == null ? 90 : r.lagHistoryNights();
        check(history >= 1 && history <= 3660, "reconciliation.lag_history_nights",
                "must be between 1 and 3660, got " + history, "give the nights of matched deals the expected lag is learned from");
        int minDeals = r.lagMinDeals() == null ? 20 : r.lagMinDeals();
        check(minDeals >= 1 && minDeals <= 1_000_000, "reconciliation.lag_min_deals",
                "must be between 1 and 1000000, got " + minDeals,
                "give how many matched deals a segment needs before its own lag replaces booking_lag_days");
        if (r.periodCloseDays() != null) {
            check(r.periodCloseDays() >= 0 && r.periodCloseDays() <= 366, "reconciliation.period_close_days",
                    "must be between 0 and 366, got " + r.periodCloseDays(),
                    "give how many days after a month's last day the month is closed, or leave the key out");
        }
        return new ReconciliationSettings(tol, pct, lag, fallback,
                LabelSections.labels("reconciliation.booking_status", statuses, ReconciliationSettings.BOOKING_STATUSES), fiscal,
                history, minDeals, r.periodCloseDays() == null ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(r.periodCloseDays()));
    }
}
