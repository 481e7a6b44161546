package dev.handshake.sample;

/**
 * The reconciliation category the generator plants on a won opportunity (section 3 of
 * docs/definitions.md). Each won opportunity gets exactly one; finance-only bookings are rows of
 * their own and have no opportunity.
 */
enum ReconCase {
    NONE(0, false),
    /** One linked booking, same amount and currency, same calendar month. */
    MATCHED(1, true),
    /** One booking without opportunity_id: same account_id and amount, same month, within 30 days. */
    MATCHED_FALLBACK(2, true),
    /** One linked booking, amount off by 5-20%, same month. */
    AMOUNT_MISMATCH(3, true),
    /** One linked booking, same amount, dated in the month after close_date. */
    PERIOD_MISMATCH(4, true),
    /** Opportunity and its one linked booking in BRL, which has no fx rate. */
    CURRENCY_UNRESOLVED(5, true),
    /** No booking visible by as_of; close_date within the last 3 days (inside the 5-day SLA). */
    LAGGING(6, false),
    /** No booking at all; close_date 8 or more days before as_of. */
    CRM_ONLY(7, false),
    /** Two linked bookings of the full amount each. */
    DUPLICATE_BOOKING(8, true),
    /** A linked booking and a linked negative booking of the same amount (status reversed). */
    REVERSED(9, true);

    final int code;
    /**
     * Whether the win reached finance by as_of: a positive booking dated on or before as_of that is
     * linked by opportunity_id or matched to it by the fallback rule (audit-definitions.md section 3).
     */
    final boolean bookedEvidence;

    ReconCase(int code, boolean bookedEvidence) {
        this.code = code;
        this.bookedEvidence = bookedEvidence;
    }
}
