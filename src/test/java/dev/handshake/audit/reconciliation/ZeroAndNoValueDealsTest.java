package dev.handshake.audit.reconciliation;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.MODELED_METRICS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.Fx;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.OpportunityChanges;
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
 * Deals of value 0 and won deals without an amount (issue 25, item 5), shaped like a closed-deal
 * export where most deals carry no value. as_of 2026-03-31, USD, tolerance 0.01, lag 5 days, no
 * fx_rates table (so BRL has no rate).
 *
 * <pre>
 * deal  amount        close   bookings                          category             crm   fin   variance lag
 * Z1    0 USD         02-10   Z1b 02-12 0 booked                MATCHED (was REVERSED) 0    0     0        2
 * Z2    0 USD         02-10   none                              CRM_ONLY               0    -     0        -
 * N1    none          02-10   none                              CRM_ONLY, "no value"   -    -     0        -
 * N2    none          02-10   N2b 02-11 500 booked              AMOUNT_MISMATCH, "no value" - 500 500      1
 * R1    600 USD       01-20   R1a 01-22 600, R1b 02-05 600 rev. REVERSED (net 0)       600  0     -600     2
 * U1    500 BRL       03-05   none                              CURRENCY_UNRESOLVED    -    -     -        -
 * </pre>
 * Z1's booking of 0 reaches finance (it is not a reversal): lag 2. A reversal never does: R1's lag is
 * from its first booking R1a. Bridge 2026-02: crm_bookings 0 + 0 (Z1, Z2; N1, N2 claim no value) = 0;
 * finance 0 + 500 - 600 (R1b) = -100; steps MATCHED 0, CRM_ONLY 0, AMOUNT_MISMATCH +500, REVERSED -600:
 * 0 + 500 - 600 = -100, so it ties out. Only U1 is an FX problem.
 */
class ZeroAndNoValueDealsTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);
    private static Map<String, Row> rows;
    private static long breaks;
    private static Map<String, Row> feb;

    private static void won(Fixture f, String id, String close, String amount, String currency) {
        f.row(OPPORTUNITIES, "opportunity_id", id, "account_id", "A" + id, "created_at", "2026-01-05T00:00:00Z",
                "is_won", true, "is_closed", true, "close_date", close, "amount", amount, "currency_code", currency);
    }

    private static void booking(Fixture f, String id, String opp, String date, String amount, String status) {
        f.row(BOOKINGS, "booking_id", id, "opportunity_id", opp, "account_id", "A" + opp, "booking_date", date,
                "amount", amount, "currency_code", "USD", "status", status);
    }

    @BeforeAll
    static void run() {
        Fixture f = new Fixture().empty(CanonicalTable.LEADS);
        won(f, "Z1", "2026-02-10", "0.00", "USD");
        won(f, "Z2", "2026-02-10", "0.00", "USD");
        won(f, "N1", "2026-02-10", null, null);
        won(f, "N2", "2026-02-10", null, null);
        won(f, "R1", "2026-01-20", "600.00", "USD");
        won(f, "U1", "2026-03-05", "500.00", "BRL");
        booking(f, "Z1b", "Z1", "2026-02-12", "0.00", "booked");
        booking(f, "N2b", "N2", "2026-02-11", "500.00", "booked");
        booking(f, "R1a", "R1", "2026-01-22", "600.00", "booked");
        booking(f, "R1b", "R1", "2026-02-05", "600.00", "Reversed");

        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"));
        AuditInputs in = f.inputs(SharedSpark.get());
        LeadJourney journey = LeadJourney.build(in, config.leadStatusStages(), config.roles(), WINDOW);
        Fx fx = Fx.of(in, "USD", WINDOW);
        Dataset<Row> scope = OpportunityScope.build(in, journey, WINDOW, fx);
        Dataset<Row> changes = OpportunityChanges.build(in, scope, config.opportunityStages(), WINDOW).rows();
        BookingMatch match = BookingMatch.of(scope, in.table(BOOKINGS), fx, config.reconciliation(), WINDOW,
                r -> r);
        ReconciliationAudit.Result r = ReconciliationAudit.run(scope, changes, match, in.optional(MODELED_METRICS),
                new ReconciliationAudit.Context(config.reconciliation(), config.reasonCategories(), WINDOW,
                        d -> d.localCheckpoint(true)));
        rows = new HashMap<>();
        for (Row row : r.reconciliation().collectAsList()) {
            rows.put(row.getAs("opportunity_id"), row);
        }
        breaks = r.tieOutBreaks().count();
        feb = new HashMap<>();
        for (Row row : r.bridge().filter("bridge = 'crm_bookings_to_finance_bookings' and period = '2026-02'")
                .collectAsList()) {
            feb.put(row.getAs("step"), row);
        }
        arrivals = new HashMap<>();
        for (Row row : match.firstBooked().collectAsList()) {
            arrivals.put(row.getAs(BookingMatch.ARRIVED_OPP), row.getAs(BookingMatch.ARRIVED_ON).toString());
        }
    }

    private static Map<String, String> arrivals;

    private static BigDecimal money(String v) {
        return v == null ? null : new BigDecimal(v).setScale(6);
    }

    private static void assertRow(String id, String category, String crm, String finance, String variance,
                                  Integer lag) {
        Row r = rows.get(id);
        assertEquals(category, r.getAs("category"), id);
        assertEquals(money(crm), r.getAs("crm_amount"), id + " crm");
        assertEquals(money(finance), r.getAs("finance_amount"), id + " finance");
        assertEquals(money(variance), r.getAs("variance"), id + " variance");
        assertEquals(lag, r.getAs("lag_days"), id + " lag");
    }

    @Test
    void aDealOfValueZeroBookedAtZeroIsMatchedNotReversed() {
        assertRow("Z1", "MATCHED", "0", "0", "0", 2);
        assertNull(rows.get("Z1").getAs("note"));
        assertRow("Z2", "CRM_ONLY", "0", null, "0", null);
        assertEquals("2026-02-12", arrivals.get("Z1"), "a booking of 0 that is no reversal reaches finance");
    }

    @Test
    void aReversalStillNetsToZeroAndNeverReachesFinance() {
        assertRow("R1", "REVERSED", "600", "0", "-600", 2);
        assertEquals("2026-01-22", arrivals.get("R1"));
    }

    @Test
    void aWonDealWithoutAnAmountIsNoValueNeverAnFxProblem() {
        assertRow("N1", "CRM_ONLY", null, null, "0", null);
        assertRow("N2", "AMOUNT_MISMATCH", null, "500", "500", 1);
        for (String id : List.of("N1", "N2")) {
            String note = rows.get(id).getAs("note");
            assertTrue(note != null && note.startsWith("no value"), id + ": " + note);
            assertNull(rows.get(id).getAs("unconverted"), id);
        }
        assertRow("U1", "CURRENCY_UNRESOLVED", null, null, null, null);
        assertNull(rows.get("U1").getAs("note"), "an FX problem is not a no-value deal");
        assertEquals("BRL 500.00", rows.get("U1").getAs("unconverted"));
    }

    @Test
    void theBridgeTiesOutWithNoValueDealsAndZeroBookings() {
        assertEquals(0, breaks);
        assertEquals(money("0"), feb.get("crm_bookings").getAs("amount"));
        assertEquals(money("0"), feb.get("MATCHED").getAs("amount"));
        assertEquals(1L, (long) feb.get("MATCHED").getAs("rows"));
        assertEquals(money("500"), feb.get("AMOUNT_MISMATCH").getAs("amount"));
        assertEquals(money("-600"), feb.get("REVERSED").getAs("amount"));
        assertEquals(money("-100"), feb.get("finance_bookings").getAs("amount"));
    }
}
