package dev.handshake.sample;

/**
 * What a generated lead is for. Kinds are assigned by a seeded permutation inside each block of
 * 1000 consecutive ids, so every full block holds exactly {@link #perMille} leads of each kind.
 */
enum LeadKind {
    /** A valid, not deleted lead captured inside the lookback window: the funnel cohort. */
    COHORT(0, 963),
    /** is_deleted = true, captured inside the window; excluded from the cohort and counted. */
    DELETED(1, 10),
    /** Captured up to 120 days before the window; never converts to an opportunity. */
    PRE_WINDOW(2, 20),
    /** Captured at or after as_of + 1 day: not yet happened for the run. */
    CREATED_AFTER_AS_OF(3, 3),
    /** lead_id is null: quarantined by the contract. */
    NULL_LEAD_ID(4, 1),
    /** created_at is null: quarantined by the contract. */
    NULL_CREATED_AT(5, 1),
    /** Written twice with the same lead_id and conflicting values: both rows quarantined. */
    DUPLICATE_KEY(6, 2);

    final int code;
    final int perMille;

    LeadKind(int code, int perMille) {
        this.code = code;
        this.perMille = perMille;
    }

    boolean quarantineBound() {
        return this == NULL_LEAD_ID || this == NULL_CREATED_AT || this == DUPLICATE_KEY;
    }
}
