package dev.handshake.model;

import static dev.handshake.model.CanonicalTable.ACTIVITIES;
import static dev.handshake.model.CanonicalTable.BOOKINGS;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static dev.handshake.model.CanonicalTable.FIELD_HISTORY;
import static dev.handshake.model.CanonicalTable.FX_RATES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.LEAD_STATUS_HISTORY;
import static dev.handshake.model.CanonicalTable.MODELED_METRICS;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which input tables each output figure needs, and what a run says without them (docs/coverage.md,
 * whose table is {@link #markdownTable()}). {@code validate} reads it to list, before any run, the
 * figures the given tables cannot measure.
 */
public enum FigureNeeds {
    FUNNEL("funnel (`audit_funnel`)", List.of(LEADS), false,
            "no funnel row; with leads, a stage without direct evidence is *untracked* and a stage after the"
                    + " last tracked one is not measured (null)"),
    STAGE_INSTANTS("funnel stage instants from status changes", List.of(LEAD_STATUS_HISTORY), false,
            "stage instants come from the leads table's own columns"),
    WORKED_EVIDENCE("funnel `WORKED` evidence from activities", List.of(ACTIVITIES), false,
            "only `leads.first_touch_at` counts as a first touch"),
    LEAD_HANDOFFS("handoffs on leads (`marketing_to_sales`, `sdr_to_ae`)", List.of(LEADS), false,
            "not measured; so is a handoff whose entry, action or completion stage is untracked"),
    OPPORTUNITY_HANDOFFS("handoffs on opportunities", List.of(OPPORTUNITIES), false, "not measured"),
    RECEIVING_ROLE("receiving role of a handoff", List.of(USERS), false,
            "an owner counts as named when the record has one (`skipped_figures`: `receiving role of handoffs`)"),
    BOOKED("`sales_to_finance`, funnel `BOOKED`", List.of(BOOKINGS), false,
            "`sales_to_finance` not measured, `BOOKED` untracked: the funnel's `WON` row has no `converted`,"
                    + " `dropped` or `conversion_rate`"),
    FINANCE_RECONCILIATION("reconciliation category, `lag_days`, CRM-to-finance bridge, finance-safe metrics,"
            + " break ledger, restatements", List.of(OPPORTUNITIES, BOOKINGS), false,
            "`category` null and `note` = `not measured: no bookings table`; the CRM-to-finance bridge, break"
                    + " ledger and restatements are not written; finance steps and finance-safe values are null"),
    CRM_SIDE("CRM side of the reconciliation, metric comparison's recomputed values, drift", List.of(OPPORTUNITIES),
            false, "no won deal: no row"),
    CHANNELS("funnel `channel` cut, workflow `channels` filters", List.of(CAMPAIGNS), false,
            "channel `(none)`; a workflow filtering on channels has no lead"),
    TOUCH_TYPES("workflow `touch_types` filters", List.of(CAMPAIGN_TOUCHES), false,
            "a workflow filtering on touch types has no record, and says so"),
    WORKFLOWS("workflows (the benchmark's populations)", List.of(LEADS, OPPORTUNITIES), true,
            "no record in any workflow. Cohort leads, or on a night without any the opportunities in scope"
                    + " ([configuration.md](configuration.md#workflows)); a filter the night cannot read (`channels`,"
                    + " `touch_types` on opportunities, `opportunity_types` on leads) leaves its workflow without"
                    + " records, and `skipped_figures` says which"),
    CAPTURE_LINKAGE("benchmark `capture_linkage`", List.of(LEADS, OPPORTUNITIES), false,
            "not measured: no record (without cohort leads: \"the night has no cohort lead\")"),
    STAGE_CONSISTENCY("benchmark `stage_consistency`", List.of(LEADS), false,
            "not measured: the night has no cohort lead"),
    OWNER_CHANGES("benchmark `owner_clarity`, `override_discipline`; owner changes after a handoff",
            List.of(FIELD_HISTORY), false, "not scored: field_history table absent"),
    FINANCE_DIMENSIONS("benchmark `finance_lag`, `reconciliation_repeatability`; number in dispute",
            List.of(BOOKINGS), false, "not measured: no bookings table"),
    WAREHOUSE_LOGIC("warehouse-logic layer (`modeled_value`)", List.of(MODELED_METRICS), false,
            "layer not measured"),
    OTHER_CURRENCIES("amounts in other currencies", List.of(FX_RATES), false,
            "left out of money figures and counted (`CURRENCY_UNRESOLVED`)");

    private final String figure;
    private final List<CanonicalTable> tables;
    private final boolean anyOf;
    private final String without;

    FigureNeeds(String figure, List<CanonicalTable> tables, boolean anyOf, String without) {
        this.figure = figure;
        this.tables = tables;
        this.anyOf = anyOf;
        this.without = without;
    }

    public String figure() {
        return figure;
    }

    /** Whether the tables given (present with rows) are enough for this figure. */
    public boolean measurableWith(Set<CanonicalTable> given) {
        return anyOf ? tables.stream().anyMatch(given::contains) : given.containsAll(tables);
    }

    /** "bookings" or "leads or opportunity_history": what the figure needs, in the docs' words. */
    public String needs() {
        return tables.stream().map(t -> "`" + t.tableName() + "`").collect(Collectors.joining(anyOf ? " or " : " and "));
    }

    /** One line per figure the given tables cannot measure: the figure, what it needs, and what is said instead. */
    public static List<String> notMeasurable(Set<CanonicalTable> given) {
        List<String> out = new ArrayList<>();
        for (FigureNeeds f : values()) {
            if (!f.measurableWith(given)) {
                out.add(plain(f.figure + ": needs " + f.needs() + "; without it: " + f.without));
            }
        }
        return out;
    }

    /** The table of docs/coverage.md, "Which inputs each figure needs". */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| figure | needs | without it |\n|---|---|---|\n");
        for (FigureNeeds f : values()) {
            out.append("| ").append(f.figure).append(" | ").append(f.needs()).append(" | ").append(f.without)
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Console text: the docs' code marks and links dropped (a link keeps its text). */
    private static String plain(String markdown) {
        return markdown.replaceAll("\\[([^]]+)]\\([^)]+\\)", "$1").replace("`", "").replace("*", "");
    }
}
