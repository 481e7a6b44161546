package dev.handshake.audit.reconciliation;

import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.FIELD_HISTORY;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.MODELED_METRICS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.OPPORTUNITY_HISTORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.Fx;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.OpportunityChanges;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.source.AuditInputs;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The seed's example rebuilt from records: marketing says a paid program sourced $1.2M, sales says
 * $700K should count, finance booked lower still. Six opportunities created in 2026-02, each from a
 * lead captured on campaign C1:
 *
 * <pre>
 * P1 500,000  campaign kept, won, booked 400,000          sales-accepted; finance 400,000
 * P2 200,000  opportunity lost the campaign               CAPTURE
 * P3 150,000  re-owned after it was created               CRM_STAGE_OWNERSHIP
 * P4 100,000  moved back from Negotiation to Prospecting  CRM_STAGE_OWNERSHIP
 * P5  50,000  closed lost "Bad Fit"                       QUALIFICATION_HANDOFF
 * P6 200,000  open, nothing booked                        sales-accepted; finance 0
 * Published sourced_pipeline 2026-02: 1,250,000.
 * 1,250,000 -50,000 (warehouse) = 1,200,000 -200,000 (capture) -250,000 (crm) -50,000 (qualification)
 * = 700,000 sales-accepted; -300,000 (finance) = 400,000 booked.
 * </pre>
 */
class ThreeNumberBridgeTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 365);

    @Test
    void theSeedsExampleBridgesFromMarketingsClaimToFinanceBooked() {
        Fixture f = new Fixture()
                .row(MODELED_METRICS, "metric", "sourced_pipeline", "period", "2026-02", "value", "1250000.00",
                        "source_model", "dash_sourced")
                .row(FIELD_HISTORY, "object_type", "opportunity", "object_id", "P3", "field", "owner_id",
                        "old_value", "U1", "new_value", "U2", "changed_at", "2026-02-15T00:00:00Z")
                .row(OPPORTUNITY_HISTORY, "opportunity_id", "P4", "stage_name", "Negotiation/Review",
                        "changed_at", "2026-02-05T00:00:00Z")
                .row(OPPORTUNITY_HISTORY, "opportunity_id", "P4", "stage_name", "Prospecting",
                        "changed_at", "2026-02-10T00:00:00Z")
                .row(BOOKINGS, "booking_id", "B1", "opportunity_id", "P1", "booking_date", "2026-02-20",
                        "amount", "400000.00", "currency_code", "USD");
        String[][] opps = {{"P1", "500000.00", "C1", "won"}, {"P2", "200000.00", null, "open"},
                {"P3", "150000.00", "C1", "open"}, {"P4", "100000.00", "C1", "open"},
                {"P5", "50000.00", "C1", "lost"}, {"P6", "200000.00", "C1", "open"}};
        for (String[] o : opps) {
            f.row(LEADS, "lead_id", "L" + o[0], "created_at", "2026-01-20T00:00:00Z", "campaign_id", "C1",
                    "converted_opportunity_id", o[0]);
            f.row(OPPORTUNITIES, "opportunity_id", o[0], "account_id", "A" + o[0], "created_at", "2026-02-01T00:00:00Z",
                    "amount", o[1], "currency_code", "USD", "campaign_id", o[2], "close_date", "2026-02-18",
                    "is_closed", !o[3].equals("open"), "is_won", o[3].equals("won"),
                    "loss_reason", o[3].equals("lost") ? "Bad Fit" : null);
        }
        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"));
        AuditInputs in = f.inputs(SharedSpark.get());
        LeadJourney journey = LeadJourney.build(in, config.leadStatusStages(), config.roles(), WINDOW);
        Fx fx = Fx.of(in, "USD", WINDOW);
        Dataset<Row> scope = OpportunityScope.build(in, journey, WINDOW, fx);
        Dataset<Row> changes = OpportunityChanges.build(in, scope, config.opportunityStages(), WINDOW).rows();
        Materializer keep = rows -> rows.localCheckpoint(true);
        BookingMatch match = BookingMatch.of(scope, in.table(BOOKINGS), fx, config.reconciliation(), WINDOW, keep);
        ReconciliationAudit.Result r = ReconciliationAudit.run(scope, changes, match, in.optional(MODELED_METRICS),
                new ReconciliationAudit.Context(config.reconciliation(), config.reasonCategories(), WINDOW, keep));

        List<Row> steps = r.bridge().filter("bridge = 'marketing_sourced_to_finance_booked' AND period = '2026-02'")
                .orderBy("step_order").collectAsList();
        String[][] expected = {
                {"marketing_sourced_pipeline", null, "1250000", "1250000", "6"},
                {"modeled differs from recomputation", "WAREHOUSE_LOGIC", "-50000", "1200000", "0"},
                {"linkage lost between lead and opportunity", "CAPTURE", "-200000", "1000000", "1"},
                {"re-owned, re-staged or reopened after the handoff", "CRM_STAGE_OWNERSHIP", "-250000", "750000", "2"},
                {"rejected or disqualified", "QUALIFICATION_HANDOFF", "-50000", "700000", "1"},
                {"sales_accepted_pipeline", null, "700000", "700000", "2"},
                {"not booked or booked differently", "FINANCE_NORMALIZATION", "-300000", "400000", "2"},
                {"finance_booked", null, "400000", "400000", "2"}};
        assertEquals(expected.length, steps.size());
        for (int i = 0; i < expected.length; i++) {
            Row s = steps.get(i);
            assertEquals(expected[i][0], s.getAs("step"));
            assertEquals(expected[i][1], s.getAs("layer"), expected[i][0]);
            assertEquals(new BigDecimal(expected[i][2]).setScale(6), s.getAs("amount"), expected[i][0]);
            assertEquals(new BigDecimal(expected[i][3]).setScale(6), s.getAs("running_total"), expected[i][0]);
            assertEquals(Long.parseLong(expected[i][4]), (long) s.getAs("rows"), expected[i][0]);
        }
        assertEquals("as published by dash_sourced", steps.get(0).getAs("note"));
        assertEquals(0, r.tieOutBreaks().count());
    }
}
