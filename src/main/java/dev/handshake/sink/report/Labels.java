package dev.handshake.sink.report;

import dev.handshake.model.Layer;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.model.Dimension;
import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.benchmark.Scorecard;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain words for the codes the tables carry (layers, problem kinds, bands, reconciliation
 * categories, handoff failure types, dimensions). The page and the review sheet show the words and
 * list the codes once in a glossary, so a reader never has to know a code to read a finding.
 */
public final class Labels {
    /** A code, its plain label and what it means. */
    public record Entry(String code, String label, String meaning) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    private static void add(String code, String label, String meaning) {
        ENTRIES.put(code, new Entry(code, label, meaning));
    }

    static {
        add(Layer.CAPTURE.name(), "Capture (lead to opportunity)",
                "the campaign and source evidence a lead carries into its opportunity");
        add(Layer.CRM_STAGE_OWNERSHIP.name(), "CRM stages and ownership",
                "stage moves, owners and manual overrides in the CRM after the handoff");
        add(Layer.QUALIFICATION_HANDOFF.name(), "Qualification handoff",
                "the handoffs between teams before a deal is won: payload, speed, qualification");
        add(Layer.WAREHOUSE_LOGIC.name(), "Warehouse logic",
                "the published (modeled) metrics against a recomputation from the raw tables");
        add(Layer.FINANCE_NORMALIZATION.name(), "Finance normalization",
                "how won deals become bookings: amount, period, duplicates, reversals, currency");
        add(FirstFork.NONE, "None", "every layer was measured and none has a material finding");
        add(FirstFork.INSUFFICIENT_EVIDENCE, "Not enough evidence",
                "no material finding in the layers measured, and some layers not measured: neither a fork nor a clean path can be named");
        add(FirstFork.HANDSHAKE_PATH, "Broken handshake path",
                "records are lost or changed on their way between teams: repair the process");
        add(FirstFork.DEFINITION_AUTHORITY, "Definition dispute",
                "teams count the same records differently: agree who owns the definition");
        add(FirstFork.BOTH, "Broken path and definition dispute", "both kinds of problem at once");
        add(Scorecard.CLEAN, "Clean", "total 6-8: the handshake holds");
        add(Scorecard.DISTORTING, "Distorting", "total 9-13: numbers drift between teams");
        add(Scorecard.BREAKING, "Breaking", "total 14-18: the numbers no longer describe the same deals");
        add(ReconciliationTables.MATCHED, "Matched", "won deal booked at the same amount in the same period");
        add(ReconciliationTables.PERIOD_MISMATCH, "Booked in another period", "same amount, booked in a different fiscal period");
        add(ReconciliationTables.AMOUNT_MISMATCH, "Booked at another amount", "booking differs from the deal beyond tolerance");
        add(ReconciliationTables.DUPLICATE_BOOKING, "Booked twice", "more than one booking for one won deal");
        add(ReconciliationTables.REVERSED, "Booking reversed", "the booking was reversed or cancelled");
        add(ReconciliationTables.LAGGING, "Not booked yet", "won recently; finance has not booked it within the allowed lag");
        add(ReconciliationTables.CRM_ONLY, "Won, never booked", "won in the CRM with no booking past the allowed lag");
        add(ReconciliationTables.FINANCE_ONLY, "Booked, no won deal", "a booking no won opportunity explains");
        add(ReconciliationTables.CURRENCY_UNRESOLVED, "Currency not convertible", "no exchange rate: left out of both totals");
        add("crm_bookings", "Won in the CRM", "won value of the period as the CRM states it (opening total)");
        add("finance_bookings", "Booked by finance", "bookings of the period (closing total)");
        add(BenchmarkTables.MARKETING_SOURCED, "Marketing-sourced pipeline",
                "opportunities with campaign evidence, as published or recomputed");
        add(BenchmarkTables.SALES_ACCEPTED, "Sales-accepted pipeline",
                "sourced opportunities no layer removed on the way to sales");
        add(BenchmarkTables.FINANCE_BOOKED, "Finance-booked", "what finance booked for the sales-accepted opportunities");
        add("INFORMATION", "Missing information", "the handoff arrived without its required fields");
        add("TIMING", "Too slow", "the receiver acted after the SLA");
        add("QUALIFICATION", "Rejected without a valid reason", "disqualified with no valid, mapped reason");
        for (Dimension d : Dimension.values()) {
            add(d.key(), dimension(d), d.indicator());
        }
    }

    private Labels() {}

    /** The plain label of a code, or the code itself when it has none (e.g. a configured name). */
    public static String of(String code) {
        if (code == null) {
            return "-";
        }
        Entry e = ENTRIES.get(code);
        return e == null ? code : e.label();
    }

    public static String dimension(Dimension d) {
        return switch (d) {
            case CAPTURE_LINKAGE -> "Campaign linkage kept";
            case STAGE_CONSISTENCY -> "Leads with a stage anomaly";
            case OWNER_CLARITY -> "Handoffs with a clear owner";
            case OVERRIDE_DISCIPLINE -> "Manual changes with a reason";
            case FINANCE_LAG -> "Days from win to booking (p90)";
            case RECONCILIATION_REPEATABILITY -> "Won value that reconciles";
        };
    }

    public static String direction(Dimension d) {
        return d.higherIsBetter() ? "higher is better" : "lower is better";
    }

    /** What a dimension's example ids are examples of. */
    public static String examplesOf(Dimension d) {
        return switch (d) {
            case CAPTURE_LINKAGE -> "opportunities that lost their campaign";
            case STAGE_CONSISTENCY -> "leads with a stage anomaly";
            case OWNER_CLARITY -> "handoffs without a clear owner";
            case OVERRIDE_DISCIPLINE -> "manual changes without a reason";
            case FINANCE_LAG -> "the slowest won deals to book";
            case RECONCILIATION_REPEATABILITY -> "won deals that do not reconcile";
        };
    }

    /** The glossary entries of the given codes, in glossary order, each once. */
    public static List<Entry> glossary(java.util.Collection<String> codes) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : ENTRIES.values()) {
            if (codes.contains(e.code())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every entry, for the review sheet's glossary. */
    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }
}
