package dev.handshake.sample;

import static dev.handshake.sample.LeadPlan.ASSIGNED;
import static dev.handshake.sample.LeadPlan.MQL;
import static dev.handshake.sample.LeadPlan.OPPORTUNITY;
import static dev.handshake.sample.LeadPlan.SAL;
import static dev.handshake.sample.LeadPlan.STAGES;
import static dev.handshake.sample.LeadPlan.WORKED;
import static dev.handshake.sample.Plan.*;
import static dev.handshake.sample.SampleCalendar.DAY;
import static dev.handshake.sample.SampleCalendar.HOUR;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.CanonicalTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The manifest's exact counts: sums of the plan's own decision flags, fused into one aggregation
 * over the plan (plus one small group-by for the funnel per cohort month). Nothing here re-reads
 * written data or re-derives a stage from timestamps the way the audit does.
 */
final class ManifestCounts {
    /** Largest possible booking lag in days (a period-mismatch booking: up to 31 + 4). */
    static final int MAX_LAG = 40;

    private final SampleSpec spec;
    private final SampleCalendar cal;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Map<String, String> definitions = new TreeMap<>();
    private final Map<String, Map<String, Column>> quarantineColumns = new TreeMap<>();
    /** Each count's per-row value (0/1, or a row count), for the per-channel splits. */
    private final Map<String, Column> perRow = new LinkedHashMap<>();

    static final String BY_CHANNEL = "by_channel.";
    static final String BY_SEGMENT = "by_segment.";
    /** The part of a split whose leads the audit cannot place: no campaign_id, or no segment. */
    static final String NONE = "none";
    private static final List<String> PER_SEGMENT = List.of("handoff.sales_to_finance.booking_within_5_days",
            "handoff.sales_to_finance.booking_after_5_days");
    /** The counts split by channel: those whose planted rates differ by channel, and their bases. */
    private static final List<String> PER_CHANNEL = List.of("capture.opportunities_with_lead_campaign",
            "capture.linkage_lost", "handoff.sdr_to_ae.opportunities", "handoff.sdr_to_ae.owner_not_ae",
            "owner.opportunity_reowned_after_handoff", "owner.opportunity_reowned_with_reason",
            "stage.opportunity_backward_move", "stage.opportunity_reopened_after_close",
            "stage.unmapped.opportunity_history_rows", "field_history.manual.lead_source",
            "field_history.manual_with_reason", "field_history.manual_without_reason",
            "recon.won_opportunities", "recon.AMOUNT_MISMATCH");

    ManifestCounts(SampleSpec spec, SampleCalendar cal) {
        this.spec = spec;
        this.cal = cal;
        define();
        byChannel();
        bySegment();
    }

    /** Counts, quarantine expectations and the lag histogram, from one pass over the plan. */
    record Totals(Map<String, Long> counts, Map<String, Map<String, Long>> quarantine, Map<Integer, Long> lags,
                  Map<String, String> definitions) {}

    Totals totals(Dataset<Row> plan) {
        List<Column> aggs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        columns.forEach((k, v) -> {
            names.add("c:" + k);
            aggs.add(v);
        });
        quarantineColumns.forEach((table, reasons) -> reasons.forEach((reason, v) -> {
            names.add("q:" + table + "\u0000" + reason);
            aggs.add(v);
        }));
        for (int lag = 0; lag <= MAX_LAG; lag++) {
            names.add("l:" + lag);
            aggs.add(count(col(BOOKED_EVIDENCE).and(col(LAG_DAYS).equalTo(lit((long) lag)))));
        }
        names.add("l:over");
        aggs.add(count(col(BOOKED_EVIDENCE).and(col(LAG_DAYS).gt(lit((long) MAX_LAG)))));
        Row row = plan.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();

        Map<String, Long> counts = new TreeMap<>();
        Map<String, Map<String, Long>> quarantine = new TreeMap<>();
        Map<Integer, Long> lags = new TreeMap<>();
        for (CanonicalTable t : CanonicalTable.values()) {
            quarantine.put(t.tableName(), new TreeMap<>());
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long value = row.isNullAt(i) ? 0L : row.getLong(i);
            if (name.startsWith("c:")) {
                counts.put(name.substring(2), value);
            } else if (name.startsWith("q:")) {
                String[] parts = name.substring(2).split("\u0000");
                quarantine.get(parts[0]).put(parts[1], value);
            } else if (name.equals("l:over")) {
                if (value != 0) {
                    throw new IllegalStateException("Booking lag above " + MAX_LAG + " days: " + value);
                }
            } else if (value != 0) {
                lags.put(Integer.parseInt(name.substring(2)), value);
            }
        }
        addStandAloneRows(counts, quarantine);
        return new Totals(counts, quarantine, lags, definitions);
    }

    /** entered(k) / skipped(k) per cohort month: sums of the furthest stage and omission flags. */
    List<Manifest.FunnelCut> funnel(Dataset<Row> plan) {
        Column month = date_format(Tables.date(floor(col(T_CREATED).divide(lit(DAY)))), "yyyy-MM");
        List<Column> aggs = new ArrayList<>();
        for (int k = 0; k < STAGES.length; k++) {
            aggs.add(count(col(F).geq(lit(k))));
            aggs.add(count(skipped(k)));
        }
        List<Row> rows = Tables.rowsWhere(plan, cohort()).groupBy(month.as("month"))
                .agg(count(lit(true)), aggs.toArray(Column[]::new)).orderBy("month").collectAsList();
        List<Manifest.FunnelCut> cuts = new ArrayList<>();
        long[] total = new long[1 + 2 * STAGES.length];
        List<Manifest.FunnelCut> months = new ArrayList<>();
        for (Row r : rows) {
            long[] v = new long[total.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.getLong(i + 1);
                total[i] += v[i];
            }
            months.add(cut("cohort_month", r.getString(0), v));
        }
        cuts.add(cut("all", "*", total));
        cuts.addAll(months);
        return cuts;
    }

    private static Manifest.FunnelCut cut(String dimension, String value, long[] v) {
        List<Manifest.FunnelStage> stages = new ArrayList<>();
        for (int k = 0; k < STAGES.length; k++) {
            stages.add(new Manifest.FunnelStage(STAGES[k], v[1 + 2 * k], v[2 + 2 * k]));
        }
        return new Manifest.FunnelCut(dimension, value, v[0], stages);
    }

    /** Reached stage k with its evidence omitted on purpose (the furthest stage always has evidence). */
    private static Column skipped(int k) {
        return switch (k) {
            case MQL -> col(OMIT_MQL);
            case ASSIGNED -> col(OMIT_ASSIGNED);
            case WORKED -> col(OMIT_WORKED);
            case SAL -> col(OMIT_SAL);
            default -> lit(false);
        };
    }

    private static Column count(Column condition) {
        return sum(when(condition, lit(1L)).otherwise(lit(0L)));
    }

    private static Column kindIs(LeadKind kind) {
        return col(KIND).equalTo(lit(kind.code));
    }

    private static Column cohort() {
        return kindIs(LeadKind.COHORT);
    }

    private void add(String key, Column condition, String definition) {
        if (columns.put(key, count(condition)) != null) {
            throw new IllegalStateException("Duplicate manifest count " + key);
        }
        perRow.put(key, when(condition, lit(1L)).otherwise(lit(0L)));
        definitions.put(key, definition);
    }

    private void quarantine(CanonicalTable table, String reason, Column rows) {
        quarantineColumns.computeIfAbsent(table.tableName(), t -> new LinkedHashMap<>()).put(reason, rows);
    }

    private void define() {
        Column cohort = cohort();
        Column f = col(F);
        Column cutoff = lit(cal.cutoff());
        definitions.put("tables.<table>", "rows and part files written to OUT/<table>/ (rows_read of a run)");
        definitions.put("quarantine.<table>.<reason>", "rows of <table> the input contract must quarantine: "
                + "null_required.<column> = that required column is null; duplicate_key = every row sharing a key "
                + "with conflicting values (all copies, none is kept); rows_accepted = rows - sum of reasons");
        definitions.put("funnel", "cohort = leads not deleted, not quarantined, asOf-" + cal.lookbackDays()
                + "d 00:00 UTC <= created_at < asOf+1d 00:00 UTC; entered(k) = cohort leads that reached k (evidence "
                + "of k or a later stage, events before asOf+1d only); skipped(k) = reached k without evidence of k; "
                + "cut all/* then one cut per cohort_month (yyyy-MM of created_at)");
        definitions.put("bookingLagDays", "lag in days -> won opportunities (close_date <= asOf) whose first booking "
                + "with amount > 0, linked by opportunity_id or matched by the fallback rule (same account and amount, "
                + "within 30 days), is dated <= asOf; lag = booking_date - close_date");

        add("leads.cohort", cohort, "leads in the funnel cohort (= funnel all/* cohortLeads)");
        add("leads.deleted", kindIs(LeadKind.DELETED), "lead rows with is_deleted = true (created inside the window)");
        add("leads.pre_window", kindIs(LeadKind.PRE_WINDOW),
                "valid leads created 1-120 days before the window start; never converted");
        add("leads.created_after_as_of", kindIs(LeadKind.CREATED_AFTER_AS_OF),
                "valid leads with created_at >= asOf+1d 00:00 UTC (not yet captured for the run)");
        add("leads.quarantine_bound", kindIs(LeadKind.NULL_LEAD_ID).or(kindIs(LeadKind.NULL_CREATED_AT))
                .or(kindIs(LeadKind.DUPLICATE_KEY)), "generated leads whose row(s) the contract quarantines "
                + "(null lead_id, null created_at, or a lead_id written twice with conflicting values)");
        add("leads.duplicate_key_ids", kindIs(LeadKind.DUPLICATE_KEY),
                "lead_ids written twice (second row: status Recycled, company_size + 7)");

        // marketing_to_sales: entered = reached MQL.
        String m2s = "handoff.marketing_to_sales.";
        Column enteredM2s = cohort.and(f.geq(lit(MQL)));
        add(m2s + "entered", enteredM2s, "cohort leads that reached MQL (= funnel entered(MQL))");
        Column anyGap = lit(false);
        for (String field : LeadPlan.GAP_RATES.keySet()) {
            Column gap = col(MISSING_PREFIX + field);
            anyGap = anyGap.or(gap);
            add(m2s + "missing." + field, enteredM2s.and(gap), "entered leads with " + field + " null or blank"
                    + (field.equals("campaign_id") ? " (all outbound leads, plus planted gaps on inbound ones)" : ""));
        }
        add(m2s + "missing_any", enteredM2s.and(anyGap), "entered leads with at least one required field null/blank");
        add(m2s + "missing_blank", enteredM2s.and(col(BLANK_ANY)),
                "entered leads with at least one required string field written blank ('  ' or '') instead of null");
        Column mqlInstant = cohort.and(f.geq(lit(MQL))).and(not(col(OMIT_MQL)));
        Column touched = col(TOUCH_EVIDENCE);
        Column elapsed = col(T_MQL).plus(lit(24 * HOUR)).lt(cutoff);
        add(m2s + "mql_instant", mqlInstant, "cohort leads with an MQL instant before asOf+1d (mql_at, or a "
                + "lead_status_history MQL status when mql_at is null) = sla_met + sla_breached + untouched_*");
        add(m2s + "sla_not_measurable", enteredM2s.and(col(OMIT_MQL)),
                "entered leads without any MQL instant (outbound, or MQL evidence omitted): no SLA clock");
        add(m2s + "sla_met", mqlInstant.and(touched).and(not(col(SLA_BREACH))), "MQL instant and a first sales "
                + "touch before asOf+1d (first_touch_at, else first activity by an SDR/AE/MANAGER) within 24h of it");
        add(m2s + "sla_breached", mqlInstant.and(touched).and(col(SLA_BREACH)),
                "as sla_met but the first touch came 25-120h after the MQL instant");
        add(m2s + "untouched_sla_elapsed", mqlInstant.and(not(touched)).and(elapsed),
                "MQL instant, no first sales touch before asOf+1d, and MQL instant + 24h < asOf+1d 00:00 UTC");
        add(m2s + "untouched_sla_pending", mqlInstant.and(not(touched)).and(not(elapsed)),
                "MQL instant, no first sales touch before asOf+1d, MQL instant + 24h >= asOf+1d (SLA not yet due)");
        for (int c = 0; c < Reasons.CATEGORIES.length; c++) {
            add(m2s + "rejected." + Reasons.CATEGORIES[c],
                    cohort.and(col(REJECTED)).and(col(REJECTION_CATEGORY).equalTo(lit(c))),
                    "cohort leads with rejected_at < asOf+1d whose rejection_reason is "
                            + reasonMeaning(c));
        }

        // sdr_to_ae: entered = reached SAL; the opportunity is the one converted from the lead.
        String s2a = "handoff.sdr_to_ae.";
        Column accepted = cohort.and(col(O_ACCEPTED_AT).isNotNull());
        Column visibleOpp = col(HAS_OPP).and(not(col(FUTURE_CONVERSION))).and(not(col(UNDONE)));
        add(s2a + "entered", cohort.and(f.geq(lit(SAL))), "cohort leads that reached SAL (= funnel entered(SAL))");
        add(s2a + "opportunity_within_5_days", accepted.and(f.geq(lit(OPPORTUNITY))).and(not(col(LATE_CONVERSION))),
                "leads with accepted_at whose opportunity was created (before asOf+1d) at most 4.5 days after it");
        add(s2a + "opportunity_after_5_days", accepted.and(f.geq(lit(OPPORTUNITY))).and(col(LATE_CONVERSION)),
                "leads with accepted_at whose opportunity was created (before asOf+1d) 6-25 days after it");
        Column noOpp = accepted.and(f.equalTo(lit(SAL)));
        Column salElapsed = col(T_SAL).plus(lit(5 * DAY)).lt(cutoff);
        add(s2a + "no_opportunity_sla_elapsed", noOpp.and(salElapsed), "leads with accepted_at and no (visible, "
                + "not deleted) opportunity by asOf+1d, accepted_at + 5d < asOf+1d 00:00 UTC");
        add(s2a + "no_opportunity_sla_pending", noOpp.and(not(salElapsed)),
                "as no_opportunity_sla_elapsed but accepted_at + 5d >= asOf+1d");
        add(s2a + "opportunities", visibleOpp, "opportunities converted from cohort leads, created before asOf+1d, "
                + "not deleted (every such opportunity has a cohort lead)");
        add(s2a + "opportunity_missing.amount", visibleOpp.and(col(MISSING_OPP_AMOUNT)),
                "of those, amount null (open opportunities only)");
        add(s2a + "opportunity_missing.close_date", visibleOpp.and(col(MISSING_OPP_CLOSE)),
                "of those, close_date null (open opportunities only)");
        add(s2a + "opportunity_missing.lead_source", visibleOpp.and(col(LINKAGE_LOST)
                .or(col(MISSING_PREFIX + "lead_source"))), "of those, lead_source null or blank "
                + "(linkage lost, or the lead's own lead_source gap carried over)");
        add(s2a + "opportunity_missing.campaign_id", visibleOpp.and(col(LINKAGE_LOST).or(not(col(LEAD_HAS_CAMPAIGN)))),
                "of those, campaign_id null or blank (outbound lead, lead's campaign gap, or linkage lost)");
        add(s2a + "owner_not_ae", visibleOpp.and(col(OWNER_NOT_AE)),
                "of those, owner_id is an SDR user (receiving owner not of the AE role)");
        for (int c = 0; c < Reasons.CATEGORIES.length; c++) {
            add(s2a + "lost." + Reasons.CATEGORIES[c], col(LOST).and(col(LOSS_CATEGORY).equalTo(lit(c))),
                    "closed lost opportunities (close_date <= asOf) whose loss_reason is " + reasonMeaning(c));
        }

        String s2f = "handoff.sales_to_finance.";
        add(s2f + "entered", col(WON_AS_OF), "won opportunities with close_date <= asOf (= funnel entered(WON))");
        add(s2f + "missing.currency_code", col(MISSING_OPP_CURRENCY),
                "won opportunities with currency_code null (amount is in USD; booking is in USD, MATCHED)");
        add(s2f + "missing.account_id", col(MISSING_OPP_ACCOUNT),
                "won opportunities with account_id null (booking linked by opportunity_id, MATCHED)");
        add(s2f + "booking_within_5_days", col(BOOKED_EVIDENCE).and(col(LAG_DAYS).leq(lit(5L))),
                "won opportunities whose first positive booking (<= asOf), linked or fallback-matched, is 0-5 days "
                        + "after close_date (sla_status MET)");
        add(s2f + "booking_after_5_days", col(BOOKED_EVIDENCE).and(col(LAG_DAYS).gt(lit(5L))),
                "won opportunities whose first positive booking (<= asOf), linked or fallback-matched, is more than "
                        + "5 days after close_date (sla_status BREACHED)");

        add("capture.opportunities_with_lead_campaign", visibleOpp.and(col(LEAD_HAS_CAMPAIGN)),
                "visible opportunities (see sdr_to_ae.opportunities) whose lead has a non-blank campaign_id");
        add("capture.linkage_lost", visibleOpp.and(col(LINKAGE_LOST)), "of those, the opportunity has campaign_id "
                + "null and lead_source null although its lead has both");
        add("capture.linkage_lost_logged", col(LINKAGE_OVERRIDE_ROW), "of linkage_lost, those with a field_history "
                + "campaign_id row (old = lead campaign, new null) by a RevOps user");

        add("stage.opportunity_backward_move", col(BACKWARD), "opportunities whose opportunity_history goes from "
                + "stage j back to stage j-2 (then forward to j again); also a stage_name field_history row");
        add("stage.opportunity_reopened_after_close", col(REOPENED), "closed opportunities whose history goes "
                + "Closed Won/Lost -> an open stage -> the same closed stage again; also a stage_name field_history row");
        add("stage.unmapped.opportunity_current_stage", col(VERBAL_OPEN),
                "open opportunities whose current stage_name is '" + Labels.UNMAPPED_STAGE + "'");
        add("stage.unmapped.opportunity_history_rows", col(VERBAL_OPEN).or(col(VERBAL_WON)), "opportunity_history "
                + "rows with '" + Labels.UNMAPPED_STAGE + "' (one per opportunity: open ones, and won ones just "
                + "before Closed Won)");
        add("stage.unmapped.lead_status_current", col(STALLED),
                "lead rows whose status is '" + Labels.UNMAPPED_STATUS + "' (all kinds)");
        add("stage.unmapped.lead_status_history_rows", col(STALLED),
                "lead_status_history rows with status '" + Labels.UNMAPPED_STATUS + "'");
        add("stage.unmapped.rejection_reason", col(REJECTED).and(col(REJECTION_CATEGORY).equalTo(lit(Reasons.UNMAPPED))),
                "lead rows (all kinds) with rejection_reason '" + Labels.UNMAPPED_REASON + "'");
        add("stage.unmapped.loss_reason", col(LOST).and(col(LOSS_CATEGORY).equalTo(lit(Reasons.UNMAPPED))),
                "opportunities with loss_reason '" + Labels.UNMAPPED_REASON + "'");

        add("owner.opportunity_reowned_after_handoff", col(REOWNED), "opportunities whose owner_id changed from one "
                + "AE to another 1-21 days after creation (field_history owner_id row by a manager)");
        add("owner.opportunity_reowned_with_reason", col(REOWNED).and(col(R_REOWNED)),
                "of those, the field_history row has a change_reason");

        String fh = "field_history.";
        Column[][] manual = {
            {col(SOURCE_OVERRIDE), col(R_SOURCE)}, {col(REOWNED), col(R_REOWNED)},
            {col(AMOUNT_OVERRIDE), col(R_AMOUNT)}, {col(CLOSE_OVERRIDE), col(R_CLOSE)},
            {col(BACKWARD), col(R_BACKWARD)}, {col(REOPENED), col(R_REOPENED)},
            {col(LINKAGE_OVERRIDE_ROW), col(R_LINKAGE)}};
        String[] fields = {"lead_source", "owner_id", "amount", "close_date", "stage_name", "stage_name", "campaign_id"};
        Map<String, Column> perField = new LinkedHashMap<>();
        Column withReason = lit(0L);
        Column withoutReason = lit(0L);
        for (int i = 0; i < manual.length; i++) {
            Column row = when(manual[i][0], lit(1L)).otherwise(lit(0L));
            perField.merge(fields[i], row, Column::plus);
            withReason = withReason.plus(when(manual[i][0].and(manual[i][1]), lit(1L)).otherwise(lit(0L)));
            withoutReason = withoutReason.plus(when(manual[i][0].and(not(manual[i][1])), lit(1L)).otherwise(lit(0L)));
        }
        for (Map.Entry<String, Column> e : perField.entrySet()) {
            addSum(fh + "manual." + e.getKey(), e.getValue(), "field_history rows changing " + e.getKey()
                    + " by a person (not a SYSTEM user)");
        }
        addSum(fh + "manual_with_reason", withReason, "manual (non-SYSTEM changed_by) rows with a change_reason");
        addSum(fh + "manual_without_reason", withoutReason, "manual rows with change_reason null");
        add(fh + "system_rows", col(SYSTEM_ASSIGNMENT_ROW), "valid rows by SYSTEM users (lead owner_id assignment "
                + "at assigned_at); some carry change_reason '" + CrmTables.CHANGE_REASON_ASSIGNMENT + "'");

        for (ReconCase c : ReconCase.values()) {
            if (c != ReconCase.NONE) {
                add("recon." + c.name(), col(RECON).equalTo(lit(c.code)), reconMeaning(c));
            }
        }
        add("recon.won_opportunities", col(WON_AS_OF), "won opportunities with close_date <= asOf; each is in "
                + "exactly one recon.* case above");
        add("bookings.currency_without_fx_rate", col(RECON).equalTo(lit(ReconCase.CURRENCY_UNRESOLVED.code)),
                "booking rows in " + FinanceTables.UNRESOLVED_CURRENCY + ", which has no fx_rates row");
        add("bookings.reversal_rows", col(RECON).equalTo(lit(ReconCase.REVERSED.code)),
                "booking rows with a negative amount and status 'reversed'");

        add("future.first_touch_after_as_of", col(FUTURE_TOUCH), "cohort leads (furthest stage ASSIGNED) with "
                + "first_touch_at >= asOf+1d and no activity before it");
        add("future.converted_after_as_of", col(FUTURE_CONVERSION), "cohort leads (furthest stage SAL) with "
                + "converted_at >= asOf+1d; their open opportunity has created_at = converted_at");
        add("future.won_close_after_as_of", col(FUTURE_WON), "opportunities (furthest stage OPPORTUNITY) with "
                + "is_won = true and close_date > asOf; no booking");
        add("future.bookings_after_as_of", col(RECON).equalTo(lit(ReconCase.LAGGING.code))
                .and(col(BOOKING1_DAY).isNotNull()), "booking rows dated after asOf, each linked to a LAGGING "
                + "opportunity");

        String plant = "funnel.plant.";
        add(plant + "mql_from_status_history_only", cohort.and(col(MQL_FROM_HISTORY)),
                "cohort leads whose only MQL evidence is a lead_status_history MQL status (mql_at null)");
        add(plant + "outbound_without_mql", cohort.and(col(OUTBOUND)).and(col(OMIT_MQL)),
                "outbound cohort leads past MQL: no MQL evidence by nature (skipped MQL)");
        add(plant + "mql_missing", cohort.and(col(OMIT_MQL)).and(not(col(OUTBOUND))),
                "inbound cohort leads past MQL with no MQL evidence (skipped MQL)");
        add(plant + "assigned_missing", cohort.and(col(OMIT_ASSIGNED)),
                "cohort leads past ASSIGNED with assigned_at null (skipped ASSIGNED)");
        add(plant + "worked_from_activity_only", cohort.and(col(WORKED_FROM_ACTIVITY)),
                "cohort leads whose only WORKED evidence is an SDR activity (first_touch_at null)");
        add(plant + "worked_missing", cohort.and(col(OMIT_WORKED)), "cohort leads past WORKED with first_touch_at "
                + "null and no sales activity, maybe a MARKETING email (skipped WORKED)");
        add(plant + "sal_missing", cohort.and(col(OMIT_SAL)),
                "cohort leads past SAL with accepted_at null (skipped SAL)");
        add(plant + "opportunity_from_link_only", cohort.and(col(OPP_FROM_LINK)),
                "cohort leads whose OPPORTUNITY evidence is converted_opportunity_id only (converted_at null)");
        add(plant + "conversion_undone", col(UNDONE), "cohort leads (furthest stage SAL) with converted_at null "
                + "and converted_opportunity_id naming an opportunity with is_deleted = true");

        quarantine(CanonicalTable.LEADS, "null_required.lead_id", count(kindIs(LeadKind.NULL_LEAD_ID)));
        quarantine(CanonicalTable.LEADS, "null_required.created_at", count(kindIs(LeadKind.NULL_CREATED_AT)));
        quarantine(CanonicalTable.LEADS, "duplicate_key", count(kindIs(LeadKind.DUPLICATE_KEY)).multiply(lit(2L)));
        quarantine(CanonicalTable.LEAD_STATUS_HISTORY, "null_required.status", count(col(Q_STATUS_HISTORY_NULL_STATUS)));
        quarantine(CanonicalTable.LEAD_STATUS_HISTORY, "null_required.changed_at",
                count(col(Q_STATUS_HISTORY).and(not(col(Q_STATUS_HISTORY_NULL_STATUS)))));
        quarantine(CanonicalTable.ACTIVITIES, "null_required.activity_at", count(col(Q_ACTIVITY)));
        quarantine(CanonicalTable.FIELD_HISTORY, "null_required.changed_at", count(col(Q_FIELD_HISTORY)));
        quarantine(CanonicalTable.OPPORTUNITY_HISTORY, "null_required.stage_name", count(col(Q_OPP_HISTORY_NULL_STAGE)));
        quarantine(CanonicalTable.OPPORTUNITY_HISTORY, "null_required.changed_at",
                count(col(Q_OPP_HISTORY).and(not(col(Q_OPP_HISTORY_NULL_STAGE)))));
    }

    private void addSum(String key, Column value, String definition) {
        columns.put(key, sum(value));
        perRow.put(key, value);
        definitions.put(key, definition);
    }

    /**
     * The counts whose planted rate differs by channel ({@link ChannelRates}), once more per
     * channel, from the same per-row values; and each rate, stated. The split is by the channel the
     * audit sees, as a channel workflow selects its leads: that of the campaign named by the lead's
     * campaign_id, or {@code none} (outbound leads, and inbound leads with a planted campaign_id gap).
     */
    private void byChannel() {
        for (ChannelRates.Rate rate : ChannelRates.ALL) {
            definitions.put("planted." + rate.name(), rate.describe());
        }
        definitions.put(BY_CHANNEL + "<channel>.<count>", "the count <count> (defined above) restricted to leads, or "
                + "the opportunities, bookings and history rows of leads, whose campaign_id names a campaign of "
                + "channel <channel>; " + BY_CHANNEL + NONE + ".<count>: leads without a campaign_id (outbound, "
                + "or a planted gap). Given for the counts whose planted rates differ by channel (planted.*, drawn "
                + "by the lead's own channel)");
        List<String> names = new ArrayList<>(List.of(SampleDirectory.CHANNELS));
        List<Column> seen = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            seen.add(col(LEAD_HAS_CAMPAIGN).and(col(CHANNEL).equalTo(lit(c))));
        }
        names.add(NONE);
        seen.add(not(col(LEAD_HAS_CAMPAIGN)));
        split(BY_CHANNEL, names, seen, PER_CHANNEL);
    }

    /**
     * The booking-lag counts split by the segment the audit sees (leads.segment, or {@code none}
     * where a segment gap is planted), and each segment's planted lag, stated.
     */
    private void bySegment() {
        List<String> names = new ArrayList<>();
        List<Column> seen = new ArrayList<>();
        for (int g = 0; g < SegmentRates.SEGMENTS.size(); g++) {
            definitions.put("planted.booking_lag." + SegmentRates.SEGMENTS.get(g), SegmentRates.describeBookingLag(g));
            names.add(SegmentRates.SEGMENTS.get(g));
            seen.add(not(col(MISSING_PREFIX + "segment")).and(col(SEGMENT_LABEL).equalTo(lit(SegmentRates.SEGMENTS.get(g)))));
        }
        names.add(NONE);
        seen.add(col(MISSING_PREFIX + "segment"));
        definitions.put(BY_SEGMENT + "<segment>.<count>", "the count <count> (defined above) restricted to the "
                + "opportunities of leads whose segment is <segment>; " + BY_SEGMENT + NONE + ".<count>: leads "
                + "with segment null or blank. Given for the booking-lag counts (planted.booking_lag.*, drawn by the "
                + "lead's own segment)");
        split(BY_SEGMENT, names, seen, PER_SEGMENT);
    }

    private void split(String prefix, List<String> names, List<Column> seen, List<String> keys) {
        for (String key : keys) {
            Column value = perRow.get(key);
            if (value == null) {
                throw new IllegalStateException("No manifest count " + key + " to split by " + prefix);
            }
            for (int i = 0; i < names.size(); i++) {
                columns.put(prefix + names.get(i) + "." + key, sum(when(seen.get(i), value).otherwise(lit(0L))));
            }
        }
    }

    /** Rows generated outside the plan, counted by the same arithmetic that generates them. */
    private void addStandAloneRows(Map<String, Long> counts, Map<String, Map<String, Long>> quarantine) {
        long financeOnly = FinanceTables.financeOnly(spec.leads());
        counts.put("recon.FINANCE_ONLY", financeOnly);
        definitions.put("recon.FINANCE_ONLY", "booking rows with opportunity_id null and an account_id (AF...) no "
                + "opportunity has; dated within the window, <= asOf");
        counts.put("stage.unmapped.user_roles", (long) SampleDirectory.UNMAPPED);
        definitions.put("stage.unmapped.user_roles", "users whose role is '" + Labels.UNMAPPED_ROLE + "'");
        long opps = OpportunityTables.quarantineExtras(spec.leads());
        Map<String, Long> o = quarantine.get(CanonicalTable.OPPORTUNITIES.tableName());
        o.put("null_required.opportunity_id", residues(opps, 3, 0));
        o.put("null_required.created_at", residues(opps, 3, 1));
        o.put("duplicate_key", 2 * residues(opps, 3, 2));
        long bookings = FinanceTables.quarantineExtras(spec.leads());
        Map<String, Long> b = quarantine.get(CanonicalTable.BOOKINGS.tableName());
        b.put("null_required.booking_id", residues(bookings, 4, 0));
        b.put("null_required.booking_date", residues(bookings, 4, 1));
        b.put("null_required.amount", residues(bookings, 4, 2));
        b.put("duplicate_key", 2 * residues(bookings, 4, 3));
    }

    /** How many of 0..n-1 are congruent to r mod m. */
    private static long residues(long n, int m, int r) {
        return n / m + (n % m > r ? 1 : 0);
    }

    private static String reasonMeaning(int category) {
        return switch (category) {
            case Reasons.UNMAPPED -> "'" + Labels.UNMAPPED_REASON + "' (mapped nowhere)";
            case Reasons.NO_REASON -> "null";
            default -> "a label conf/local.yaml maps to category " + Reasons.CATEGORIES[category];
        };
    }

    private static String reconMeaning(ReconCase c) {
        return switch (c) {
            case MATCHED -> "won opportunities with one booking linked by opportunity_id: same amount and currency, "
                    + "same month, dated <= asOf";
            case MATCHED_FALLBACK -> "won opportunities with one booking, opportunity_id null, same account_id, amount"
                    + " and currency, same month, 0-30 days after close_date, <= asOf (matched_by = fallback)";
            case AMOUNT_MISMATCH -> "won opportunities with one linked booking, same month, amount 80-95% or 105-120%";
            case PERIOD_MISMATCH -> "won opportunities with one linked booking of the same amount dated 1-5 days into "
                    + "the month after close_date, <= asOf";
            case CURRENCY_UNRESOLVED -> "won opportunities in " + FinanceTables.UNRESOLVED_CURRENCY + " (no fx rate) "
                    + "with one linked " + FinanceTables.UNRESOLVED_CURRENCY + " booking on close_date";
            case LAGGING -> "won opportunities with close_date 0-3 days before asOf and no booking dated <= asOf "
                    + "(half have a linked booking dated after asOf)";
            case CRM_ONLY -> "won opportunities with close_date 8+ days before asOf and no booking at all";
            case DUPLICATE_BOOKING -> "won opportunities with two linked bookings of the full amount, same month";
            case REVERSED -> "won opportunities with a linked booking and a linked booking of minus the amount "
                    + "(status reversed) 1-10 days later, both <= asOf";
            case NONE -> throw new IllegalArgumentException("Invalid recon case: " + c);
        };
    }
}
