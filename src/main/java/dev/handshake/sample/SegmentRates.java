package dev.handshake.sample;

import static dev.handshake.sample.Plan.SEGMENT;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Planted booking lags that differ by the lead's segment: finance books a small deal within days,
 * an enterprise deal (order form, purchase order, countersignature) often weeks after the close.
 * So the sales_to_finance SLA is breached mostly on enterprise deals, and the break ledger's
 * per-segment expected lag has three different values to learn. The manifest states each
 * segment's distribution and splits the SLA counts by segment from the same lag.
 */
final class SegmentRates {
    /** Segment names by plan segment code, as written to leads.segment. */
    static final List<String> SEGMENTS = List.of("SMB", "MM", "ENT");
    /** The lag buckets the weights below are for: 0..5 days one by one, 6-10 days, 11-30 days. */
    private static final String[] BUCKETS = {"0", "1", "2", "3", "4", "5", "6-10", "11-30"};
    /** Percent weights of the buckets, per segment code. */
    private static final double[][] LAG_WEIGHTS = {
        {45, 22, 10, 7, 4, 3, 6, 3},
        {35, 20, 10, 8, 5, 4, 10, 8},
        {20, 15, 10, 8, 6, 6, 18, 17}};

    private SegmentRates() {}

    /** Days from close to the first booking as drawn, before it is held inside the close month. */
    static Column bookingLag(PlanStage s) {
        Column[] buckets = {lit(0L), lit(1L), lit(2L), lit(3L), lit(4L), lit(5L),
            lit(6L).plus(s.below("lag.mid", 5)), lit(11L).plus(s.below("lag.tail", 20))};
        Column seg = col(SEGMENT);
        Column u = s.u("lag");
        return when(seg.equalTo(lit(0)), Draws.pick(u, LAG_WEIGHTS[0], buckets))
                .when(seg.equalTo(lit(1)), Draws.pick(u, LAG_WEIGHTS[1], buckets))
                .otherwise(Draws.pick(u, LAG_WEIGHTS[2], buckets));
    }

    /** "0 days 45%, 1 days 22%, ..." for the manifest's definitions. */
    static String describeBookingLag(int segment) {
        StringBuilder b = new StringBuilder("days from close_date to the first booking of won opportunities of ")
                .append(SEGMENTS.get(segment)).append(" leads (then held inside the close month and at or before "
                        + "asOf; LAGGING, PERIOD_MISMATCH and CURRENCY_UNRESOLVED deals are booked otherwise): ");
        for (int i = 0; i < BUCKETS.length; i++) {
            b.append(i == 0 ? "" : ", ").append(BUCKETS[i]).append(" days ")
                    .append(String.format(java.util.Locale.ROOT, "%.0f%%", LAG_WEIGHTS[segment][i]));
        }
        return b.toString();
    }
}
