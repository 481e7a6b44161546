package dev.handshake.audit.benchmark;

import static java.util.Objects.requireNonNull;

import dev.handshake.config.BenchmarkSettings.Thresholds;
import dev.handshake.model.Dimension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.List;

/**
 * Scores, totals and bands (section 4), in exact decimal arithmetic: a percentage is compared as
 * {@code hits x 100} against {@code threshold x base}, so 19 of 20 is exactly 95 and scores 1 at
 * a threshold of 95, with no rounding in between.
 */
public final class Scorecard {
    public static final String CLEAN = "CLEAN";
    public static final String DISTORTING = "DISTORTING";
    public static final String BREAKING = "BREAKING";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Scorecard() {}

    /** What one dimension measured for one workflow (null value and score = no data). */
    public record DimensionScore(String workflow, Dimension dimension, long records, BigDecimal value, Integer score,
                                 List<String> evidence, String note) {
        public DimensionScore {
            requireNonNull(workflow, "workflow is null");
            requireNonNull(dimension, "dimension is null");
            evidence = List.copyOf(evidence);
        }
    }

    /** A workflow's total over the scored dimensions; the band only when it is certain. */
    public record Total(int total, boolean complete, String band) {}

    /** Score of a percentage dimension from exact hits and base (base > 0). */
    public static int scorePercent(Dimension d, Thresholds t, BigDecimal hits, BigDecimal base) {
        BigDecimal scaled = hits.multiply(HUNDRED);
        if (d.higherIsBetter()) {
            return scaled.compareTo(t.score1().multiply(base)) >= 0 ? 1
                    : scaled.compareTo(t.score2().multiply(base)) >= 0 ? 2 : 3;
        }
        return scaled.compareTo(t.score1().multiply(base)) <= 0 ? 1
                : scaled.compareTo(t.score2().multiply(base)) <= 0 ? 2 : 3;
    }

    /** Score of a lower-is-better value such as p90 days. */
    public static int scoreValue(Dimension d, Thresholds t, BigDecimal value) {
        if (d.higherIsBetter()) {
            return value.compareTo(t.score1()) >= 0 ? 1 : value.compareTo(t.score2()) >= 0 ? 2 : 3;
        }
        return value.compareTo(t.score1()) <= 0 ? 1 : value.compareTo(t.score2()) <= 0 ? 2 : 3;
    }

    /** The percentage shown, rounded half-up to 4 decimals (the score never reads it). */
    public static BigDecimal percent(BigDecimal hits, BigDecimal base) {
        return hits.multiply(HUNDRED).divide(base, 4, RoundingMode.HALF_UP);
    }

    public static String band(int total) {
        if (total < 6 || total > 18) {
            throw new IllegalArgumentException("a complete total is between 6 and 18, got " + total);
        }
        return total <= 8 ? CLEAN : total <= 13 ? DISTORTING : BREAKING;
    }

    /**
     * Total of the scored dimensions. With dimensions missing, the band is given only when every
     * possible score of the missing ones (1 to 3 each) lands in the same band; otherwise null.
     */
    public static Total total(Collection<DimensionScore> scores) {
        int total = 0;
        int missing = Dimension.values().length;
        for (DimensionScore s : scores) {
            if (s.score() != null) {
                total += s.score();
                missing--;
            }
        }
        if (missing == 0) {
            return new Total(total, true, band(total));
        }
        String low = band(total + missing);
        String high = band(total + 3 * missing);
        return new Total(total, false, low.equals(high) ? low : null);
    }

    public static String describe(Dimension d, Thresholds t) {
        String op = d.higherIsBetter() ? ">= " : "<= ";
        return "1 if " + op + t.score1().stripTrailingZeros().toPlainString() + ", 2 if " + op
                + t.score2().stripTrailingZeros().toPlainString() + ", else 3 (" + d.unit() + ")";
    }
}
