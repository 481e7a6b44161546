package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.ACTIVITIES;
import static dev.handshake.model.CanonicalTable.CAMPAIGNS;
import static dev.handshake.model.CanonicalTable.CAMPAIGN_TOUCHES;
import static dev.handshake.model.CanonicalTable.LEADS;
import static dev.handshake.model.CanonicalTable.LEAD_STATUS_HISTORY;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static dev.handshake.model.CanonicalTable.USERS;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.LabelMapping;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.ColumnSpec;
import dev.handshake.model.Stage;
import dev.handshake.source.AuditInputs;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each cohort lead with the instant of its evidence for every funnel stage (section 1), as of
 * the end of {@code as_of}. Shared by the funnel and the handoff audits so both count the same
 * leads at the same stages: {@link #reached} is the one rule for "the lead reached stage k", and
 * {@code evidence_<stage>} says when (null when it reached k only through a later stage).
 *
 * <p>{@code BOOKED} evidence from a booking is when the lead's won opportunity reached finance, as
 * the reconciliation's matching decides ({@link BookingMatch}, linked or fallback-matched): the
 * journey {@link #build} makes has none until {@link #withFinanceArrival} adds it.
 *
 * <p>Columns: every lead column, {@code channel}, {@code cohort_month}, {@code opportunity_id}
 * (the converted opportunity, if it exists and is not deleted), one {@code evidence_<stage>}
 * timestamp per stage (null = no evidence by as_of), {@code reached_order}, the order of the
 * furthest stage with evidence, {@code unmapped_status_history}, and when asked for
 * {@code first_touch_type}. {@link #carrying} keeps only the lead columns the audits read.
 */
public record LeadJourney(Dataset<Row> leads, List<SkippedFigure> skipped) {
    public static final String CHANNEL = "channel";
    public static final String COHORT_MONTH = "cohort_month";
    public static final String OPPORTUNITY_ID = "opportunity_id";
    public static final String REACHED_ORDER = "reached_order";
    /** True when a status label in the lead's history by as_of is mapped to no stage (a finding). */
    public static final String UNMAPPED_HISTORY = "unmapped_status_history";
    /** Type of the lead's earliest campaign touch by as_of (ties by touch_id); only when asked for. */
    public static final String FIRST_TOUCH_TYPE = "first_touch_type";
    /** Names of the workflows the lead belongs to, once tagged (see benchmark.WorkflowPopulation). */
    public static final String WORKFLOWS = "workflows";
    /** Placeholder cut value for a lead with no segment, source or campaign channel. */
    public static final String UNKNOWN = "(none)";
    static final List<String> SALES_ROLES = List.of("SDR", "AE", "MANAGER");

    public LeadJourney {
        requireNonNull(leads, "leads is null");
        skipped = List.copyOf(skipped);
    }

    /**
     * Lead columns the audits read from the journey besides those a handoff contract requires:
     * the funnel's cuts, the handoffs' owner and rejection, the benchmark's status.
     */
    public static final List<String> AUDITED_LEAD_COLUMNS = List.of("lead_id", "created_at", "segment",
            "lead_source", "status", "owner_id", "rejected_at", "rejection_reason");

    /** Whether the rows carry their workflows ({@link #WORKFLOWS}), i.e. the journey was tagged. */
    public boolean tagged() {
        return java.util.Arrays.asList(leads.columns()).contains(WORKFLOWS);
    }

    /** The funnel's rule: the lead reached {@code stage}, i.e. has evidence of it or of a later stage. */
    public static Column reached(Stage stage) {
        return coalesce(col(REACHED_ORDER).geq(lit(stage.order())), lit(false));
    }

    /**
     * The journey with {@code BOOKED} evidence from finance: the date the lead's opportunity reached
     * finance, at midnight UTC, or its BOOKED status instant if earlier; {@link #REACHED_ORDER} follows.
     *
     * @param firstBooked {@link BookingMatch#firstBooked} of the run's match (the reconciliation's)
     */
    public LeadJourney withFinanceArrival(Dataset<Row> firstBooked) {
        Column booked = least(col(evidence(Stage.BOOKED)), atMidnight(col(BookingMatch.ARRIVED_ON)));
        Dataset<Row> rows = leads.join(firstBooked, col(OPPORTUNITY_ID).equalTo(col(BookingMatch.ARRIVED_OPP)), "left")
                .select(java.util.Arrays.stream(leads.columns()).map(c -> c.equals(evidence(Stage.BOOKED)) ? booked.as(c)
                        : c.equals(REACHED_ORDER) ? when(booked.isNotNull(), lit(Stage.BOOKED.order()))
                                .otherwise(col(REACHED_ORDER)).as(c) : col(c)).toArray(Column[]::new));
        return new LeadJourney(rows, skipped);
    }

    public static String evidence(Stage stage) {
        return "evidence_" + stage.name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LeadJourney build(AuditInputs in, LabelMapping leadStatusStages, LabelMapping roles,
                                    AuditWindow window) {
        return build(in, leadStatusStages, roles, window, false);
    }

    /**
     * @param firstTouch also carry {@link #FIRST_TOUCH_TYPE} when campaign_touches is present (the
     *                   workflows that filter on touch types read it)
     */
    public static LeadJourney build(AuditInputs in, LabelMapping leadStatusStages, LabelMapping roles,
                                    AuditWindow window, boolean firstTouch) {
        List<SkippedFigure> skipped = new ArrayList<>();
        Dataset<Row> cohort = in.table(LEADS)
                .filter(coalesce(col("is_deleted"), lit(false)).equalTo(false)
                        .and(window.inWindow(col("created_at"))));

        Dataset<Row> opportunities = in.table(OPPORTUNITIES)
                .filter(coalesce(col("is_deleted"), lit(false)).equalTo(false))
                .select(col("opportunity_id").as("o_id"),
                        col("created_at").as("o_created_at"),
                        when(col("is_won").equalTo(true),
                                coalesce(col("close_date"), to_date(col("created_at")))).as("o_won_on"));

        Dataset<Row> channels = broadcast(in.table(CAMPAIGNS)
                .select(col("campaign_id").as("c_id"), col("channel").as("c_channel")));

        // Every per-lead fact (converted opportunity, first sales activity,
        // first instant per stage in the history, first campaign touch) is joined onto the narrow
        // list of cohort lead ids first, and the wide lead rows are joined once with the result:
        // each join copies whole rows, so the wide rows are copied once instead of once per fact.
        Dataset<Row> facts = cohort.select(col("lead_id").as("f_lead"))
                .join(cohort.filter(col("converted_opportunity_id").isNotNull())
                        .select(col("lead_id").as("o_lead"), col("converted_opportunity_id").as("o_converted"))
                        .join(opportunities, col("o_converted").equalTo(col("o_id")), "inner")
                        .drop("o_converted"), col("f_lead").equalTo(col("o_lead")), "left")
                .drop("o_lead");

        Optional<Dataset<Row>> firstActivity = in.optional(ACTIVITIES).map(a -> firstSalesActivity(
                a, in.table(USERS), roles, window));
        if (firstActivity.isPresent()) {
            facts = facts.join(firstActivity.get(), col("f_lead").equalTo(col("a_lead")), "left").drop("a_lead");
        } else {
            skipped.add(new SkippedFigure("funnel WORKED evidence from activities",
                    "activities table absent: only leads.first_touch_at counts as first touch"));
        }
        Map<Stage, Column> fromHistory = new EnumMap<>(Stage.class);
        Optional<Dataset<Row>> history = in.optional(LEAD_STATUS_HISTORY);
        if (history.isPresent()) {
            facts = facts.join(firstStatusPerStage(history.get(), leadStatusStages, window),
                    col("f_lead").equalTo(col("h_lead")), "left").drop("h_lead");
            for (Stage s : Stage.values()) {
                fromHistory.put(s, col("h_" + s.name()));
            }
        } else {
            skipped.add(new SkippedFigure("funnel evidence from lead_status_history",
                    "lead_status_history table absent: stage instants come from leads columns only"));
        }
        Optional<Dataset<Row>> touches = firstTouch ? in.optional(CAMPAIGN_TOUCHES) : Optional.empty();
        if (touches.isPresent()) {
            facts = facts.join(firstTouchType(touches.get(), window), col("f_lead").equalTo(col("t_lead")), "left")
                    .drop("t_lead");
        }
        Dataset<Row> j = cohort
                .join(facts, cohort.col("lead_id").equalTo(col("f_lead")), "left")
                .join(channels, cohort.col("campaign_id").equalTo(col("c_id")), "left");

        Map<Stage, Column> direct = new EnumMap<>(Stage.class);
        direct.put(Stage.CAPTURED, col("created_at"));
        direct.put(Stage.MQL, window.happened(col("mql_at")));
        direct.put(Stage.ASSIGNED, window.happened(col("assigned_at")));
        direct.put(Stage.WORKED, firstActivity.isPresent()
                ? coalesce(window.happened(col("first_touch_at")), col("a_first_at"))
                : window.happened(col("first_touch_at")));
        direct.put(Stage.SAL, window.happened(col("accepted_at")));
        direct.put(Stage.OPPORTUNITY, least(window.happened(col("converted_at")),
                window.happened(col("o_created_at"))));
        direct.put(Stage.WON, atMidnight(window.happenedOn(col("o_won_on"))));
        // BOOKED from a booking is when the win reached finance, which the reconciliation's matching
        // decides: added by withFinanceArrival once the opportunity scope exists.
        direct.put(Stage.BOOKED, lit(null).cast("timestamp"));

        List<Column> out = new ArrayList<>();
        for (String c : cohort.columns()) {
            out.add(cohort.col(c));
        }
        out.add(coalesce(col("c_channel"), lit(UNKNOWN)).as(CHANNEL));
        out.add(date_format(col("created_at"), "yyyy-MM").as(COHORT_MONTH));
        out.add(col("o_id").as(OPPORTUNITY_ID));
        List<Column> orders = new ArrayList<>();
        for (Stage s : Stage.values()) {
            Column ev = fromHistory.containsKey(s) ? least(direct.get(s), fromHistory.get(s)) : direct.get(s);
            out.add(ev.as(evidence(s)));
            orders.add(when(ev.isNotNull(), lit(s.order())));
        }
        out.add(greatest(orders.toArray(Column[]::new)).as(REACHED_ORDER));
        out.add((history.isPresent() ? coalesce(col("h_unmapped"), lit(false)) : lit(false)).as(UNMAPPED_HISTORY));
        if (touches.isPresent()) {
            out.add(col("t_type").as(FIRST_TOUCH_TYPE));
        }
        return new LeadJourney(j.select(out.toArray(Column[]::new)), skipped);
    }

    /**
     * The journey with only the given lead columns besides its own: the rows the audits share are
     * copied through several joins and kept for the whole run, so they carry no column nobody reads.
     * Spark prunes the dropped columns from every join below.
     */
    public LeadJourney carrying(java.util.Collection<String> leadColumns) {
        java.util.Set<String> keep = new java.util.LinkedHashSet<>(leadColumns);
        java.util.Set<String> leadNames = LEADS.columns().stream().map(ColumnSpec::name)
                .collect(java.util.stream.Collectors.toSet());
        Column[] out = java.util.Arrays.stream(leads.columns())
                .filter(c -> !leadNames.contains(c) || keep.contains(c))
                .map(c -> col(c)).toArray(Column[]::new);
        return new LeadJourney(leads.select(out), skipped);
    }

    /**
     * Type of each lead's earliest campaign touch by the end of as_of, ties broken by touch_id:
     * columns {@code t_lead}, {@code t_type}.
     */
    public static Dataset<Row> firstTouchType(Dataset<Row> touches, AuditWindow window) {
        return touches
                .filter(col("lead_id").isNotNull().and(col("touched_at").lt(lit(window.endExclusive()))))
                .groupBy(col("lead_id").as("t_lead"))
                .agg(min(struct(col("touched_at"), col("touch_id"), col("touch_type"))).as("t_first"))
                .select(col("t_lead"), col("t_first.touch_type").as("t_type"));
    }

    /** First activity per lead by a user whose role is a sales role, by the end of as_of. */
    private static Dataset<Row> firstSalesActivity(Dataset<Row> activities, Dataset<Row> users,
                                                   LabelMapping roles, AuditWindow window) {
        Dataset<Row> salesUsers = broadcast(users
                .filter(roles.map(col("role")).isin(SALES_ROLES.toArray()))
                .select(col("user_id").as("u_id")));
        return activities
                .filter(col("lead_id").isNotNull()
                        .and(col("activity_at").lt(lit(window.endExclusive()))))
                .join(salesUsers, col("owner_id").equalTo(col("u_id")), "left_semi")
                .groupBy(col("lead_id").as("a_lead"))
                .agg(min("activity_at").as("a_first_at"));
    }

    /**
     * First instant per lead and stage that a mapped status label put it there, by as_of, and
     * whether any status label by then maps to nothing: one pass over the history for both.
     */
    private static Dataset<Row> firstStatusPerStage(Dataset<Row> history, LabelMapping stages,
                                                    AuditWindow window) {
        // Labels are mapped to the stage's order (0 for a label mapped to no stage), so the nine
        // aggregates below compare integers, not strings, on every history row.
        Column stage = stages.code(col("status"), LeadJourney::stageOrder);
        List<Column> aggs = new ArrayList<>();
        for (Stage s : Stage.values()) {
            aggs.add(min(when(col("h_stage").equalTo(lit(s.order())), col("changed_at"))).as("h_" + s.name()));
        }
        aggs.add(max(col("status").isNotNull().and(col("h_stage").isNull())).as("h_unmapped"));
        return history
                .filter(col("changed_at").lt(lit(window.endExclusive())))
                .withColumn("h_stage", stage)
                .groupBy(col("lead_id").as("h_lead"))
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    }

    /** A mapped stage label's funnel order; 0 for NONE (known, evidence of no stage). */
    private static int stageOrder(String value) {
        return java.util.Arrays.stream(Stage.values()).filter(s -> s.name().equals(value))
                .mapToInt(Stage::order).findFirst().orElse(0);
    }

    private static Column atMidnight(Column date) {
        return to_timestamp(date);
    }
}
