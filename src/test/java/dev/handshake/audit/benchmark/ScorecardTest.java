package dev.handshake.audit.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.config.BenchmarkSettings.Thresholds;
import dev.handshake.model.Dimension;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped thresholds of docs/definitions.md section 4, each hit exactly and missed by the
 * smallest step (hits of 10,000), in exact arithmetic.
 */
class ScorecardTest {
    private static final BigDecimal BASE = BigDecimal.valueOf(10_000);

    private static Thresholds t(String one, String two) {
        return new Thresholds(new BigDecimal(one), new BigDecimal(two));
    }

    private static int pct(Dimension d, Thresholds t, long hits) {
        return Scorecard.scorePercent(d, t, BigDecimal.valueOf(hits), BASE);
    }

    @Test
    void higherIsBetterPercentagesScoreOneAtTheFirstThresholdAndTwoAtTheSecond() {
        // capture_linkage and owner_clarity: >= 95 -> 1, >= 80 -> 2
        for (Dimension d : List.of(Dimension.CAPTURE_LINKAGE, Dimension.OWNER_CLARITY)) {
            Thresholds t = t("95", "80");
            assertEquals(1, pct(d, t, 9_500), d + " at 95.00");
            assertEquals(2, pct(d, t, 9_499), d + " at 94.99");
            assertEquals(2, pct(d, t, 8_000), d + " at 80.00");
            assertEquals(3, pct(d, t, 7_999), d + " at 79.99");
        }
        // override_discipline: >= 90 -> 1, >= 60 -> 2
        Thresholds o = t("90", "60");
        assertEquals(1, pct(Dimension.OVERRIDE_DISCIPLINE, o, 9_000));
        assertEquals(2, pct(Dimension.OVERRIDE_DISCIPLINE, o, 8_999));
        assertEquals(2, pct(Dimension.OVERRIDE_DISCIPLINE, o, 6_000));
        assertEquals(3, pct(Dimension.OVERRIDE_DISCIPLINE, o, 5_999));
        // reconciliation_repeatability: >= 98 -> 1, >= 90 -> 2 (value-weighted: cents count)
        Thresholds r = t("98", "90");
        Dimension rr = Dimension.RECONCILIATION_REPEATABILITY;
        assertEquals(1, Scorecard.scorePercent(rr, r, new BigDecimal("49000.00"), new BigDecimal("50000.00")));
        assertEquals(2, Scorecard.scorePercent(rr, r, new BigDecimal("48999.99"), new BigDecimal("50000.00")));
        assertEquals(2, Scorecard.scorePercent(rr, r, new BigDecimal("45000.00"), new BigDecimal("50000.00")));
        assertEquals(3, Scorecard.scorePercent(rr, r, new BigDecimal("44999.99"), new BigDecimal("50000.00")));
    }

    @Test
    void lowerIsBetterDimensionsScoreOneAtOrBelowTheFirstThreshold() {
        // stage_consistency: <= 2 -> 1, <= 10 -> 2 (share of records WITH an anomaly)
        Thresholds s = t("2", "10");
        assertEquals(1, pct(Dimension.STAGE_CONSISTENCY, s, 200));
        assertEquals(2, pct(Dimension.STAGE_CONSISTENCY, s, 201));
        assertEquals(2, pct(Dimension.STAGE_CONSISTENCY, s, 1_000));
        assertEquals(3, pct(Dimension.STAGE_CONSISTENCY, s, 1_001));
        // finance_lag: p90 days <= 2 -> 1, <= 7 -> 2
        Thresholds l = t("2", "7");
        assertEquals(1, Scorecard.scoreValue(Dimension.FINANCE_LAG, l, new BigDecimal("2.000000")));
        assertEquals(2, Scorecard.scoreValue(Dimension.FINANCE_LAG, l, new BigDecimal("2.000001")));
        assertEquals(2, Scorecard.scoreValue(Dimension.FINANCE_LAG, l, new BigDecimal("7")));
        assertEquals(3, Scorecard.scoreValue(Dimension.FINANCE_LAG, l, new BigDecimal("7.1")));
    }

    @Test
    void nineteenOfTwentyIsExactlyNinetyFivePercentWithNoRounding() {
        Thresholds t = t("95", "80");
        assertEquals(1, Scorecard.scorePercent(Dimension.CAPTURE_LINKAGE, t, BigDecimal.valueOf(19), BigDecimal.valueOf(20)));
        // 1/3 = 33.3333...%: the shown value is rounded, the score compares 100 * 1 against 33.3333 * 3.
        assertEquals(new BigDecimal("33.3333"), Scorecard.percent(BigDecimal.ONE, BigDecimal.valueOf(3)));
        // 18999/20000 = 94.995 %: shown rounded to 4 places, scored from the exact ratio.
        assertEquals(new BigDecimal("94.9950"), Scorecard.percent(BigDecimal.valueOf(18_999), BigDecimal.valueOf(20_000)));
        assertEquals(2, Scorecard.scorePercent(Dimension.CAPTURE_LINKAGE, t, BigDecimal.valueOf(18_999),
                BigDecimal.valueOf(20_000)));
    }

    private static List<Scorecard.DimensionScore> scores(Integer... s) {
        List<Scorecard.DimensionScore> out = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            out.add(new Scorecard.DimensionScore("w", Dimension.values()[i], 1, null, s[i], List.of(), null));
        }
        return out;
    }

    @Test
    void bandsChangeBetweenEightAndNineAndBetweenThirteenAndFourteen() {
        assertEquals(Scorecard.CLEAN, Scorecard.total(scores(1, 1, 1, 1, 2, 2)).band());
        assertEquals(8, Scorecard.total(scores(1, 1, 1, 1, 2, 2)).total());
        assertEquals(Scorecard.DISTORTING, Scorecard.total(scores(1, 1, 1, 2, 2, 2)).band());
        assertEquals(Scorecard.DISTORTING, Scorecard.total(scores(2, 2, 2, 2, 2, 3)).band());
        assertEquals(Scorecard.BREAKING, Scorecard.total(scores(2, 2, 2, 2, 3, 3)).band());
        assertEquals(Scorecard.CLEAN, Scorecard.band(6));
        assertEquals(Scorecard.BREAKING, Scorecard.band(18));
        assertThrows(IllegalArgumentException.class, () -> Scorecard.band(5));
    }

    @Test
    void theArticlesWorkedExampleTotalsFifteenAndBreaks() {
        Scorecard.Total t = Scorecard.total(scores(2, 3, 2, 3, 2, 3));
        assertEquals(15, t.total());
        assertTrue(t.complete());
        assertEquals(Scorecard.BREAKING, t.band());
    }

    @Test
    void anIncompleteTotalHasABandOnlyWhenEveryPossibleMissingScoreAgrees() {
        // 3,3,3,3,3 + missing: 16..18, BREAKING whatever the missing score.
        Scorecard.Total certain = Scorecard.total(scores(3, 3, 3, 3, 3, null));
        assertFalse(certain.complete());
        assertEquals(15, certain.total());
        assertEquals(Scorecard.BREAKING, certain.band());
        // 2,2,2,2,2 + missing: 11..13, all DISTORTING.
        assertEquals(Scorecard.DISTORTING, Scorecard.total(scores(2, 2, 2, 2, 2, null)).band());
        // 1,1,1,1,1 + missing: 6..8 CLEAN; 1,1,1,1,2 + missing: 7..9 straddles CLEAN/DISTORTING.
        assertEquals(Scorecard.CLEAN, Scorecard.total(scores(1, 1, 1, 1, 1, null)).band());
        assertNull(Scorecard.total(scores(1, 1, 1, 1, 2, null)).band());
        // Never scored 1 by default: nothing scored gives total 0 and no band.
        Scorecard.Total none = Scorecard.total(scores(null, null, null, null, null, null));
        assertEquals(0, none.total());
        assertNull(none.band());
    }
}
