package dev.handshake.sample;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Rejection and loss reasons by category code, as conf/local.yaml reason_categories groups them.
 * Codes: 0 qualification, 1 timing, 2 information, 3 commercial, 4 unmapped label, 5 no reason.
 */
final class Reasons {
    static final String[] CATEGORIES = {"qualification", "timing", "information", "commercial", "unmapped",
            "no_reason"};
    static final int UNMAPPED = 4;
    static final int NO_REASON = 5;

    private Reasons() {}

    /** The raw label of a category (null for "no reason"); mapped labels are sloppy in 3% of rows. */
    static Column label(Column category, Column hash, Column u) {
        Column mapped = when(category.equalTo(lit(0)), pickOf(hash, Labels.REASON_QUALIFICATION))
                .when(category.equalTo(lit(1)), pickOf(hash, Labels.REASON_TIMING))
                .when(category.equalTo(lit(2)), pickOf(hash, Labels.REASON_INFORMATION))
                .when(category.equalTo(lit(3)), pickOf(hash, Labels.REASON_COMMERCIAL));
        return when(category.equalTo(lit(UNMAPPED)), lit(Labels.UNMAPPED_REASON))
                .when(category.lt(lit(UNMAPPED)), Labels.sloppy(mapped, u, 0.03));
    }

    private static Column pickOf(Column hash, String[] labels) {
        return Draws.oneOf(pmod(hash, lit((long) labels.length)), labels);
    }
}
