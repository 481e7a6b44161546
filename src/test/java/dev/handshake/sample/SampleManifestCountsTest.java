package dev.handshake.sample;

import static dev.handshake.sample.SampleQueries.count;
import static dev.handshake.sample.SampleQueries.normalized;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each planted count of the manifest against a plain query over the written tables (prefix c_),
 * written from the definitions rather than from the generator's code.
 */
class SampleManifestCountsTest {
    private static Manifest m;
    private static String cutoff;
    private static String day;
    private static String start;

    @BeforeAll
    static void register() {
        SampleFixture.Generated sample = SampleFixture.main();
        m = sample.manifest();
        LocalDate asOf = m.asOfDate();
        cutoff = "TIMESTAMP '" + asOf.plusDays(1) + " 00:00:00'";
        start = "TIMESTAMP '" + asOf.minusDays(365) + " 00:00:00'";
        day = "DATE '" + asOf + "'";
        SampleQueries.register(sample, "c");
        SampleQueries.registerEvidence("c", asOf);
        SparkSession spark = SampleQueries.spark();
        spark.sql("SELECT * FROM c_bookings WHERE booking_id IS NOT NULL AND booking_date IS NOT NULL AND amount IS NOT NULL "
                + "AND booking_id NOT IN (SELECT booking_id FROM c_bookings WHERE booking_id IS NOT NULL GROUP BY 1 "
                + "HAVING count(*) > 1)").createOrReplaceTempView("c_valid_bookings");
        spark.sql("SELECT * FROM c_valid_opps WHERE is_won AND close_date <= " + day).createOrReplaceTempView("c_won");
        spark.sql("SELECT o.*, r.target AS owner_role FROM c_valid_opps o LEFT JOIN c_users_labelled u "
                + "ON u.user_id = o.owner_id LEFT JOIN role_map r ON r.label = u.label WHERE o.created_at < " + cutoff)
                .createOrReplaceTempView("c_visible_opps");
        spark.table("c_field_history").withColumn("by_label", col("changed_by")).createOrReplaceTempView("c_fh");
        spark.sql("SELECT f.*, r.target AS by_role FROM c_field_history f LEFT JOIN c_users_labelled u "
                + "ON u.user_id = f.changed_by LEFT JOIN role_map r ON r.label = u.label")
                .createOrReplaceTempView("c_fh_roles");
    }

    @Test
    void leadKindsAndEventsAfterAsOf() {
        assertEquals(m.count("leads.deleted"), count("SELECT count(*) FROM c_leads WHERE is_deleted"));
        assertEquals(m.count("leads.cohort"), count("SELECT count(*) FROM c_cohort"));
        assertEquals(m.count("leads.pre_window"),
                count("SELECT count(*) FROM c_valid_leads WHERE NOT is_deleted AND created_at < " + start));
        assertEquals(m.count("leads.created_after_as_of"),
                count("SELECT count(*) FROM c_valid_leads WHERE NOT is_deleted AND created_at >= " + cutoff));
        assertEquals(m.count("future.first_touch_after_as_of"),
                count("SELECT count(*) FROM c_cohort WHERE first_touch_at >= " + cutoff));
        assertEquals(m.count("future.converted_after_as_of"),
                count("SELECT count(*) FROM c_cohort WHERE converted_at >= " + cutoff));
        assertEquals(m.count("future.converted_after_as_of"),
                count("SELECT count(*) FROM c_valid_opps WHERE created_at >= " + cutoff));
        assertEquals(m.count("future.won_close_after_as_of"),
                count("SELECT count(*) FROM c_valid_opps WHERE is_won AND close_date > " + day));
        assertEquals(m.count("future.bookings_after_as_of"),
                count("SELECT count(*) FROM c_valid_bookings WHERE booking_date > " + day));
        assertTrue(m.count("future.first_touch_after_as_of") + m.count("future.converted_after_as_of") > 0);
    }

    @Test
    void unmappedLabelsAreExactlyThePlantedOnes() {
        assertEquals(m.count("stage.unmapped.lead_status_current"),
                count("SELECT count(*) FROM c_leads WHERE status = 'Stalled'"));
        assertEquals(m.count("stage.unmapped.lead_status_history_rows"),
                count("SELECT count(*) FROM c_lead_status_history WHERE status = 'Stalled'"));
        assertEquals(m.count("stage.unmapped.opportunity_current_stage"),
                count("SELECT count(*) FROM c_opportunities WHERE stage_name = 'Verbal Commit'"));
        assertEquals(m.count("stage.unmapped.opportunity_history_rows"),
                count("SELECT count(*) FROM c_opportunity_history WHERE stage_name = 'Verbal Commit'"));
        assertEquals(m.count("stage.unmapped.rejection_reason"),
                count("SELECT count(*) FROM c_leads WHERE rejection_reason = 'Other - see notes'"));
        assertEquals(m.count("stage.unmapped.loss_reason"),
                count("SELECT count(*) FROM c_opportunities WHERE loss_reason = 'Other - see notes'"));
        assertEquals(m.count("stage.unmapped.user_roles"),
                count("SELECT count(*) FROM c_users_labelled u LEFT ANTI JOIN role_map r ON r.label = u.label"));
        // Every other status (however cased or spaced) is one the configuration maps.
        Dataset<Row> statuses = SampleQueries.spark().table("c_leads").filter(col("status").isNotNull())
                .withColumn("label", normalized(col("status")));
        long unmapped = statuses.join(SampleQueries.spark().table("status_map"), statuses.col("label")
                .equalTo(col("status_map.label")), "left_anti").count();
        assertEquals(m.count("stage.unmapped.lead_status_current"), unmapped);
    }

    @Test
    void reconciliationCasesPartitionTheWonOpportunities() {
        registerWonBookings();
        SparkSession spark = SampleQueries.spark();
        spark.sql("SELECT DISTINCT w.opportunity_id FROM c_won w JOIN c_valid_bookings b ON b.opportunity_id IS NULL "
                + "AND b.account_id = w.account_id AND b.amount = w.amount "
                + "AND abs(datediff(b.booking_date, w.close_date)) <= 30").createOrReplaceTempView("c_fallback");
        String single = "NOT no_fx AND neg = 0 AND pos = 1";
        String none = "NOT no_fx AND pos = 0 AND neg = 0";
        String noFallback = "opportunity_id NOT IN (SELECT opportunity_id FROM c_fallback)";
        Map<String, Long> actual = new TreeMap<>();
        actual.put("CURRENCY_UNRESOLVED", count("SELECT count(*) FROM c_won_bookings WHERE no_fx"));
        actual.put("REVERSED", count("SELECT count(*) FROM c_won_bookings WHERE NOT no_fx AND neg > 0"));
        actual.put("DUPLICATE_BOOKING", count("SELECT count(*) FROM c_won_bookings WHERE NOT no_fx AND neg = 0 AND pos > 1"));
        actual.put("AMOUNT_MISMATCH", count("SELECT count(*) FROM c_won_bookings WHERE " + single + " AND b_amount <> amount"));
        actual.put("PERIOD_MISMATCH", count("SELECT count(*) FROM c_won_bookings WHERE " + single
                + " AND b_amount = amount AND date_format(b_date, 'yyyy-MM') <> date_format(close_date, 'yyyy-MM')"));
        actual.put("MATCHED", count("SELECT count(*) FROM c_won_bookings WHERE " + single
                + " AND b_amount = amount AND date_format(b_date, 'yyyy-MM') = date_format(close_date, 'yyyy-MM')"));
        actual.put("MATCHED_FALLBACK", count("SELECT count(*) FROM c_won_bookings WHERE " + none + " AND NOT "
                + noFallback));
        actual.put("LAGGING", count("SELECT count(*) FROM c_won_bookings WHERE " + none + " AND " + noFallback
                + " AND close_date >= date_sub(" + day + ", 3)"));
        actual.put("CRM_ONLY", count("SELECT count(*) FROM c_won_bookings WHERE " + none + " AND " + noFallback
                + " AND close_date < date_sub(" + day + ", 3)"));
        actual.put("FINANCE_ONLY", count("SELECT count(*) FROM c_valid_bookings WHERE opportunity_id IS NULL "
                + "AND account_id NOT IN (SELECT account_id FROM c_opportunities WHERE account_id IS NOT NULL)"));
        Map<String, Long> expected = new TreeMap<>();
        actual.keySet().forEach(k -> expected.put(k, m.count("recon." + k)));
        assertEquals(expected, actual);
        long won = count("SELECT count(*) FROM c_won");
        assertEquals(m.count("recon.won_opportunities"), won);
        assertEquals(won, actual.values().stream().mapToLong(Long::longValue).sum() - actual.get("FINANCE_ONLY"));
        assertEquals(m.count("bookings.currency_without_fx_rate"), count("SELECT count(*) FROM c_valid_bookings b "
                + "LEFT ANTI JOIN (SELECT DISTINCT currency_code FROM c_fx_rates) f ON f.currency_code = b.currency_code"));
        assertEquals(m.count("bookings.reversal_rows"), count("SELECT count(*) FROM c_valid_bookings WHERE amount < 0"));
        assertEquals(m.count("handoff.sales_to_finance.entered"), count("SELECT count(*) FROM c_evidence WHERE reached >= 6"));
    }

    @Test
    void bookingLagsAreDaysFromCloseToTheFirstLinkedOrFallbackMatchedBooking() {
        Map<Integer, Long> lags = new TreeMap<>();
        // A fallback-matched win has no linked booking: its lag is to the unlinked booking matched to it.
        for (Row r : SampleQueries.spark().sql("SELECT lag, count(*) FROM (SELECT datediff(min(b.booking_date), "
                + "w.close_date) AS lag FROM c_won w JOIN c_valid_bookings b ON b.opportunity_id = w.opportunity_id "
                + "AND b.amount > 0 AND b.booking_date <= DATE '" + m.asOf() + "' GROUP BY w.opportunity_id, "
                + "w.close_date UNION ALL SELECT datediff(b.booking_date, w.close_date) "
                + "FROM c_won w JOIN c_valid_bookings b ON b.opportunity_id IS NULL AND b.account_id = w.account_id "
                + "AND b.amount = w.amount AND b.amount > 0 AND b.booking_date <= DATE '" + m.asOf() + "' "
                + "AND abs(datediff(b.booking_date, w.close_date)) <= 30) GROUP BY 1").collectAsList()) {
            lags.put(r.getInt(0), r.getLong(1));
        }
        assertEquals(m.bookingLagDays(), lags);
        long late = lags.entrySet().stream().filter(e -> e.getKey() > 5).mapToLong(Map.Entry::getValue).sum();
        assertEquals(m.count("handoff.sales_to_finance.booking_after_5_days"), late);
        assertTrue(late > 0, "the lag tail is planted");
    }

    @Test
    void marketingToSalesGapsSlaAndRejections() {
        String entered = "SELECT l.* FROM c_cohort l JOIN c_evidence e ON e.lead_id = l.lead_id WHERE e.reached >= 1";
        SampleQueries.spark().sql(entered).createOrReplaceTempView("c_m2s");
        String p = "handoff.marketing_to_sales.";
        assertEquals(m.count(p + "entered"), count("SELECT count(*) FROM c_m2s"));
        StringBuilder any = new StringBuilder("false");
        for (String field : new String[] {"company", "segment", "company_size", "country", "use_case", "contact_role",
                "consent_status", "lead_source", "campaign_id"}) {
            String missing = field.equals("company_size") ? field + " IS NULL"
                    : "(" + field + " IS NULL OR trim(" + field + ") = '')";
            assertEquals(m.count(p + "missing." + field), count("SELECT count(*) FROM c_m2s WHERE " + missing), field);
            any.append(" OR ").append(missing);
        }
        assertEquals(m.count(p + "missing_any"), count("SELECT count(*) FROM c_m2s WHERE " + any));

        String clock = "SELECT unix_seconds(mi.t) AS mql, unix_seconds(ft.t) AS touch FROM c_mql_instant mi "
                + "JOIN c_first_touch ft ON ft.lead_id = mi.lead_id WHERE mi.t IS NOT NULL";
        SampleQueries.spark().sql(clock).createOrReplaceTempView("c_clock");
        String due = "unix_seconds(" + cutoff + ")";
        assertEquals(m.count(p + "mql_instant"), count("SELECT count(*) FROM c_clock"));
        assertEquals(m.count(p + "sla_met"), count("SELECT count(*) FROM c_clock WHERE touch - mql <= 86400"));
        assertEquals(m.count(p + "sla_breached"), count("SELECT count(*) FROM c_clock WHERE touch - mql > 86400"));
        assertEquals(m.count(p + "untouched_sla_elapsed"),
                count("SELECT count(*) FROM c_clock WHERE touch IS NULL AND mql + 86400 < " + due));
        assertEquals(m.count(p + "untouched_sla_pending"),
                count("SELECT count(*) FROM c_clock WHERE touch IS NULL AND mql + 86400 >= " + due));

        Map<String, Long> expected = new TreeMap<>();
        Map<String, Long> actual = new TreeMap<>();
        for (String category : Reasons.CATEGORIES) {
            expected.put(category, m.count(p + "rejected." + category));
            actual.put(category, 0L);
        }
        Dataset<Row> rejected = SampleQueries.spark().sql("SELECT rejection_reason FROM c_cohort WHERE rejected_at < "
                + cutoff).withColumn("label", normalized(col("rejection_reason")));
        rejected.createOrReplaceTempView("c_rejected");
        for (Row r : SampleQueries.spark().sql("SELECT CASE WHEN x.rejection_reason IS NULL THEN 'no_reason' "
                + "ELSE coalesce(r.target, 'unmapped') END, count(*) FROM c_rejected x LEFT JOIN reason_map r "
                + "ON r.label = x.label GROUP BY 1").collectAsList()) {
            actual.put(r.getString(0), r.getLong(1));
        }
        assertEquals(expected, actual);
    }

    @Test
    void sdrToAeTimingOwnersAndGaps() {
        String p = "handoff.sdr_to_ae.";
        assertEquals(m.count(p + "entered"), count("SELECT count(*) FROM c_evidence WHERE reached >= 4"));
        SampleQueries.spark().sql("SELECT l.accepted_at, o.created_at AS opp_at FROM c_cohort l LEFT JOIN c_visible_opps o "
                + "ON o.opportunity_id = l.converted_opportunity_id WHERE l.accepted_at < " + cutoff)
                .createOrReplaceTempView("c_accepted");
        assertEquals(m.count(p + "opportunity_within_5_days"), count("SELECT count(*) FROM c_accepted "
                + "WHERE unix_seconds(opp_at) - unix_seconds(accepted_at) <= 5 * 86400"));
        assertEquals(m.count(p + "opportunity_after_5_days"), count("SELECT count(*) FROM c_accepted "
                + "WHERE unix_seconds(opp_at) - unix_seconds(accepted_at) > 5 * 86400"));
        assertEquals(m.count(p + "no_opportunity_sla_elapsed"), count("SELECT count(*) FROM c_accepted "
                + "WHERE opp_at IS NULL AND unix_seconds(accepted_at) + 5 * 86400 < unix_seconds(" + cutoff + ")"));
        assertEquals(m.count(p + "no_opportunity_sla_pending"), count("SELECT count(*) FROM c_accepted "
                + "WHERE opp_at IS NULL AND unix_seconds(accepted_at) + 5 * 86400 >= unix_seconds(" + cutoff + ")"));
        assertEquals(m.count(p + "opportunities"), count("SELECT count(*) FROM c_visible_opps"));
        assertEquals(m.count(p + "opportunities"), count("SELECT count(*) FROM c_visible_opps o JOIN c_cohort l "
                + "ON l.converted_opportunity_id = o.opportunity_id"));
        assertEquals(m.count(p + "owner_not_ae"), count("SELECT count(*) FROM c_visible_opps WHERE owner_role = 'SDR'"));
        assertEquals(0, count("SELECT count(*) FROM c_visible_opps WHERE owner_role NOT IN ('SDR', 'AE')"));
        assertEquals(m.count(p + "opportunity_missing.amount"),
                count("SELECT count(*) FROM c_visible_opps WHERE amount IS NULL"));
        assertEquals(m.count(p + "opportunity_missing.close_date"),
                count("SELECT count(*) FROM c_visible_opps WHERE close_date IS NULL"));
        assertEquals(m.count(p + "opportunity_missing.lead_source"),
                count("SELECT count(*) FROM c_visible_opps WHERE lead_source IS NULL OR trim(lead_source) = ''"));
        assertEquals(m.count(p + "opportunity_missing.campaign_id"),
                count("SELECT count(*) FROM c_visible_opps WHERE campaign_id IS NULL OR trim(campaign_id) = ''"));
        assertEquals(m.count("handoff.sales_to_finance.missing.currency_code"),
                count("SELECT count(*) FROM c_won WHERE currency_code IS NULL"));
        assertEquals(m.count("handoff.sales_to_finance.missing.account_id"),
                count("SELECT count(*) FROM c_won WHERE account_id IS NULL"));
        long lost = count("SELECT count(*) FROM c_visible_opps WHERE is_closed AND NOT is_won");
        long lostByCategory = 0;
        for (String category : Reasons.CATEGORIES) {
            lostByCategory += m.count(p + "lost." + category);
        }
        assertEquals(lost, lostByCategory);
        assertEquals(m.count(p + "lost.no_reason"),
                count("SELECT count(*) FROM c_visible_opps WHERE is_closed AND NOT is_won AND loss_reason IS NULL"));
    }

    @Test
    void captureLinkageLostBetweenLeadAndOpportunity() {
        String withCampaign = "SELECT o.* FROM c_visible_opps o JOIN c_cohort l ON l.converted_opportunity_id = "
                + "o.opportunity_id WHERE trim(l.campaign_id) <> ''";
        assertEquals(m.count("capture.opportunities_with_lead_campaign"), count("SELECT count(*) FROM (" + withCampaign + ")"));
        assertEquals(m.count("capture.linkage_lost"), count("SELECT count(*) FROM (" + withCampaign
                + ") WHERE campaign_id IS NULL AND lead_source IS NULL"));
        assertEquals(m.count("capture.linkage_lost_logged"), count("SELECT count(*) FROM c_fh_roles "
                + "WHERE object_type = 'opportunity' AND field = 'campaign_id' AND new_value IS NULL"));
    }

    @Test
    void stageMovesBackwardAndReopenedAfterClose() {
        registerStageMoves();
        assertEquals(m.count("stage.opportunity_backward_move"), count("SELECT count(DISTINCT opportunity_id) "
                + "FROM c_oh_moves WHERE pos > 0 AND prev_pos > 0 AND pos < prev_pos"));
        assertEquals(m.count("stage.opportunity_reopened_after_close"), count("SELECT count(DISTINCT opportunity_id) "
                + "FROM c_oh_moves WHERE pos > 0 AND closed_before = 1"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT opportunity_id, changed_at FROM c_oh "
                + "GROUP BY 1, 2 HAVING count(*) > 1)"), "stage steps of one opportunity never share an instant");
    }

    @Test
    void overridesOfGovernedFieldsWithAndWithoutReason() {
        String manual = "SELECT * FROM c_fh_roles WHERE changed_at IS NOT NULL AND by_role <> 'SYSTEM'";
        assertEquals(m.count("field_history.manual_with_reason"),
                count("SELECT count(*) FROM (" + manual + ") WHERE change_reason IS NOT NULL"));
        assertEquals(m.count("field_history.manual_without_reason"),
                count("SELECT count(*) FROM (" + manual + ") WHERE change_reason IS NULL"));
        assertEquals(m.count("field_history.system_rows"),
                count("SELECT count(*) FROM c_fh_roles WHERE changed_at IS NOT NULL AND by_role = 'SYSTEM'"));
        for (String field : new String[] {"owner_id", "lead_source", "campaign_id", "stage_name", "amount", "close_date"}) {
            assertEquals(m.count("field_history.manual." + field),
                    count("SELECT count(*) FROM (" + manual + ") WHERE field = '" + field + "'"), field);
        }
        assertEquals(m.count("owner.opportunity_reowned_after_handoff"), count("SELECT count(*) FROM (" + manual
                + ") WHERE object_type = 'opportunity' AND field = 'owner_id'"));
        assertEquals(m.count("owner.opportunity_reowned_with_reason"), count("SELECT count(*) FROM (" + manual
                + ") WHERE object_type = 'opportunity' AND field = 'owner_id' AND change_reason IS NOT NULL"));
        assertEquals(0, count("SELECT count(*) FROM c_fh_roles WHERE by_role IS NULL"), "every changer is a mapped user");
    }

    @Test
    void modeledBookingsDriftOnlyWherePlanted() {
        // The translation layer's own rule: won amounts by close month, raw currency, per lead segment and all.
        SampleQueries.spark().sql("SELECT date_format(w.close_date, 'yyyy-MM') AS period, l.segment, w.amount "
                + "FROM c_won w JOIN c_cohort l ON l.converted_opportunity_id = w.opportunity_id")
                .createOrReplaceTempView("c_won_seg");
        SampleQueries.spark().sql("SELECT period, segment, sum(amount) AS value FROM c_won_seg "
                + "WHERE segment IN ('SMB', 'MM', 'ENT') GROUP BY 1, 2 "
                + "UNION ALL SELECT period, NULL, sum(amount) FROM c_won_seg GROUP BY 1")
                .createOrReplaceTempView("c_recomputed");
        String joined = "SELECT m.value AS modeled, r.value AS recomputed FROM c_modeled_metrics m LEFT JOIN c_recomputed r "
                + "ON r.period = m.period AND r.segment <=> m.segment WHERE m.metric = 'bookings'";
        assertEquals(0, count("SELECT count(*) FROM (" + joined + ") WHERE recomputed IS NULL"));
        assertEquals(m.count("modeled.drifted_rows"),
                count("SELECT count(*) FROM (" + joined + ") WHERE modeled <> recomputed"));
        assertTrue(m.count("modeled.drifted_rows") >= 2, "two drift months, each with an all-segments row");
        assertEquals(0, count("SELECT count(*) FROM (" + joined + ") WHERE modeled <> recomputed "
                + "AND modeled <> round(recomputed * 1.04, 6)"), "drift is exactly the planted factor");
    }

    /**
     * The per-channel splits: each adds up to its count, and each channel's part is the same plain
     * query restricted to the leads whose campaign_id names a campaign of that channel (none: no
     * campaign_id). The planted differences show: partner deals are re-owned most, content and
     * events leads lose their campaign on conversion most, paid leads least of all.
     */
    @Test
    void countsSplitByTheChannelTheAuditSeesAddUpAndMatchTheTables() {
        SparkSession spark = SampleQueries.spark();
        registerWonBookings();
        registerStageMoves();
        spark.sql("SELECT l.lead_id, l.converted_opportunity_id, coalesce(c.channel, 'none') AS channel "
                + "FROM c_valid_leads l LEFT JOIN c_campaigns c ON c.campaign_id = l.campaign_id")
                .createOrReplaceTempView("c_lead_channel");
        spark.sql("SELECT converted_opportunity_id AS opportunity_id, channel FROM c_lead_channel "
                + "WHERE converted_opportunity_id IS NOT NULL").createOrReplaceTempView("c_opp_channel");
        spark.sql("SELECT f.*, coalesce(lc.channel, oc.channel) AS channel FROM c_fh_roles f "
                + "LEFT JOIN c_lead_channel lc ON f.object_type = 'lead' AND lc.lead_id = f.object_id "
                + "LEFT JOIN c_opp_channel oc ON f.object_type = 'opportunity' AND oc.opportunity_id = f.object_id "
                + "WHERE f.changed_at IS NOT NULL AND f.by_role <> 'SYSTEM'").createOrReplaceTempView("c_manual");
        String withCampaign = "SELECT oc.channel, o.* FROM c_visible_opps o JOIN c_cohort l "
                + "ON l.converted_opportunity_id = o.opportunity_id JOIN c_opp_channel oc "
                + "ON oc.opportunity_id = o.opportunity_id WHERE trim(l.campaign_id) <> ''";
        String visible = "SELECT oc.channel, o.* FROM c_visible_opps o JOIN c_opp_channel oc "
                + "ON oc.opportunity_id = o.opportunity_id";
        String moves = "SELECT DISTINCT oc.channel, m.opportunity_id FROM c_oh_moves m JOIN c_opp_channel oc "
                + "ON oc.opportunity_id = m.opportunity_id WHERE m.pos > 0 AND ";
        Map<String, String> queries = new TreeMap<>();
        queries.put("capture.opportunities_with_lead_campaign", withCampaign);
        queries.put("capture.linkage_lost", "SELECT * FROM (" + withCampaign + ") WHERE campaign_id IS NULL "
                + "AND lead_source IS NULL");
        queries.put("handoff.sdr_to_ae.opportunities", visible);
        queries.put("handoff.sdr_to_ae.owner_not_ae", "SELECT * FROM (" + visible + ") WHERE owner_role = 'SDR'");
        queries.put("owner.opportunity_reowned_after_handoff", "SELECT * FROM c_manual "
                + "WHERE object_type = 'opportunity' AND field = 'owner_id'");
        queries.put("owner.opportunity_reowned_with_reason", "SELECT * FROM c_manual "
                + "WHERE object_type = 'opportunity' AND field = 'owner_id' AND change_reason IS NOT NULL");
        queries.put("stage.opportunity_backward_move", moves + "m.prev_pos > 0 AND m.pos < m.prev_pos");
        queries.put("stage.opportunity_reopened_after_close", moves + "m.closed_before = 1");
        queries.put("stage.unmapped.opportunity_history_rows", "SELECT oc.channel FROM c_opportunity_history h "
                + "JOIN c_opp_channel oc ON oc.opportunity_id = h.opportunity_id WHERE h.stage_name = 'Verbal Commit'");
        queries.put("field_history.manual.lead_source", "SELECT * FROM c_manual WHERE field = 'lead_source'");
        queries.put("field_history.manual_with_reason", "SELECT * FROM c_manual WHERE change_reason IS NOT NULL");
        queries.put("field_history.manual_without_reason", "SELECT * FROM c_manual WHERE change_reason IS NULL");
        queries.put("recon.won_opportunities", "SELECT oc.channel FROM c_won w JOIN c_opp_channel oc "
                + "ON oc.opportunity_id = w.opportunity_id");
        queries.put("recon.AMOUNT_MISMATCH", "SELECT oc.channel FROM c_won_bookings w JOIN c_opp_channel oc "
                + "ON oc.opportunity_id = w.opportunity_id WHERE NOT no_fx AND neg = 0 AND pos = 1 AND b_amount <> amount");
        List<String> channels = List.of("paid_search", "paid_social", "events", "partner", "content", "none");
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Map<String, Long> expected = new TreeMap<>();
            Map<String, Long> actual = new TreeMap<>();
            long sum = 0;
            for (String c : channels) {
                long planted = m.count("by_channel." + c + "." + q.getKey());
                expected.put(c, planted);
                actual.put(c, 0L);
                sum += planted;
            }
            for (Row r : spark.sql("SELECT channel, count(*) FROM (" + q.getValue() + ") GROUP BY 1").collectAsList()) {
                actual.put(r.getString(0), r.getLong(1));
            }
            assertEquals(expected, actual, q.getKey());
            assertEquals(m.count(q.getKey()), sum, q.getKey() + " split adds up");
        }
        // The differences the rates plant, as shares of each channel's own opportunities.
        double partnerReowned = share("partner", "owner.opportunity_reowned_after_handoff", "handoff.sdr_to_ae.opportunities");
        double contentLost = share("content", "capture.linkage_lost", "capture.opportunities_with_lead_campaign");
        for (String paid : List.of("paid_search", "paid_social")) {
            assertTrue(partnerReowned > 2 * share(paid, "owner.opportunity_reowned_after_handoff",
                    "handoff.sdr_to_ae.opportunities"), paid + " re-owned");
            assertTrue(contentLost > 5 * share(paid, "capture.linkage_lost", "capture.opportunities_with_lead_campaign"),
                    paid + " linkage lost");
        }
        assertEquals(0, m.count("by_channel.partner.capture.linkage_lost"), "partner leads keep their campaign");
        assertTrue(m.definitions().containsKey("planted.linkage_lost"), "each rate is stated");
    }

    private static double share(String channel, String count, String base) {
        return (double) m.count("by_channel." + channel + "." + count) / m.count("by_channel." + channel + "." + base);
    }

    /**
     * The booking-lag SLA counts split by the lead's segment as written (none: null or blank): each
     * part is the first-booking lag query restricted to that segment, and the planted difference
     * shows: enterprise wins miss the 5-day booking SLA far more often than small-business wins.
     */
    @Test
    void bookingSlaCountsSplitBySegmentMatchTheTables() {
        SparkSession spark = SampleQueries.spark();
        String booked = "b.amount > 0 AND b.booking_date <= " + day;
        spark.sql("SELECT opportunity_id, min(lag) AS lag FROM (SELECT w.opportunity_id, "
                + "datediff(b.booking_date, w.close_date) AS lag FROM c_won w JOIN c_valid_bookings b "
                + "ON b.opportunity_id = w.opportunity_id AND " + booked + " UNION ALL SELECT w.opportunity_id, "
                + "datediff(b.booking_date, w.close_date) FROM c_won w JOIN c_valid_bookings b "
                + "ON b.opportunity_id IS NULL AND b.account_id = w.account_id AND b.amount = w.amount AND " + booked
                + " AND abs(datediff(b.booking_date, w.close_date)) <= 30) GROUP BY 1").createOrReplaceTempView("c_first_lag");
        spark.sql("SELECT CASE WHEN trim(l.segment) <> '' THEN l.segment ELSE 'none' END AS segment, f.lag "
                + "FROM c_first_lag f JOIN c_valid_leads l ON l.converted_opportunity_id = f.opportunity_id")
                .createOrReplaceTempView("c_lag_segment");
        List<String> segments = List.of("SMB", "MM", "ENT", "none");
        String p = "handoff.sales_to_finance.";
        Map<String, String> queries = Map.of(p + "booking_within_5_days", "lag <= 5", p + "booking_after_5_days", "lag > 5");
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Map<String, Long> expected = new TreeMap<>();
            Map<String, Long> actual = new TreeMap<>();
            long sum = 0;
            for (String g : segments) {
                long planted = m.count("by_segment." + g + "." + q.getKey());
                expected.put(g, planted);
                actual.put(g, 0L);
                sum += planted;
            }
            for (Row r : spark.sql("SELECT segment, count(*) FROM c_lag_segment WHERE " + q.getValue() + " GROUP BY 1")
                    .collectAsList()) {
                actual.put(r.getString(0), r.getLong(1));
            }
            assertEquals(expected, actual, q.getKey());
            assertEquals(m.count(q.getKey()), sum, q.getKey() + " split adds up");
        }
        assertTrue(lateShare("ENT") > 2 * lateShare("SMB"), "ENT " + lateShare("ENT") + " vs SMB " + lateShare("SMB"));
        assertTrue(m.definitions().containsKey("planted.booking_lag.ENT"), "each segment's lag is stated");
    }

    private static double lateShare(String segment) {
        String p = "by_segment." + segment + ".handoff.sales_to_finance.";
        long late = m.count(p + "booking_after_5_days");
        return (double) late / (late + m.count(p + "booking_within_5_days"));
    }

    /** Per won opportunity: its positive and negative bookings by asOf, the booked amount and date. */
    private static void registerWonBookings() {
        SampleQueries.spark().sql("SELECT w.opportunity_id, w.amount, w.currency_code, w.close_date, w.account_id, "
                + "w.currency_code IS NOT NULL AND w.currency_code NOT IN (SELECT currency_code FROM c_fx_rates) AS no_fx, "
                + "count_if(b.amount > 0 AND b.booking_date <= " + day + ") AS pos, count_if(b.amount < 0) AS neg, "
                + "max(CASE WHEN b.amount > 0 AND b.booking_date <= " + day + " THEN b.amount END) AS b_amount, "
                + "min(CASE WHEN b.amount > 0 AND b.booking_date <= " + day + " THEN b.booking_date END) AS b_date "
                + "FROM c_won w LEFT JOIN c_valid_bookings b ON b.opportunity_id = w.opportunity_id "
                + "GROUP BY 1, 2, 3, 4, 5").createOrReplaceTempView("c_won_bookings");
    }

    /** Opportunity history steps with the position of each open stage and whether it was closed before. */
    private static void registerStageMoves() {
        // Position of each open stage in the configured order; closed and unmapped stages have none.
        SampleQueries.spark().table("c_opportunity_history")
                .filter(col("stage_name").isNotNull().and(col("changed_at").isNotNull()))
                .withColumn("label", normalized(col("stage_name"))).createOrReplaceTempView("c_oh");
        SampleQueries.spark().sql("SELECT opportunity_id, changed_at, label, "
                + "array_position(array('prospecting', 'qualification', 'needs analysis', 'value proposition', "
                + "'proposal/price quote', 'negotiation/review'), label) AS pos, "
                + "label IN ('closed won', 'closed lost') AS closed FROM c_oh").createOrReplaceTempView("c_oh_pos");
        SampleQueries.spark().sql("SELECT *, lag(pos) OVER w AS prev_pos, "
                + "max(CAST(closed AS INT)) OVER (PARTITION BY opportunity_id ORDER BY changed_at "
                + "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS closed_before "
                + "FROM c_oh_pos WINDOW w AS (PARTITION BY opportunity_id ORDER BY changed_at)")
                .createOrReplaceTempView("c_oh_moves");
    }
}
