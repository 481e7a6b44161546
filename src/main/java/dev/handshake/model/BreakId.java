package dev.handshake.model;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * The identity of a reconciliation break (docs/break-ledger.md): the break ledger assigns it and
 * the break_acknowledgements input refers to it, so both read it from here.
 */
public final class BreakId {
    private BreakId() {}

    /**
     * The category-independent key of a reconciliation row: the opportunity, else its sorted
     * bookings, so a deal keeps its id when its category changes.
     */
    public static Column key(Column opportunityId, Column bookingIds) {
        return when(opportunityId.isNotNull(), concat(lit("opportunity:"), opportunityId))
                .otherwise(concat(lit("bookings:"), concat_ws(",", array_sort(bookingIds))));
    }

    /** {@code break_id}: the first 16 hex digits of the key's SHA-256, with a prefix that says what it is. */
    public static Column of(Column opportunityId, Column bookingIds) {
        // Hex digits: a-f folded by translate, without upper's per-row ICU case mapping.
        return concat(lit("BRK-"), translate(substring(sha2(key(opportunityId, bookingIds), 256), 1, 16),
                "abcdef", "ABCDEF"));
    }
}
