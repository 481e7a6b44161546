package dev.handshake.audit.reconciliation;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.FX_RATES;
import static dev.handshake.model.CanonicalTable.MODELED_METRICS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.Fx;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.source.AuditInputs;
import dev.handshake.model.CanonicalTable;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One case of every category, as_of 2026-03-31, USD, tolerance 0.01, lag 5 days, fallback 30 days.
 * All opportunities are won and created inside the window.
 *
 * <pre>
 * row  opportunity (close, amount)      bookings (date, amount)                 category
 * O1   02-10  1000 USD, campaign C1     B1 02-12 1000; B12 "draft" (excluded)     MATCHED, lag 2
 * O2   02-15  2000                      B2 02-16 1800                             AMOUNT_MISMATCH -200
 * O3   02-27  3000                      B3 03-02 3000                             PERIOD_MISMATCH (Feb vs Mar)
 * O4   03-05  500 BRL                   B4 03-06 500 BRL (no BRL rate)            CURRENCY_UNRESOLVED
 * O5   03-28  700                       B14 04-02 (after as_of)                   LAGGING (until 04-02)
 * O6   03-10  800                       none                                      CRM_ONLY (since 03-15)
 * --   account A99                      B7 03-12 900, no opportunity              FINANCE_ONLY
 * O8   03-01  1500                      B8a 03-02 1500, B8b 03-03 1500            DUPLICATE_BOOKING
 * O9   01-20  600                       B9a 01-22 600, B9b 02-05 600 "reversed"   REVERSED (net 0)
 * O10  03-15  1200, account A10         B10 03-20 1200, account A10, no link      MATCHED by fallback
 * O11  02-20  1000 EUR (1.10 = 1100)    B11 02-25 1000 EUR (1.10 = 1100)          MATCHED
 * B13 2024-01-01 without link is outside the window and in no row.
 *
 * Bridge crm_bookings -> finance_bookings (contribution = finance in P - CRM in P):
 * 2026-01: crm 600 (O9);                      finance 600 (B9a).   REVERSED 600-600 = 0.
 * 2026-02: crm 1000+2000+3000+1100 = 7100;    finance 1000+1800+1100-600 = 3300.
 *          MATCHED 0, AMOUNT_MISMATCH -200, PERIOD_MISMATCH -3000, REVERSED -600: 7100-3800 = 3300.
 * 2026-03: crm 700+800+1500+1200 = 4200 (O4 left out); finance 3000+900+1500+1500+1200 = 8100.
 *          PERIOD_MISMATCH +3000, DUPLICATE +1500, LAGGING -700, CRM_ONLY -800, FINANCE_ONLY +900,
 *          CURRENCY_UNRESOLVED 0 (1 row, BRL 500.00 twice): 4200+3900 = 8100.
 * Metrics, bookings, all segments, Feb: recomputed 7100, finance-safe 3300, modeled 7000:
 *          variance 7000-3300 = 3700 (112.12 %), translation drift 7000-7100 = -100.
 * </pre>
 */
class ReconciliationAuditTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);
    private static Map<String, Row> rowsByKey;
    private static List<Row> bridge;
    private static List<Row> metrics;
    private static long breaks;

    private static void won(Fixture f, String id, String close, String amount, String currency, String account) {
        f.row(OPPORTUNITIES, "opportunity_id", id, "account_id", account, "created_at", "2026-01-05T00:00:00Z",
                "is_won", true, "is_closed", true, "close_date", close, "amount", amount, "currency_code", currency);
    }

    private static void booking(Fixture f, String id, String opp, String date, String amount, String currency,
                                String status) {
        f.row(BOOKINGS, "booking_id", id, "opportunity_id", opp, "account_id", opp == null ? null : "A" + opp,
                "booking_date", date, "amount", amount, "currency_code", currency, "status", status);
    }

    @BeforeAll
    static void run() {
        Fixture f = new Fixture()
                .row(FX_RATES, "currency_code", "EUR", "rate_date", "2026-02-01", "rate_to_reporting", "1.10")
                .row(FX_RATES, "currency_code", "EUR", "rate_date", "2026-03-01", "rate_to_reporting", "1.20")
                .row(MODELED_METRICS, "metric", "bookings", "period", "2026-02", "value", "7000.00",
                        "source_model", "fct_bookings")
                .empty(CanonicalTable.LEADS);
        f.row(OPPORTUNITIES, "opportunity_id", "O1", "account_id", "AO1", "created_at", "2026-02-01T00:00:00Z",
                "is_won", true, "is_closed", true, "close_date", "2026-02-10", "amount", "1000.00",
                "currency_code", "USD", "campaign_id", "C1");
        won(f, "O2", "2026-02-15", "2000.00", "USD", "AO2");
        won(f, "O3", "2026-02-27", "3000.00", "USD", "AO3");
        won(f, "O4", "2026-03-05", "500.00", "BRL", "AO4");
        won(f, "O5", "2026-03-28", "700.00", "USD", "AO5");
        won(f, "O6", "2026-03-10", "800.00", "USD", "AO6");
        won(f, "O8", "2026-03-01", "1500.00", "USD", "AO8");
        won(f, "O9", "2026-01-20", "600.00", "USD", "AO9");
        won(f, "O10", "2026-03-15", "1200.00", "USD", "A10");
        won(f, "O11", "2026-02-20", "1000.00", "EUR", "AO11");
        booking(f, "B1", "O1", "2026-02-12", "1000.00", "USD", "booked");
        booking(f, "B12", "O1", "2026-02-13", "1000.00", "USD", "Draft");
        booking(f, "B2", "O2", "2026-02-16", "1800.00", "USD", "booked");
        booking(f, "B3", "O3", "2026-03-02", "3000.00", "USD", "booked");
        booking(f, "B4", "O4", "2026-03-06", "500.00", "BRL", "booked");
        booking(f, "B14", "O5", "2026-04-02", "700.00", "USD", "booked");
        f.row(BOOKINGS, "booking_id", "B7", "account_id", "A99", "booking_date", "2026-03-12", "amount", "900.00",
                "currency_code", "USD", "status", "booked");
        booking(f, "B8a", "O8", "2026-03-02", "1500.00", "USD", "booked");
        booking(f, "B8b", "O8", "2026-03-03", "1500.00", "USD", null);
        booking(f, "B9a", "O9", "2026-01-22", "600.00", "USD", "booked");
        booking(f, "B9b", "O9", "2026-02-05", "600.00", "USD", "Reversed");
        f.row(BOOKINGS, "booking_id", "B10", "account_id", "A10", "booking_date", "2026-03-20", "amount", "1200.00",
                "currency_code", "USD", "status", "booked");
        booking(f, "B11", "O11", "2026-02-25", "1000.00", "EUR", "booked");
        f.row(BOOKINGS, "booking_id", "B13", "account_id", "A98", "booking_date", "2024-01-01", "amount", "50.00",
                "currency_code", "USD");

        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"));
        AuditInputs in = f.inputs(SharedSpark.get());
        LeadJourney journey = LeadJourney.build(in, config.leadStatusStages(), config.roles(), WINDOW);
        Fx fx = Fx.of(in, "USD", WINDOW);
        Dataset<Row> scope = OpportunityScope.build(in, journey, WINDOW, fx);
        Dataset<Row> changes = dev.handshake.audit.OpportunityChanges.build(in, scope,
                config.opportunityStages(), WINDOW).rows();
        Materializer keep = rows -> rows.localCheckpoint(true);
        BookingMatch match = BookingMatch.of(scope, in.table(BOOKINGS), fx, config.reconciliation(), WINDOW, keep);
        ReconciliationAudit.Result r = ReconciliationAudit.run(scope, changes, match, in.optional(MODELED_METRICS),
                new ReconciliationAudit.Context(config.reconciliation(), config.reasonCategories(), WINDOW, keep));
        rowsByKey = new HashMap<>();
        for (Row row : r.reconciliation().collectAsList()) {
            String key = row.getAs("opportunity_id") != null ? row.getAs("opportunity_id")
                    : row.<String>getList(row.fieldIndex("booking_ids")).get(0);
            rowsByKey.put(key, row);
        }
        bridge = r.bridge().filter("bridge = 'crm_bookings_to_finance_bookings'").collectAsList();
        metrics = r.metrics().collectAsList();
        breaks = r.tieOutBreaks().count();
    }

    private static BigDecimal money(String v) {
        return v == null ? null : new BigDecimal(v).setScale(6);
    }

    private static void assertRow(String key, String category, String matchedBy, String crm, String finance,
                                  String variance, String crmPeriod, String financePeriod, Integer lag, String layer) {
        Row r = rowsByKey.get(key);
        assertEquals(category, r.getAs("category"), key);
        assertEquals(matchedBy, r.getAs("matched_by"), key + " matched_by");
        assertEquals(money(crm), r.getAs("crm_amount"), key + " crm");
        assertEquals(money(finance), r.getAs("finance_amount"), key + " finance");
        assertEquals(money(variance), r.getAs("variance"), key + " variance");
        assertEquals(crmPeriod, r.getAs("crm_period"), key + " crm period");
        assertEquals(financePeriod, r.getAs("finance_period"), key + " finance period");
        assertEquals(lag, r.getAs("lag_days"), key + " lag");
        assertEquals(layer, r.getAs("layer"), key + " layer");
    }

    @Test
    void everyWinAndBookingLandsInExactlyOneRowOfTheRightCategory() {
        assertEquals(11, rowsByKey.size());
        assertRow("O1", "MATCHED", "link", "1000", "1000", "0", "2026-02", "2026-02", 2, null);
        assertRow("O2", "AMOUNT_MISMATCH", "link", "2000", "1800", "-200", "2026-02", "2026-02", 1, "FINANCE_NORMALIZATION");
        assertRow("O3", "PERIOD_MISMATCH", "link", "3000", "3000", "0", "2026-02", "2026-03", 3, "FINANCE_NORMALIZATION");
        assertRow("O4", "CURRENCY_UNRESOLVED", "link", null, null, null, "2026-03", "2026-03", 1, "FINANCE_NORMALIZATION");
        assertRow("O5", "LAGGING", null, "700", null, "-700", "2026-03", null, null, "FINANCE_NORMALIZATION");
        assertRow("O6", "CRM_ONLY", null, "800", null, "-800", "2026-03", null, null, "FINANCE_NORMALIZATION");
        assertRow("B7", "FINANCE_ONLY", null, null, "900", "900", null, "2026-03", null, "CRM_STAGE_OWNERSHIP");
        assertRow("O8", "DUPLICATE_BOOKING", "link", "1500", "3000", "1500", "2026-03", "2026-03", 1, "FINANCE_NORMALIZATION");
        assertRow("O9", "REVERSED", "link", "600", "0", "-600", "2026-01", "2026-01", 2, "FINANCE_NORMALIZATION");
        assertRow("O10", "MATCHED", "fallback", "1200", "1200", "0", "2026-03", "2026-03", 5, null);
        assertRow("O11", "MATCHED", "link", "1100", "1100", "0", "2026-02", "2026-02", 5, null);
        assertEquals(List.of("B8a", "B8b"), rowsByKey.get("O8").getList(rowsByKey.get("O8").fieldIndex("booking_ids")));
        assertEquals(List.of("B1"), rowsByKey.get("O1").getList(rowsByKey.get("O1").fieldIndex("booking_ids")));
        assertEquals("BRL 500.00, BRL 500.00", rowsByKey.get("O4").getAs("unconverted"));
    }

    private static void assertStep(String period, String step, String amount, long rows) {
        Row r = bridge.stream().filter(b -> b.getAs("period").equals(period) && b.getAs("step").equals(step))
                .findFirst().orElseThrow(() -> new AssertionError(period + " " + step));
        assertEquals(money(amount), r.getAs("amount"), period + " " + step);
        assertEquals(rows, (long) r.getAs("rows"), period + " " + step + " rows");
    }

    @Test
    void theBridgeStepsSumExactlyToTheDifferencePerPeriod() {
        assertEquals(0, breaks);
        assertStep("2026-01", "crm_bookings", "600", 0);
        assertStep("2026-01", "REVERSED", "0", 1);
        assertStep("2026-01", "finance_bookings", "600", 0);
        assertStep("2026-02", "crm_bookings", "7100", 0);
        assertStep("2026-02", "MATCHED", "0", 2);
        assertStep("2026-02", "AMOUNT_MISMATCH", "-200", 1);
        assertStep("2026-02", "PERIOD_MISMATCH", "-3000", 1);
        assertStep("2026-02", "REVERSED", "-600", 1);
        assertStep("2026-02", "finance_bookings", "3300", 0);
        assertStep("2026-03", "crm_bookings", "4200", 0);
        assertStep("2026-03", "PERIOD_MISMATCH", "3000", 1);
        assertStep("2026-03", "DUPLICATE_BOOKING", "1500", 1);
        assertStep("2026-03", "LAGGING", "-700", 1);
        assertStep("2026-03", "CRM_ONLY", "-800", 1);
        assertStep("2026-03", "FINANCE_ONLY", "900", 1);
        assertStep("2026-03", "CURRENCY_UNRESOLVED", "0", 1);
        assertStep("2026-03", "finance_bookings", "8100", 0);
        Row last = bridge.stream().filter(b -> b.getAs("period").equals("2026-03")
                && b.getAs("step").equals("CURRENCY_UNRESOLVED")).findFirst().orElseThrow();
        assertEquals("not converted, left out of both totals: BRL 500.00, BRL 500.00", last.getAs("note"));
        assertEquals(3 * 11, bridge.size(), "3 periods x (start + 9 categories + end)");
    }

    private static Row metric(String metric, String period, String segment) {
        return metrics.stream().filter(m -> m.getAs("metric").equals(metric) && m.getAs("period").equals(period)
                && m.getAs("segment").equals(segment)).findFirst().orElseThrow();
    }

    @Test
    void metricsSetTheModeledRecomputedAndFinanceSafeNumbersSideBySide() {
        Row feb = metric("bookings", "2026-02", "*");
        assertEquals(money("7000"), feb.getAs("modeled_value"));
        assertEquals(money("7100"), feb.getAs("recomputed_value"));
        assertEquals(money("3300"), feb.getAs("finance_safe_value"));
        assertEquals(money("3700"), feb.getAs("variance"));
        assertEquals(112.12, (double) feb.getAs("variance_pct"), 1e-9);
        assertEquals(money("-100"), feb.getAs("translation_drift"));
        assertEquals("fct_bookings", feb.getAs("source_model"));
        assertEquals("FY2026-Q1", feb.getAs("fiscal_quarter"));

        Row mar = metric("bookings", "2026-03", "*");
        assertNull(mar.getAs("modeled_value"));
        assertEquals(money("4200"), mar.getAs("recomputed_value"));
        assertEquals(money("8100"), mar.getAs("finance_safe_value"));
        assertEquals(money("-3900"), mar.getAs("variance"));

        assertEquals(money("1000"), metric("sourced_pipeline", "2026-02", "*").getAs("recomputed_value"));
    }
}
