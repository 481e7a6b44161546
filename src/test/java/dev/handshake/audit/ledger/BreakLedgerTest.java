package dev.handshake.audit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Four nights worked out by hand, N1..N4 = 2026-03-28..31 (amounts in reporting currency).
 *
 * <pre>
 * row  close / first booking   N1                 N2                 N3                 N4
 * O1   close 03-10, owner U1   LAGGING 1000       LAGGING 1000       CRM_ONLY 1000      MATCHED 1000 (B1)
 * O2   close 02-20, B2 02-25   AMOUNT_MISM. 500   AMOUNT_MISM. 500   (gone)             AMOUNT_MISM. 500
 *                              fin 450, var -50   same                                  same
 * O3   close 02-27, B3 03-02   MATCHED 200        PERIOD_MISM. 200   PERIOD_MISM. 200   PERIOD_MISM. 200
 * B9   finance only, 03-05     FINANCE_ONLY 300   same               same               same
 * O4   close 03-15, owner U2   -                  CRM_ONLY 700       CRM_ONLY 700       CRM_ONLY 750
 *
 * statuses:
 * O1   NEW                OPEN               CHANGED (category) RESOLVED, MATCHED
 * O2   NEW                OPEN               RESOLVED, GONE     REOPENED
 * O3   (matched: no break) NEW               OPEN               OPEN
 * B9   NEW                OPEN               OPEN               OPEN
 * O4   -                  NEW                OPEN               CHANGED (amount 700 -> 750)
 * </pre>
 *
 * Acknowledgements (the same file every night; O4's row is added from N3):
 * B9 by "ana", until 2026-03-30: ACKNOWLEDGED N1-N3 (until is inclusive), EXPIRED on N4 (back to
 * counting, status stays OPEN); O3 expecting AMOUNT_MISMATCH: UNKNOWN_BREAK on N1 (O3 matched,
 * not a break), CATEGORY_DIFFERS from N2 (it is PERIOD_MISMATCH); O4 until 2026-12-31: ACKNOWLEDGED
 * on N3 with the snapshot CRM_ONLY / 700 / -700, VOIDED_BY_CHANGE on N4 (750); BRK-0000000000000000:
 * UNKNOWN_BREAK every night.
 *
 * Ages on N4 = N4 - earliest of close date and first booking date: O1 03-10 -> 21 (at its
 * resolution, N4), O2 min(02-20, 02-25) -> 39, O3 min(02-27, 03-02) -> 32, B9 03-05 -> 26,
 * O4 03-15 -> 16. nights_open on N4: O1 3 (N1-N3), O2 3 (N1, N2, N4), O3 3, B9 4, O4 3.
 *
 * Transitions N3 (against N2): LAGGING -> CRM_ONLY 1 row 1000 (O1), AMOUNT_MISMATCH -> (gone) 1 row
 * 500 (O2, its last amount), PERIOD_MISMATCH -> PERIOD_MISMATCH 200, FINANCE_ONLY -> FINANCE_ONLY
 * 300, CRM_ONLY -> CRM_ONLY 700. N4 (against N3): CRM_ONLY -> MATCHED 1000, (new) -> AMOUNT_MISMATCH
 * 500, CRM_ONLY -> CRM_ONLY 750 (tonight's amount), PERIOD_MISMATCH -> PERIOD_MISMATCH 200,
 * FINANCE_ONLY -> FINANCE_ONLY 300.
 */
class BreakLedgerTest {
    private static final SparkSession SPARK = SharedSpark.get();
    static final LocalDate N1 = LocalDate.parse("2026-03-28");
    static final LocalDate N2 = N1.plusDays(1);
    static final LocalDate N3 = N1.plusDays(2);
    static final LocalDate N4 = N1.plusDays(3);
    private static final StructType RECON = new StructType().add("opportunity_id", DataTypes.StringType)
            .add("booking_ids", DataTypes.createArrayType(DataTypes.StringType)).add("account_id", DataTypes.StringType)
            .add("category", DataTypes.StringType).add("crm_amount", DataTypes.createDecimalType(24, 6))
            .add("finance_amount", DataTypes.createDecimalType(24, 6)).add("variance", DataTypes.createDecimalType(24, 6))
            .add("segment", DataTypes.StringType).add("lag_days", DataTypes.IntegerType);
    private static final StructType DEALS = new StructType().add("opportunity_id", DataTypes.StringType)
            .add("close_date", DataTypes.DateType).add("owner_id", DataTypes.StringType);
    private static final StructType BOOKINGS = new StructType().add("booking_id", DataTypes.StringType)
            .add("booking_date", DataTypes.DateType);
    private static final StructType ACKS = new StructType().add("break_id", DataTypes.StringType)
            .add("acknowledged_by", DataTypes.StringType).add("reason", DataTypes.StringType)
            .add("until", DataTypes.DateType).add("expected_category", DataTypes.StringType);
    static final String UNKNOWN = "BRK-0000000000000000";
    /** 30 nights of history, 3 deals to learn from, 5 days configured (O1's N1-N2 LAGGING: too few deals). */
    private static final BreakLedger.LagRule RULE = new BreakLedger.LagRule(30, 3, 5);

    /** The id worked out independently of Spark: "BRK-" + the first 16 hex digits of SHA-256 of the key. */
    static String id(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "BRK-" + HexFormat.of().formatHex(hash).substring(0, 16).toUpperCase(Locale.ROOT);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String O1 = id("opportunity:O1");
    static final String O2 = id("opportunity:O2");
    static final String O3 = id("opportunity:O3");
    static final String O4 = id("opportunity:O4");
    static final String B9 = id("bookings:B9");

    private static BigDecimal d(String v) {
        return v == null ? null : new BigDecimal(v).setScale(6);
    }

    private static Row r(String opp, String bookings, String category, String crm, String fin, String var) {
        return RowFactory.create(opp, bookings == null ? null : Arrays.asList(bookings.split(",")),
                opp == null ? "A9" : "A-" + opp, category, d(crm), d(fin), d(var), "SMB", null);
    }

    static Dataset<Row> recon(LocalDate night) {
        List<Row> rows = new java.util.ArrayList<>();
        if (night.isBefore(N3)) {
            rows.add(r("O1", null, "LAGGING", "1000", null, "-1000"));
        } else if (night.equals(N3)) {
            rows.add(r("O1", null, "CRM_ONLY", "1000", null, "-1000"));
        } else {
            rows.add(r("O1", "B1", "MATCHED", "1000", "1000", "0"));
        }
        if (!night.equals(N3)) {
            rows.add(r("O2", "B2", "AMOUNT_MISMATCH", "500", "450", "-50"));
        }
        rows.add(r("O3", "B3", night.equals(N1) ? "MATCHED" : "PERIOD_MISMATCH", "200", "200", "0"));
        rows.add(r(null, "B9", "FINANCE_ONLY", null, "300", "300"));
        if (night.isAfter(N1)) {
            rows.add(night.equals(N4) ? r("O4", null, "CRM_ONLY", "750", null, "-750")
                    : r("O4", null, "CRM_ONLY", "700", null, "-700"));
        }
        return SPARK.createDataFrame(rows, RECON);
    }

    static Dataset<Row> deals() {
        return SPARK.createDataFrame(List.of(RowFactory.create("O1", Date.valueOf("2026-03-10"), "U1"),
                RowFactory.create("O2", Date.valueOf("2026-02-20"), "U2"),
                RowFactory.create("O3", Date.valueOf("2026-02-27"), "U1"),
                RowFactory.create("O4", Date.valueOf("2026-03-15"), "U2")), DEALS);
    }

    static Dataset<Row> bookings() {
        return SPARK.createDataFrame(List.of(RowFactory.create("B1", Date.valueOf("2026-03-31")),
                RowFactory.create("B2", Date.valueOf("2026-02-25")), RowFactory.create("B3", Date.valueOf("2026-03-02")),
                RowFactory.create("B9", Date.valueOf("2026-03-05"))), BOOKINGS);
    }

    static Dataset<Row> acks(LocalDate night) {
        List<Row> rows = new java.util.ArrayList<>(List.of(
                RowFactory.create(B9, "ana", "refund in flight", Date.valueOf("2026-03-30"), null),
                RowFactory.create(O3, "ana", "finance re-dated", Date.valueOf("2026-12-31"), "AMOUNT_MISMATCH"),
                RowFactory.create(UNKNOWN, "ben", "typo", Date.valueOf("2026-12-31"), null)));
        if (!night.isBefore(N3)) {
            rows.add(RowFactory.create(O4, "ben", "awaiting PO", Date.valueOf("2026-12-31"), null));
        }
        return SPARK.createDataFrame(rows, ACKS);
    }

    /** As the job reads it back from the sink: rows written and read, not a growing plan. */
    private static Dataset<Row> stored(Dataset<Row> rows) {
        return SPARK.createDataFrame(rows.collectAsList(), rows.schema());
    }

    private static BreakLedger.Result night(LocalDate asOf, Optional<BreakLedger.Previous> previous) {
        return BreakLedger.run(new BreakLedger.Inputs(asOf, recon(asOf), deals(), bookings(), previous,
                Optional.of(acks(asOf)), 30, RULE));
    }

    /** Runs the nights in order, each from the one before; returns every night's result. */
    static Map<LocalDate, BreakLedger.Result> backfill(List<LocalDate> nights) {
        Map<LocalDate, BreakLedger.Result> out = new TreeMap<>();
        Optional<BreakLedger.Previous> previous = Optional.empty();
        for (LocalDate n : nights) {
            BreakLedger.Result result = night(n, previous);
            Dataset<Row> ledger = stored(result.ledger());
            out.put(n, new BreakLedger.Result(ledger, stored(result.transitions()),
                    result.acknowledgements().map(BreakLedgerTest::stored)));
            previous = Optional.of(new BreakLedger.Previous(n, ledger, recon(n)));
        }
        return out;
    }

    private static Map<String, Row> byId(Dataset<Row> ledger) {
        return ledger.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("break_id"), r -> r));
    }

    private static Map<String, String> statuses(Dataset<Row> ledger) {
        return ledger.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("break_id"), r -> r.getAs("status")));
    }

    private static Map<String, String> transitions(Dataset<Row> t) {
        return t.collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("from_category") + " -> " + r.getAs("to_category"),
                r -> r.<Long>getAs("rows") + " / " + r.<BigDecimal>getAs("amount").stripTrailingZeros().toPlainString()));
    }

    private static Map<String, String> ackStates(Dataset<Row> acks) {
        return acks.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("break_id"), r -> r.getAs("state")));
    }

    @Test
    void everyStatusOfTheFourNightsIsTheOneWorkedOutByHand() {
        Map<LocalDate, BreakLedger.Result> nights = backfill(List.of(N1, N2, N3, N4));
        // The ids of docs/break-ledger.md (sha256sum of the keys), and the audit derives the same.
        assertEquals("BRK-416933EB8FA5A75A", O1);
        assertEquals("BRK-E4068E19CE487F50", B9);
        assertEquals(Map.of(O1, "NEW", O2, "NEW", B9, "NEW"), statuses(nights.get(N1).ledger()));
        assertEquals(Map.of(O1, "OPEN", O2, "OPEN", O3, "NEW", B9, "OPEN", O4, "NEW"), statuses(nights.get(N2).ledger()));
        assertEquals(Map.of(O1, "CHANGED", O2, "RESOLVED", O3, "OPEN", B9, "OPEN", O4, "OPEN"),
                statuses(nights.get(N3).ledger()));
        assertEquals(Map.of(O1, "RESOLVED", O2, "REOPENED", O3, "OPEN", B9, "OPEN", O4, "CHANGED"),
                statuses(nights.get(N4).ledger()));

        Map<String, Row> n3 = byId(nights.get(N3).ledger());
        assertEquals("GONE", n3.get(O2).getAs("resolution"));
        assertEquals(Date.valueOf(N3), n3.get(O2).getAs("resolved_as_of"));
        assertEquals(Date.valueOf(N2), n3.get(O2).getAs("last_seen_as_of"));

        Map<String, Row> n4 = byId(nights.get(N4).ledger());
        Row o1 = n4.get(O1);
        assertEquals("MATCHED", o1.getAs("resolution"));
        assertEquals(Date.valueOf(N4), o1.getAs("resolved_as_of"));
        assertEquals("CRM_ONLY", o1.getAs("category"), "a resolved break keeps the category it was last seen with");
        assertEquals("LAGGING", o1.getAs("first_category"));
        assertEquals(Date.valueOf(N1), o1.getAs("first_seen_as_of"));
        assertEquals(Date.valueOf(N3), o1.getAs("last_seen_as_of"));
        assertEquals(3, (int) o1.getAs("nights_open"));
        assertEquals(21, (int) o1.getAs("age_days"));
        assertEquals("U1", o1.getAs("owner_id"));

        Row o2 = n4.get(O2);
        assertEquals(Date.valueOf(N1), o2.getAs("first_seen_as_of"));
        assertEquals(3, (int) o2.getAs("nights_open"));
        assertNull(o2.getAs("resolved_as_of"));
        assertNull(o2.getAs("resolution"));
        assertEquals(Date.valueOf("2026-02-20"), o2.getAs("earliest_date"));
        assertEquals(39, (int) o2.getAs("age_days"));
        assertEquals(d("-50"), o2.getAs("variance"));
        assertEquals("B2", o2.getAs("booking_ids"));

        assertEquals(32, (int) n4.get(O3).<Integer>getAs("age_days"));
        assertEquals(Date.valueOf(N2), n4.get(O3).getAs("first_seen_as_of"));
        assertEquals(26, (int) n4.get(B9).<Integer>getAs("age_days"));
        assertEquals(4, (int) n4.get(B9).<Integer>getAs("nights_open"));
        assertNull(n4.get(B9).getAs("opportunity_id"));
        assertEquals(d("300"), n4.get(B9).getAs("amount"), "a booking without a deal: its finance amount");

        Row o4 = n4.get(O4);
        assertEquals(d("700"), o4.getAs("first_amount"));
        assertEquals(d("750"), o4.getAs("amount"));
        assertEquals(16, (int) o4.getAs("age_days"));
        assertEquals(3, (int) o4.getAs("nights_open"));
    }

    @Test
    void transitionsIncludeNewAndGoneRowsWithTheirAmounts() {
        Map<LocalDate, BreakLedger.Result> nights = backfill(List.of(N1, N2, N3, N4));
        assertEquals(Map.of("LAGGING -> CRM_ONLY", "1 / 1000", "AMOUNT_MISMATCH -> (gone)", "1 / 500",
                "PERIOD_MISMATCH -> PERIOD_MISMATCH", "1 / 200", "FINANCE_ONLY -> FINANCE_ONLY", "1 / 300",
                "CRM_ONLY -> CRM_ONLY", "1 / 700"), transitions(nights.get(N3).transitions()));
        assertEquals(Map.of("CRM_ONLY -> MATCHED", "1 / 1000", "(new) -> AMOUNT_MISMATCH", "1 / 500",
                "PERIOD_MISMATCH -> PERIOD_MISMATCH", "1 / 200", "FINANCE_ONLY -> FINANCE_ONLY", "1 / 300",
                "CRM_ONLY -> CRM_ONLY", "1 / 750"), transitions(nights.get(N4).transitions()));
        assertEquals(Date.valueOf(N3), nights.get(N4).transitions().first().getAs("previous_as_of"));
        // The first night has nothing before it: every row comes from (new), with no previous night.
        Map<String, String> first = transitions(nights.get(N1).transitions());
        assertEquals(Map.of("(new) -> LAGGING", "1 / 1000", "(new) -> AMOUNT_MISMATCH", "1 / 500",
                "(new) -> MATCHED", "1 / 200", "(new) -> FINANCE_ONLY", "1 / 300"), first);
        assertNull(nights.get(N1).transitions().first().getAs("previous_as_of"));

        // The review sheet's largest movements of N3: moves only, largest amount first.
        List<CategoryMovement> moves = CategoryMovement.largest(nights.get(N3).transitions(), 5);
        assertEquals(List.of("LAGGING -> CRM_ONLY", "AMOUNT_MISMATCH -> (gone)"),
                moves.stream().map(m -> m.fromCategory() + " -> " + m.toCategory()).toList());
        assertEquals(d("1000"), moves.get(0).amount());
    }

    @Test
    void acknowledgementsHoldUntilTheyExpireOrTheBreakChangesAndUnknownIdsAreReported() {
        Map<LocalDate, BreakLedger.Result> nights = backfill(List.of(N1, N2, N3, N4));
        assertEquals(Map.of(B9, "ACKNOWLEDGED", O3, "UNKNOWN_BREAK", UNKNOWN, "UNKNOWN_BREAK"),
                ackStates(nights.get(N1).acknowledgements().orElseThrow()));
        assertEquals(Map.of(B9, "ACKNOWLEDGED", O3, "CATEGORY_DIFFERS", UNKNOWN, "UNKNOWN_BREAK"),
                ackStates(nights.get(N2).acknowledgements().orElseThrow()));
        assertEquals(Map.of(B9, "ACKNOWLEDGED", O3, "CATEGORY_DIFFERS", UNKNOWN, "UNKNOWN_BREAK", O4, "ACKNOWLEDGED"),
                ackStates(nights.get(N3).acknowledgements().orElseThrow()));
        assertEquals(Map.of(B9, "EXPIRED", O3, "CATEGORY_DIFFERS", UNKNOWN, "UNKNOWN_BREAK", O4, "VOIDED_BY_CHANGE"),
                ackStates(nights.get(N4).acknowledgements().orElseThrow()));

        Map<String, Row> n3 = byId(nights.get(N3).ledger());
        assertTrue(n3.get(B9).<Boolean>getAs("acknowledged"));
        assertEquals(Date.valueOf(N1), n3.get(B9).getAs("acknowledged_since"));
        assertEquals("ana", n3.get(B9).getAs("acknowledged_by"));
        assertTrue(n3.get(O4).<Boolean>getAs("acknowledged"));
        assertEquals(d("700"), n3.get(O4).getAs("acknowledged_amount"));
        assertFalse(n3.get(O3).<Boolean>getAs("acknowledged"));

        Map<String, Row> n4 = byId(nights.get(N4).ledger());
        assertFalse(n4.get(B9).<Boolean>getAs("acknowledged"), "expired: counted again");
        assertEquals("OPEN", n4.get(B9).getAs("status"));
        assertEquals("EXPIRED", n4.get(B9).getAs("acknowledgement_state"));
        assertFalse(n4.get(O4).<Boolean>getAs("acknowledged"), "amount moved since it was acknowledged");
        assertEquals(Date.valueOf(N3), n4.get(O4).getAs("acknowledged_since"));
        assertEquals(d("700"), n4.get(O4).getAs("acknowledged_amount"));
        assertFalse(n4.get(O1).<Boolean>getAs("acknowledged"));
        assertNull(n4.get(O1).getAs("acknowledgement_state"));
        // Every acknowledgement row comes out: input rows = output rows.
        assertEquals(4, nights.get(N4).acknowledgements().orElseThrow().count());
    }

    @Test
    void aRerunOfTheMiddleNightGivesTheSameLedgerAndSoDoTheNightsAfterIt() {
        Map<LocalDate, BreakLedger.Result> nights = backfill(List.of(N1, N2, N3, N4));
        BreakLedger.Result n2 = nights.get(N2);
        // A rerun of N3 reads N2's stored ledger again (the previous successful night).
        BreakLedger.Result rerun = night(N3, Optional.of(new BreakLedger.Previous(N2, n2.ledger(), recon(N2))));
        assertEquals(sorted(nights.get(N3).ledger()), sorted(rerun.ledger()));
        assertEquals(sorted(nights.get(N3).transitions()), sorted(rerun.transitions()));
        BreakLedger.Result after = night(N4, Optional.of(new BreakLedger.Previous(N3, stored(rerun.ledger()), recon(N3))));
        assertEquals(sorted(nights.get(N4).ledger()), sorted(after.ledger()));
    }

    @Test
    void aResolvedBreakLeavesTheLedgerOnceItIsOlderThanTheKeepingPeriod() {
        Map<LocalDate, BreakLedger.Result> nights = backfill(List.of(N1, N2, N3));
        // O2 resolved on N3; kept 0 days, it is gone from a night after N3 where it does not come back.
        Dataset<Row> recon = recon(N3);
        BreakLedger.Result later = BreakLedger.run(new BreakLedger.Inputs(N4, recon, deals(), bookings(),
                Optional.of(new BreakLedger.Previous(N3, nights.get(N3).ledger(), recon(N3))), Optional.empty(), 0, RULE));
        assertFalse(statuses(later.ledger()).containsKey(O2));
        BreakLedger.Result kept = BreakLedger.run(new BreakLedger.Inputs(N4, recon, deals(), bookings(),
                Optional.of(new BreakLedger.Previous(N3, nights.get(N3).ledger(), recon(N3))), Optional.empty(), 1, RULE));
        assertEquals("RESOLVED", statuses(kept.ledger()).get(O2));
        assertEquals(Date.valueOf(N3), byId(kept.ledger()).get(O2).getAs("resolved_as_of"));
    }

    /**
     * One night, 2026-03-31, 30 nights of history (first booked after 03-01), 3 deals to learn:
     * SMB matched M1 close 03-02 lag 0, M2 03-05 lag 1, M3 03-10 lag 2 (first booked 03-02, 03-06,
     * 03-12: in), M4 01-10 lag 30 (first booked 02-09: out, else p90 would be 21.6). SMB lags
     * [0, 1, 2]: p50 1, p90 = 1 + 0.8 x (2 - 1) = 1.8 (linear interpolation). ENT: M5 only, too few.
     * LAGGING L1 SMB closed 03-30: 1 day <= 1.8, WITHIN_EXPECTED_LAG; L2 SMB closed 03-28: 3 days
     * > 1.8, OVERDUE; L3 ENT closed 03-28: the configured 5 days apply, WITHIN_EXPECTED_LAG.
     * CRM_ONLY C1 SMB: no sub-category.
     */
    @Test
    void laggingIsSplitByTheSegmentsLearnedLagOrTheConfiguredOneWithTheBasisSaid() {
        LocalDate asOf = LocalDate.parse("2026-03-31");
        List<Row> rows = List.of(lagRow("M1", "MATCHED", "SMB", 0), lagRow("M2", "MATCHED", "SMB", 1),
                lagRow("M3", "MATCHED", "SMB", 2), lagRow("M4", "MATCHED", "SMB", 30), lagRow("M5", "MATCHED", "ENT", 1),
                lagRow("L1", "LAGGING", "SMB", null), lagRow("L2", "LAGGING", "SMB", null),
                lagRow("L3", "LAGGING", "ENT", null), lagRow("C1", "CRM_ONLY", "SMB", null));
        Dataset<Row> deals = SPARK.createDataFrame(java.util.stream.Stream.of(new String[][] {
                {"M1", "2026-03-02"}, {"M2", "2026-03-05"}, {"M3", "2026-03-10"}, {"M4", "2026-01-10"},
                {"M5", "2026-03-02"}, {"L1", "2026-03-30"}, {"L2", "2026-03-28"}, {"L3", "2026-03-28"},
                {"C1", "2026-03-01"}}).map(d -> RowFactory.create(d[0], Date.valueOf(d[1]), "U1")).toList(), DEALS);
        Dataset<Row> ledger = BreakLedger.run(new BreakLedger.Inputs(asOf, SPARK.createDataFrame(rows, RECON), deals,
                bookings(), Optional.empty(), Optional.empty(), 30, RULE)).ledger();
        Map<String, Row> byDeal = ledger.collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("opportunity_id"), r -> r));
        assertEquals("WITHIN_EXPECTED_LAG", byDeal.get("L1").getAs("lag_status"));
        assertEquals(1.0, (double) byDeal.get("L1").getAs("expected_lag_days_p50"), 1e-9);
        assertEquals(1.8, (double) byDeal.get("L1").getAs("expected_lag_days_p90"), 1e-9);
        assertEquals("learned: 1 days since close against the p90 of 3 matched deals of the segment first booked "
                + "in the last 30 nights", byDeal.get("L1").getAs("lag_basis"));
        assertEquals("OVERDUE", byDeal.get("L2").getAs("lag_status"));
        assertEquals("WITHIN_EXPECTED_LAG", byDeal.get("L3").getAs("lag_status"));
        assertNull(byDeal.get("L3").getAs("expected_lag_days_p90"));
        assertEquals("configured booking_lag_days (5): 1 matched deals of the segment first booked in the last "
                + "30 nights, fewer than 3", byDeal.get("L3").getAs("lag_basis"));
        assertNull(byDeal.get("C1").getAs("lag_status"));
        assertNull(byDeal.get("C1").getAs("lag_basis"));
        assertEquals(4, byDeal.size(), "matched deals are no breaks");
    }

    private static Row lagRow(String opp, String category, String segment, Integer lagDays) {
        return RowFactory.create(opp, null, "A-" + opp, category, d("100"), category.equals("MATCHED") ? d("100") : null,
                category.equals("MATCHED") ? d("0") : d("-100"), segment, lagDays);
    }

    private static List<String> sorted(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
