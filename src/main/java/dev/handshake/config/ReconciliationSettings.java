package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * How CRM wins are reconciled with finance bookings (section 3).
 *
 * @param amountTolerance     absolute tolerance in reporting currency (default 0.01)
 * @param amountTolerancePct  relative tolerance in percent of the CRM amount (default 0); the larger applies
 * @param bookingLagDays      a win without booking is LAGGING until close_date + this many days, then CRM_ONLY
 * @param fallbackWindowDays  an unlinked booking may match a win on the same account within this many days
 * @param bookingStatus       raw booking status -> booked / adjusted / reversed / excluded
 * @param fiscalYearStartMonth first month (1-12) of the fiscal year, for fiscal_year columns
 * @param lagHistoryNights    the break ledger learns each segment's booking lag from the deals first
 *                            booked in this many nights up to as_of
 * @param lagMinDeals         a segment needs this many such deals before its own lag replaces bookingLagDays
 * @param periodCloseDays     the close calendar: a month is closed this many days after its last day;
 *                            empty when none is configured (no restatements of closed periods)
 */
public record ReconciliationSettings(BigDecimal amountTolerance, BigDecimal amountTolerancePct,
                                     int bookingLagDays, int fallbackWindowDays, LabelMapping bookingStatus,
                                     int fiscalYearStartMonth, int lagHistoryNights, int lagMinDeals,
                                     java.util.OptionalInt periodCloseDays) {
    public static final java.util.List<String> BOOKING_STATUSES =
            java.util.List.of("booked", "adjusted", "reversed", "excluded");

    public ReconciliationSettings {
        requireNonNull(amountTolerance, "amountTolerance is null");
        requireNonNull(amountTolerancePct, "amountTolerancePct is null");
        requireNonNull(bookingStatus, "bookingStatus is null");
        requireNonNull(periodCloseDays, "periodCloseDays is null");
    }
}
