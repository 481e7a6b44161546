package dev.handshake.audit.benchmark;

import static dev.handshake.audit.reconciliation.ReconciliationTables.BOOKING_IDS;
import static dev.handshake.audit.reconciliation.ReconciliationTables.CATEGORY;
import static dev.handshake.audit.reconciliation.ReconciliationTables.CRM_AMOUNT;
import static dev.handshake.audit.reconciliation.ReconciliationTables.CURRENCY_UNRESOLVED;
import static dev.handshake.audit.reconciliation.ReconciliationTables.LAGGING;
import static dev.handshake.audit.reconciliation.ReconciliationTables.LAG_DAYS;
import static dev.handshake.audit.reconciliation.ReconciliationTables.MATCHED;
import static dev.handshake.audit.reconciliation.ReconciliationTables.OPPORTUNITY_ID;
import static dev.handshake.audit.reconciliation.ReconciliationTables.PERIOD_MISMATCH;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.OpportunityChanges;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.audit.ledger.LedgerTables;
import dev.handshake.audit.reconciliation.ThreeNumberBridge;
import dev.handshake.config.BenchmarkSettings;
import dev.handshake.config.HandoffContract;
import dev.handshake.config.LabelMapping;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.BreakId;
import dev.handshake.model.Dimension;
import dev.handshake.model.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-workflow aggregates the benchmark and the first fork are decided from (sections 4 and
 * 5). Every dimension is first expressed as facts of one shape (workflow, dimension, record_id,
 * records, hits, base, lag, against, sort_key) so that one aggregation computes all six; the
 * results are small (workflows x dimensions) and are scored by {@link Scorecard}.
 */
public final class BenchmarkFacts {
    static final String WORKFLOW = "workflow";
    static final String DIMENSION = "dimension";
    static final String RECORD_ID = "record_id";
    static final String RECORDS = "records";
    static final String HITS = "hits";
    static final String BASE = "base";
    /** Hits and base of a money dimension (the other dimensions' are counts, in HITS and BASE). */
    private static final String MONEY_HITS = "money_hits";
    private static final String MONEY_BASE = "money_base";
    static final String LAG = "lag";
    static final String AGAINST = "against";
    static final String SORT_KEY = "sort_key";
    static final String P90 = "p90";
    static final String EVIDENCE = "evidence_ids";
    /** Won deals whose amount has no FX rate (the reconciliation's CURRENCY_UNRESOLVED). */
    static final String UNRESOLVED = "unresolved";
    /** Won deals without an amount in the CRM: no value, a fact of its own, never an FX problem. */
    static final String NO_VALUE = "no_value";
    /** A workflow's records: its cohort leads, or on the opportunity basis its opportunities in scope. */
    static final String POPULATION = "population";
    private static final String MONEY = "decimal(38,6)";
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__bench_";
    private static final String ACKNOWLEDGED_OPP = PREFIX + "k_opp";
    private static final String ACKNOWLEDGED_ROW = PREFIX + "k_acknowledged";
    private static final String ANOMALOUS_OPP = PREFIX + "a_opp";
    private static final String C_ID = PREFIX + "c_id";
    private static final String C_LAST = PREFIX + "c_last";
    private static final String K_BREAK = PREFIX + "k_break";
    private static final String LAYER_WORKFLOW = PREFIX + "l_w";
    private static final String LOGGED = PREFIX + "logged";
    private static final String MEMBER_LEAD = PREFIX + "m_lead";
    private static final String OBJECT_TYPE = PREFIX + "object_type";
    private static final String O_AMOUNT = PREFIX + "o_amount";
    private static final String O_CAMPAIGN = PREFIX + "o_campaign";
    private static final String O_ID = PREFIX + "o_id";
    private static final String O_LEAD = PREFIX + "o_lead";
    private static final String O_LEAD_CAMPAIGN = PREFIX + "o_lead_campaign";
    private static final String O_RESOLVED = PREFIX + "o_resolved";
    private static final String O_WON_ON = PREFIX + "o_won_on";
    private static final String ROLES = PREFIX + "roles";
    private static final String ROLE_USER = PREFIX + "user";
    private static final String R_CATEGORY = PREFIX + "r_category";
    private static final String R_CRM = PREFIX + "r_crm";
    private static final String R_LAG = PREFIX + "r_lag";
    private static final String R_OPP = PREFIX + "r_opp";
    private static final String STORY_WORKFLOW = PREFIX + "s_w";
    private static final String UNLOGGED_WORKFLOW = PREFIX + "g_w";
    private static final String VL_CAP = PREFIX + "vl_cap";
    private static final String VL_CRM = PREFIX + "vl_crm";
    private static final String VL_ID = PREFIX + "vl_id";
    private static final String VO_CAP = PREFIX + "vo_cap";
    private static final String VO_CRM = PREFIX + "vo_crm";
    private static final String VO_ID = PREFIX + "vo_id";
    private static final String V_CHANGES = PREFIX + "v_changes";
    private static final String V_ID = PREFIX + "v_id";
    private static final String V_LOGGED = PREFIX + "v_logged";
    private static final String V_TYPE = PREFIX + "v_type";
    private static final String V_UNLOGGED_CAPTURE = PREFIX + "v_unlogged_capture";
    private static final String V_UNLOGGED_CRM = PREFIX + "v_unlogged_crm";
    private static final String WON_WORKFLOW = PREFIX + "w_w";
    /** Categories that are a definition, not a broken path: same money, another period. */
    static final List<String> DEFINITIONAL = List.of(PERIOD_MISMATCH);
    static final List<String> EXPLAINED = List.of(MATCHED, LAGGING, PERIOD_MISMATCH);
    /** The dimensions the reconciliation rows feed: the ones an acknowledged break can move. */
    public static final Set<Dimension> RECONCILIATION_FED = Collections.unmodifiableSet(
            EnumSet.of(Dimension.FINANCE_LAG, Dimension.RECONCILIATION_REPEATABILITY));

    /**
     * The dimensions whose records come from cohort leads, with why they have none on the
     * opportunity basis (said instead of "no record"): stage consistency counts leads, and capture
     * linkage compares an opportunity's campaign with its lead's.
     */
    static final Map<Dimension, String> NEED_LEADS = Map.of(
            Dimension.CAPTURE_LINKAGE, "not measured: the night has no cohort lead, and capture linkage compares"
                    + " an opportunity's campaign with its lead's",
            Dimension.STAGE_CONSISTENCY, "not measured: the night has no cohort lead, and stage consistency counts"
                    + " leads (the workflows follow the opportunities in scope)");

    private BenchmarkFacts() {}

    /** A journey lead's own stage anomaly: a skipped stage, an unmapped status, an unmapped status in its history. */
    private static final String LEAD_ANOMALY = "lead_stage_anomaly";
    /** The handoff row columns the facts read, besides the workflows. */
    private static final List<String> HANDOFF_COLUMNS = List.of(HandoffTables.HANDOFF, HandoffTables.RECORD_ID,
            HandoffTables.PRIMARY_FAILURE, HandoffTables.OUTCOME_REACHED, HandoffTables.OWNER_NAMED,
            HandoffTables.ENTERED_AT, HandoffTables.OWNER_RECORD_ID, HandoffTables.OWNER_RECORD_SINCE);

    /**
     * What the facts are built from: the run's intermediate results, all already computed.
     *
     * @param leads    the tagged journey as {@link #journeyRead} leaves it
     * @param failures the evaluated handoff rows as {@link #handoffRowsRead} leaves them
     * @param basis    what the workflows are populations of, so what their records count
     */
    public record Inputs(Dataset<Row> leads, Dataset<Row> scope, Dataset<Row> changes,
                         Optional<Dataset<Row>> failures, Dataset<Row> reconciliation, Dataset<Row> metrics,
                         Optional<Dataset<Row>> fieldHistory, Dataset<Row> users, WorkflowBasis basis) {
        public Inputs {
            java.util.Objects.requireNonNull(basis, "basis is null");
            if (!java.util.Arrays.asList(leads.columns()).contains(LEAD_ANOMALY)) {
                throw new IllegalArgumentException("leads must be BenchmarkFacts.journeyRead(journey)");
            }
        }
    }

    /**
     * The journey columns the facts read, the lead's own stage anomaly folded into one flag. A
     * journey row is wide (a dozen stage instants); this copy is a fraction of it, so a run can keep
     * it for the benchmark and release the journey once the handoffs are evaluated.
     */
    public static Dataset<Row> journeyRead(Dataset<Row> journey, LabelMapping leadStatusStages) {
        return journeyRead(journey, leadStatusStages, new dev.handshake.audit.UntrackedStages(java.util.Set.of(), false,
                false));
    }

    /** As above; passing a stage the CRM does not record ({@code untracked}) is no skip. */
    public static Dataset<Row> journeyRead(Dataset<Row> journey, LabelMapping leadStatusStages,
                                           dev.handshake.audit.UntrackedStages untracked) {
        Column skipped = lit(false);
        for (Stage s : Stage.values()) {
            if (!untracked.isTracked(s)) {
                continue;
            }
            skipped = skipped.or(col(LeadJourney.REACHED_ORDER).gt(s.order())
                    .and(col(LeadJourney.evidence(s)).isNull()));
        }
        Column anomaly = coalesce(skipped, lit(false))
                .or(coalesce(leadStatusStages.isUnmapped(col("status")), lit(false)))
                .or(col(LeadJourney.UNMAPPED_HISTORY));
        return journey.select(col("lead_id"), col(LeadJourney.OPPORTUNITY_ID), anomaly.as(LEAD_ANOMALY),
                col(WorkflowPopulation.WORKFLOWS));
    }

    /** The handoff row columns the facts read (nine of twenty-one), kept for the benchmark instead of the row. */
    public static Dataset<Row> handoffRowsRead(Dataset<Row> failures) {
        List<Column> keep = new ArrayList<>();
        HANDOFF_COLUMNS.forEach(c -> keep.add(col(c)));
        keep.add(col(WorkflowPopulation.WORKFLOWS));
        return failures.select(keep.toArray(Column[]::new));
    }

    /** The label and role mappings and handoffs the facts need. */
    public record Rules(BenchmarkSettings settings, List<HandoffContract> handoffs, LabelMapping leadStatusStages,
                        LabelMapping roles, LabelMapping reasonCategories, AuditWindow window) {}

    /**
     * Small results, each bounded by the configuration (workflows x dimensions, handoffs, categories).
     *
     * @param acknowledgedAsMatched the {@link #RECONCILIATION_FED} dimensions again, shaped like
     *                              {@code dimensions}, with the acknowledged breaks as matched (see
     *                              {@link #aggregate(Inputs, Rules, dev.handshake.audit.Materializer, Optional)});
     *                              empty when no acknowledged breaks were given
     * @param basis                 what the workflows' records are ({@link Inputs#basis()})
     */
    public record Aggregates(Dataset<Row> dimensions, Dataset<Row> workflows, Optional<Dataset<Row>> handoffs,
                             Dataset<Row> categories, Dataset<Row> warehouse,
                             Optional<Dataset<Row>> acknowledgedAsMatched, WorkflowBasis basis) {}

    /**
     * Workflow membership is read from the rows themselves: journey rows, scope rows (the
     * originating lead's workflows) and handoff rows carry their workflows, exploded where a fact
     * is per workflow, so no large input is joined back to a member list. Small per-record
     * findings (opportunity anomalies, owner changes, overrides) are broadcast to the large rows.
     *
     * @param materialize computes the intermediates several aggregates read once (the workflows'
     *                    opportunities and wins, the overrides per record)
     */
    public static Aggregates aggregate(Inputs in, Rules rules, dev.handshake.audit.Materializer materialize) {
        return aggregate(in, rules, materialize, Optional.empty());
    }

    /**
     * As above, and with {@code acknowledgedBreaks} (a {@code break_id} column: the breaks whose
     * acknowledgement holds tonight, docs/break-ledger.md) the {@link #RECONCILIATION_FED}
     * dimensions a second time for {@code --fail-on-band}, each acknowledged break's reconciliation
     * row taken as {@code MATCHED}: in reconciliation repeatability its won value counts as
     * explained; in finance lag a booked one keeps its booking lag (a matched deal has one too) and
     * an unbooked one is left out (the lag of a booking that does not exist is not known). The
     * published dimensions are not touched.
     */
    public static Aggregates aggregate(Inputs in, Rules rules, dev.handshake.audit.Materializer materialize,
                                       Optional<Dataset<Row>> acknowledgedBreaks) {
        Dataset<Row> opps = materialize.apply(in.scope().select(col(OpportunityScope.ID).as(O_ID),
                col(OpportunityScope.LEAD_ID).as(O_LEAD),
                col(OpportunityScope.AMOUNT_REPORTING).as(O_AMOUNT),
                col(OpportunityScope.AMOUNT_RESOLVED).as(O_RESOLVED),
                col(OpportunityScope.WON_ON).as(O_WON_ON),
                col(OpportunityScope.LEAD_CAMPAIGN_ID).as(O_LEAD_CAMPAIGN),
                col(OpportunityScope.PREFIX + "campaign_id").as(O_CAMPAIGN),
                explode(col(OpportunityScope.WORKFLOWS)).as(WORKFLOW)));
        Optional<Dataset<Row>> overrides = in.fieldHistory()
                .map(h -> materialize.apply(overridesPerObject(h, in.users(), rules)));
        Dataset<Row> changes = in.changes();
        Dataset<Row> recon = in.reconciliation().filter(col(OPPORTUNITY_ID).isNotNull())
                .select(col(OPPORTUNITY_ID).as(R_OPP), col(CATEGORY).as(R_CATEGORY),
                        col(CRM_AMOUNT).as(R_CRM), col(LAG_DAYS).as(R_LAG),
                        col(dev.handshake.audit.reconciliation.ReconciliationTables.VARIANCE).as(PREFIX + "r_variance"));
        Dataset<Row> won = materialize.apply(opps.filter(col(O_WON_ON).isNotNull())
                .join(recon, col(O_ID).equalTo(col(R_OPP)), "left"));
        Optional<Dataset<Row>> handoffRows = in.failures().map(BenchmarkFacts::perWorkflow);

        List<Dataset<Row>> facts = new ArrayList<>();
        facts.add(captureLinkage(opps));
        facts.add(stageConsistency(in, changes));
        in.failures().ifPresent(f -> facts.add(ownerClarity(f, in.fieldHistory(), in.users(), rules)));
        overrides.ifPresent(o -> facts.add(overrideDiscipline(o, in.leads(), opps)));
        facts.add(financeLag(won, rules));
        facts.add(repeatability(won));
        Dataset<Row> all = facts.get(0);
        for (Dataset<Row> f : facts.subList(1, facts.size())) {
            all = all.unionByName(f);
        }

        return new Aggregates(dimensions(all, rules.settings().evidenceIds()),
                workflows(in, opps, won, overrides, changes, rules),
                handoffRows.map(BenchmarkFacts::handoffCounts),
                won.filter(col(R_CATEGORY).isNotNull()).groupBy(col(WORKFLOW), col(R_CATEGORY).as(CATEGORY))
                        .agg(org.apache.spark.sql.functions.count(lit(1)).as(RECORDS),
                                sum(coalesce(col(R_CRM), lit(0))).cast(MONEY).as("crm_value")),
                warehouse(in.metrics()),
                acknowledgedBreaks.map(ids -> dimensions(acknowledgedAsMatched(won, in.reconciliation(), ids, rules),
                        rules.settings().evidenceIds())), in.basis());
    }

    /** The reconciliation-fed facts of {@code won} with the acknowledged breaks' rows as MATCHED. */
    private static Dataset<Row> acknowledgedAsMatched(Dataset<Row> won, Dataset<Row> reconciliation,
                                                      Dataset<Row> breakIds, Rules rules) {
        // Acknowledged breaks are one per acknowledgement that holds: few, broadcast both ways.
        Dataset<Row> acknowledged = reconciliation.filter(col(OPPORTUNITY_ID).isNotNull())
                .join(broadcast(breakIds.select(col(LedgerTables.BREAK_ID).as(K_BREAK))),
                        BreakId.of(col(OPPORTUNITY_ID), col(BOOKING_IDS)).equalTo(col(K_BREAK)), "left_semi")
                .select(col(OPPORTUNITY_ID).as(ACKNOWLEDGED_OPP));
        Dataset<Row> marked = won.join(broadcast(acknowledged), col(O_ID).equalTo(col(ACKNOWLEDGED_OPP)), "left")
                .withColumn(ACKNOWLEDGED_ROW, col(ACKNOWLEDGED_OPP).isNotNull()).drop(ACKNOWLEDGED_OPP)
                .withColumn(R_CATEGORY, when(col(ACKNOWLEDGED_ROW), lit(MATCHED)).otherwise(col(R_CATEGORY)));
        return financeLag(marked.filter(col(ACKNOWLEDGED_ROW).and(col(R_LAG).isNull()).equalTo(false)), rules)
                .unionByName(repeatability(marked));
    }

    /** Rows that carry their workflows, one row per workflow ({@link #WORKFLOW}); none for no workflow. */
    private static Dataset<Row> perWorkflow(Dataset<Row> rows) {
        return rows.withColumn(WORKFLOW, explode(col(WorkflowPopulation.WORKFLOWS))).drop(WorkflowPopulation.WORKFLOWS);
    }

    /** Journey rows of leads with a per-lead finding (small, broadcast), one row per workflow of the lead. */
    private static Dataset<Row> leadMembers(Dataset<Row> leads, Dataset<Row> perLead, Column on) {
        return perWorkflow(leads.select(col("lead_id").as(MEMBER_LEAD), col(WorkflowPopulation.WORKFLOWS))
                .join(broadcast(perLead), on, "inner"));
    }

    /** An opportunity's stage story broke: an unmapped stage label, a backward move or a reopen. */
    private static Column stageAnomaly() {
        return coalesce(col(OpportunityChanges.UNMAPPED_LABELS), lit(0L)).gt(0)
                .or(coalesce(col(OpportunityChanges.BACKWARD_MOVES), lit(0L)).gt(0))
                .or(coalesce(col(OpportunityChanges.REOPENED), lit(false)));
    }

    /** A fact whose hits and base are counts: summed as longs (a sum of wide decimals costs far more). */
    private static Column fact(Column records, Column hits, Column base, Column lag, Column against, Column sortKey) {
        return fact(records, hits.cast("long"), base.cast("long"), lit(null), lit(null), lag, against, sortKey);
    }

    /** A fact whose hits and base are money (reporting currency). */
    private static Column moneyFact(Column records, Column hits, Column base, Column against, Column sortKey) {
        return fact(records, lit(null), lit(null), hits, base, lit(null), against, sortKey);
    }

    private static Column fact(Column records, Column hits, Column base, Column moneyHits, Column moneyBase,
                               Column lag, Column against, Column sortKey) {
        return struct(records.cast("long").as(RECORDS), hits.cast("long").as(HITS), base.cast("long").as(BASE),
                moneyHits.cast(MONEY).as(MONEY_HITS), moneyBase.cast(MONEY).as(MONEY_BASE),
                lag.cast("double").as(LAG), against.as(AGAINST), sortKey.cast("double").as(SORT_KEY));
    }

    private static Dataset<Row> facts(Dataset<Row> rows, Dimension d, Column recordId, Column fact) {
        return facts(rows, d, recordId, fact, lit(false), lit(false));
    }

    /** With, per record, whether its amount has no FX rate and whether it has no amount at all. */
    private static Dataset<Row> facts(Dataset<Row> rows, Dimension d, Column recordId, Column fact, Column unresolved,
                                      Column noValue) {
        return rows.select(col(WORKFLOW), lit(d.key()).as(DIMENSION), recordId.cast("string").as(RECORD_ID),
                fact.as(PREFIX + "f"), unresolved.as(UNRESOLVED), noValue.as(NO_VALUE))
                .select(col(WORKFLOW), col(DIMENSION), col(RECORD_ID), col(PREFIX + "f.*"), col(UNRESOLVED),
                        col(NO_VALUE));
    }

    private static Column one(Column condition) {
        return when(condition, lit(1)).otherwise(lit(0));
    }

    /** Opportunities whose lead carried a campaign: does the opportunity still carry one? */
    private static Dataset<Row> captureLinkage(Dataset<Row> opps) {
        Column survived = col(O_CAMPAIGN).isNotNull();
        return facts(opps.filter(col(O_LEAD_CAMPAIGN).isNotNull()), Dimension.CAPTURE_LINKAGE, col(O_ID),
                fact(lit(1), one(survived), lit(1), lit(null), survived.equalTo(false), lit(0)));
    }

    /** Workflow leads with any stage anomaly on the lead or on its opportunity. */
    private static Dataset<Row> stageConsistency(Inputs in, Dataset<Row> changes) {
        // The opportunities with an anomaly are few: broadcast to the journey rows, which carry
        // their workflows and are exploded in place.
        Dataset<Row> anomalousOpps = changes.filter(stageAnomaly()).select(col(OpportunityChanges.ID).as(ANOMALOUS_OPP));
        Dataset<Row> leads = perWorkflow(in.leads()
                .join(broadcast(anomalousOpps), col(LeadJourney.OPPORTUNITY_ID).equalTo(col(ANOMALOUS_OPP)), "left"));
        Column anomaly = col(LEAD_ANOMALY).or(col(ANOMALOUS_OPP).isNotNull());
        return facts(leads, Dimension.STAGE_CONSISTENCY, col("lead_id"),
                fact(lit(1), one(anomaly), lit(1), lit(null), anomaly, lit(0)));
    }

    /** Manual changes (author not a SYSTEM user) to governed fields by the end of as_of. */
    private static Dataset<Row> manualChanges(Dataset<Row> history, Dataset<Row> users, Rules rules) {
        Dataset<Row> roles = broadcast(dev.handshake.audit.UserRoles.of(users, rules.roles(), ROLE_USER, ROLES));
        return history.filter(col("changed_at").lt(lit(rules.window().endExclusive()))
                        .and(col("field").isin(rules.settings().governedFields().toArray())))
                .join(roles, col("changed_by").equalTo(col(ROLE_USER)), "left")
                // No author, or an author not in users, is not provably automated: counted as manual.
                .filter(dev.handshake.audit.UserRoles.onlySystem(col(ROLES)).equalTo(false))
                .withColumn(LOGGED, coalesce(length(trim(col("change_reason"))).gt(0), lit(false)))
                .withColumn(OBJECT_TYPE, lower(trim(col("object_type"))));
    }

    private static Dataset<Row> overridesPerObject(Dataset<Row> history, Dataset<Row> users, Rules rules) {
        Column capture = col("field").isin(rules.settings().captureFields().toArray());
        Column unlogged = col(LOGGED).equalTo(false);
        return manualChanges(history, users, rules)
                .groupBy(col(OBJECT_TYPE).as(V_TYPE), col("object_id").as(V_ID))
                .agg(org.apache.spark.sql.functions.count(lit(1)).as(V_CHANGES),
                        count_if(col(LOGGED)).as(V_LOGGED),
                        count_if(unlogged.and(capture)).as(V_UNLOGGED_CAPTURE),
                        count_if(unlogged.and(capture.equalTo(false))).as(V_UNLOGGED_CRM));
    }

    private static Dataset<Row> overrideDiscipline(Dataset<Row> overrides, Dataset<Row> leads, Dataset<Row> opps) {
        Dataset<Row> onLeads = leadMembers(leads, overrides.filter(col(V_TYPE).equalTo("lead")),
                col(MEMBER_LEAD).equalTo(col(V_ID)));
        Dataset<Row> onOpps = opps.select(col(O_ID), col(WORKFLOW)).join(
                overrides.filter(col(V_TYPE).equalTo("opportunity")), col(O_ID).equalTo(col(V_ID)), "inner");
        Column unlogged = col(V_CHANGES).minus(col(V_LOGGED));
        Column f = fact(col(V_CHANGES), col(V_LOGGED), col(V_CHANGES), lit(null), unlogged.gt(0), unlogged);
        return facts(onLeads, Dimension.OVERRIDE_DISCIPLINE, col(V_ID), f)
                .unionByName(facts(onOpps, Dimension.OVERRIDE_DISCIPLINE, col(V_ID), f));
    }

    /**
     * Handoff rows of the workflow's records (each row carries its record's workflows): owner
     * named, and not re-owned without a logged reason.
     */
    private static Dataset<Row> ownerClarity(Dataset<Row> failures, Optional<Dataset<Row>> history,
                                             Dataset<Row> users, Rules rules) {
        Dataset<Row> rows = failures;
        Column reowned = lit(false);
        if (history.isPresent()) {
            // Re-owned after entry: some unlogged manual owner change at or after the entry instant,
            // that is, the latest such change of the record is at or after it. Few records have one.
            // An entry without an instant (reached only through a later stage) is tested from the
            // receiving record's creation: every change of that record is after the handoff.
            Dataset<Row> lastOwnerChange = manualChanges(history.get(), users, rules)
                    .filter(col("field").equalTo("owner_id").and(col(LOGGED).equalTo(false)))
                    .groupBy(col("object_id").as(C_ID)).agg(max(col("changed_at")).as(C_LAST));
            rows = rows.join(broadcast(lastOwnerChange), col(HandoffTables.OWNER_RECORD_ID).equalTo(col(C_ID)),
                    "left");
            reowned = coalesce(col(C_LAST).geq(coalesce(col(HandoffTables.ENTERED_AT),
                    col(HandoffTables.OWNER_RECORD_SINCE))), lit(false));
        }
        Column clear = col(HandoffTables.OWNER_NAMED).and(reowned.equalTo(false));
        return facts(perWorkflow(rows), Dimension.OWNER_CLARITY,
                concat(col(HandoffTables.HANDOFF), lit(":"), col(HandoffTables.RECORD_ID)),
                fact(lit(1), one(clear), lit(1), lit(null), clear.equalTo(false), lit(0)));
    }

    /** Won opportunities: days from close to the first visible booking, or elapsed so far if none. */
    private static Dataset<Row> financeLag(Dataset<Row> won, Rules rules) {
        Column lag = greatest(lit(0), coalesce(col(R_LAG),
                datediff(lit(rules.window().asOf()), col(O_WON_ON))));
        double clean = rules.settings().thresholds(Dimension.FINANCE_LAG).score1().doubleValue();
        return facts(won, Dimension.FINANCE_LAG, col(O_ID),
                fact(lit(1), lit(0), lit(0), lag, lag.gt(clean), lag));
    }

    /** Won value (reporting currency) by whether its category is matched or deterministically explained. */
    private static Dataset<Row> repeatability(Dataset<Row> won) {
        Column explained = coalesce(col(R_CATEGORY).isin(EXPLAINED.toArray()), lit(false));
        Column value = coalesce(col(R_CRM), lit(0));
        return facts(won.filter(col(R_CATEGORY).isNotNull()), Dimension.RECONCILIATION_REPEATABILITY,
                col(O_ID), moneyFact(lit(1), when(explained, value).otherwise(lit(0)), value,
                        explained.equalTo(false), abs(value)),
                col(R_CATEGORY).equalTo(CURRENCY_UNRESOLVED),
                col(R_CRM).isNull().and(col(R_CATEGORY).notEqual(CURRENCY_UNRESOLVED)));
    }

    /**
     * One aggregate over the facts, so each fact is computed once: the sums, the lag p90 (only
     * finance lag has lags; percentile skips nulls) and the evidence, the facts that count against
     * the dimension ranked worst first (largest sort key, then record id), kept in a bounded heap.
     */
    private static Dataset<Row> dimensions(Dataset<Row> facts, int evidenceIds) {
        // The smallest of (no sort key, -sort key, record id) is the worst fact first.
        Column rank = when(col(AGAINST), struct(col(SORT_KEY).isNull().as(PREFIX + "no_key"),
                negate(col(SORT_KEY)).as(PREFIX + "worst"), col(RECORD_ID).as(PREFIX + "id")));
        Column none = org.apache.spark.sql.functions.array().cast("array<string>");
        Column evidence = evidenceIds == 0 ? none : coalesce(min_by(col(RECORD_ID), rank, evidenceIds), none);
        return facts.groupBy(WORKFLOW, DIMENSION).agg(
                sum(RECORDS).as(RECORDS),
                // A dimension's facts are all counts or all money: one of each pair of sums is null.
                coalesce(sum(MONEY_HITS), sum(HITS).cast(MONEY)).as(HITS),
                coalesce(sum(MONEY_BASE), sum(BASE).cast(MONEY)).as(BASE),
                percentile(col(LAG), lit(0.9)).as(P90),
                count_if(coalesce(col(UNRESOLVED), lit(false))).as(UNRESOLVED),
                count_if(coalesce(col(NO_VALUE), lit(false))).as(NO_VALUE),
                evidence.as(EVIDENCE));
    }

    /**
     * One row per workflow: population ({@link #POPULATION}: its leads, or on the opportunity basis
     * its opportunities in scope), won value, value affected per layer, the three numbers.
     */
    private static Dataset<Row> workflows(Inputs in, Dataset<Row> opps, Dataset<Row> won,
                                          Optional<Dataset<Row>> overrides, Dataset<Row> changes, Rules rules) {
        Dataset<Row> members = in.basis() == WorkflowBasis.LEADS
                ? in.leads().select(explode(col(WorkflowPopulation.WORKFLOWS)).as(WORKFLOW))
                : opps.select(col(WORKFLOW));
        Dataset<Row> population = members.groupBy(WORKFLOW)
                .agg(org.apache.spark.sql.functions.count(lit(1)).as(POPULATION));
        Column resolved = col(O_RESOLVED).and(col(O_AMOUNT).isNotNull());
        Dataset<Row> perOpp = opps.join(changes, col(O_ID).equalTo(col(OpportunityChanges.ID)), "left");
        Column captureOverride = lit(false);
        Column crmOverride = lit(false);
        if (overrides.isPresent()) {
            Dataset<Row> o = overrides.get();
            Dataset<Row> onOpp = o.filter(col(V_TYPE).equalTo("opportunity"))
                    .select(col(V_ID).as(VO_ID), col(V_UNLOGGED_CAPTURE).as(VO_CAP),
                            col(V_UNLOGGED_CRM).as(VO_CRM));
            Dataset<Row> onLead = o.filter(col(V_TYPE).equalTo("lead"))
                    .select(col(V_ID).as(VL_ID), col(V_UNLOGGED_CAPTURE).as(VL_CAP),
                            col(V_UNLOGGED_CRM).as(VL_CRM));
            perOpp = perOpp.join(onOpp, col(O_ID).equalTo(col(VO_ID)), "left")
                    .join(onLead, col(O_LEAD).equalTo(col(VL_ID)), "left");
            captureOverride = coalesce(col(VO_CAP), lit(0L)).plus(coalesce(col(VL_CAP), lit(0L))).gt(0);
            crmOverride = coalesce(col(VO_CRM), lit(0L)).plus(coalesce(col(VL_CRM), lit(0L))).gt(0);
        }
        Column linkageLost = col(O_LEAD_CAMPAIGN).isNotNull().and(col(O_CAMPAIGN).isNull());
        Column staged = stageAnomaly();
        // Materiality compares like with like: the won value these findings touch, against won value.
        Column isWon = col(O_WON_ON).isNotNull();
        Column amount = when(resolved, col(O_AMOUNT));
        Column captureHit = isWon.and(linkageLost.or(captureOverride));
        Column crmHit = isWon.and(staged.or(crmOverride));
        Dataset<Row> layerValues = perOpp.groupBy(col(WORKFLOW).as(LAYER_WORKFLOW)).agg(
                sum(when(captureHit, amount)).cast(MONEY).as("capture_value"),
                count_if(captureHit).as("capture_records"),
                sum(when(crmHit, amount)).cast(MONEY).as("crm_value"),
                count_if(crmHit).as("crm_records"));
        Dataset<Row> unlogged;
        if (overrides.isPresent()) {
            Dataset<Row> o = overrides.get();
            Dataset<Row> onLeads = leadMembers(in.leads(), o.filter(col(V_TYPE).equalTo("lead")),
                    col(MEMBER_LEAD).equalTo(col(V_ID))).select(col(WORKFLOW), col(V_UNLOGGED_CAPTURE),
                    col(V_UNLOGGED_CRM));
            Dataset<Row> onOpps = opps.select(col(O_ID), col(WORKFLOW)).join(
                    o.filter(col(V_TYPE).equalTo("opportunity")), col(O_ID).equalTo(col(V_ID)), "inner")
                    .select(col(WORKFLOW), col(V_UNLOGGED_CAPTURE), col(V_UNLOGGED_CRM));
            unlogged = onLeads.unionByName(onOpps).groupBy(col(WORKFLOW).as(UNLOGGED_WORKFLOW)).agg(
                    sum(V_UNLOGGED_CAPTURE).as("unlogged_capture_changes"),
                    sum(V_UNLOGGED_CRM).as("unlogged_crm_changes"));
        } else {
            unlogged = opps.sparkSession().emptyDataFrame().select(lit("").as(UNLOGGED_WORKFLOW),
                    lit(0L).as("unlogged_capture_changes"), lit(0L).as("unlogged_crm_changes"));
        }
        Dataset<Row> wonValue = won.groupBy(col(WORKFLOW).as(WON_WORKFLOW)).agg(
                sum(when(resolved, col(O_AMOUNT))).cast(MONEY).as("won_value"),
                count_if(resolved).as("won_deals"),
                count_if(resolved.equalTo(false)).as("won_unresolved"));
        Dataset<Row> story = ThreeNumberBridge.perOpportunity(in.scope(), changes, in.reconciliation(),
                        rules.reasonCategories())
                .join(opps.select(col(O_ID), col(WORKFLOW).as(STORY_WORKFLOW)),
                        col(ThreeNumberBridge.OPPORTUNITY).equalTo(col(O_ID)), "inner")
                .groupBy(col(STORY_WORKFLOW)).agg(
                        sum(ThreeNumberBridge.STORY_AMOUNT).cast(MONEY).as("marketing_number"),
                        sum(when(col(ThreeNumberBridge.ACCEPTED), col(ThreeNumberBridge.STORY_AMOUNT))).cast(MONEY)
                                .as("sales_number"),
                        sum(ThreeNumberBridge.BOOKED).cast(MONEY).as("finance_number"),
                        storySum(ThreeNumberBridge.STATUS, ThreeNumberBridge.LOST).as("sourced_lost"),
                        sum(when(col(ThreeNumberBridge.STATUS).equalTo(ThreeNumberBridge.LOST)
                                .and(col(ThreeNumberBridge.DISQUALIFIED)), col(ThreeNumberBridge.STORY_AMOUNT)))
                                .cast(MONEY).as("sourced_disqualified"),
                        storySum(ThreeNumberBridge.STATUS, ThreeNumberBridge.OPEN).as("sourced_open"),
                        storySum(ThreeNumberBridge.STATUS, ThreeNumberBridge.WON).as("sourced_won"),
                        storySum(ThreeNumberBridge.BOOKING, ThreeNumberBridge.AS_CLAIMED).as("won_as_claimed"),
                        storySum(ThreeNumberBridge.BOOKING, ThreeNumberBridge.DIFFERENTLY).as("won_booked_differently"),
                        storySum(ThreeNumberBridge.BOOKING, ThreeNumberBridge.NOT_BOOKED).as("won_not_booked"));
        return population
                .join(layerValues, col(WORKFLOW).equalTo(col(LAYER_WORKFLOW)), "left")
                .join(wonValue, col(WORKFLOW).equalTo(col(WON_WORKFLOW)), "left")
                .join(story, col(WORKFLOW).equalTo(col(STORY_WORKFLOW)), "left")
                .join(unlogged, col(WORKFLOW).equalTo(col(UNLOGGED_WORKFLOW)), "left")
                .drop(LAYER_WORKFLOW, WON_WORKFLOW, STORY_WORKFLOW, UNLOGGED_WORKFLOW);
    }

    /** The sourced amount of the story rows whose {@code column} is {@code value}; 0 when none. */
    private static Column storySum(String column, String value) {
        return coalesce(sum(when(col(column).equalTo(value), col(ThreeNumberBridge.STORY_AMOUNT))), lit(0)).cast(MONEY);
    }

    /** Per workflow, handoff and primary failure: records and how many reached the outcome. */
    private static Dataset<Row> handoffCounts(Dataset<Row> handoffRows) {
        return handoffRows.groupBy(col(WORKFLOW), col(HandoffTables.HANDOFF), col(HandoffTables.PRIMARY_FAILURE))
                .agg(org.apache.spark.sql.functions.count(lit(1)).as(RECORDS),
                        count_if(col(HandoffTables.OUTCOME_REACHED)).as("won"));
    }

    /** Company-wide: modeled bookings against the recomputation, over all periods both publish. */
    private static Dataset<Row> warehouse(Dataset<Row> metrics) {
        String metric = dev.handshake.audit.reconciliation.ReconciliationTables.METRIC;
        String segment = dev.handshake.audit.reconciliation.ReconciliationTables.SEGMENT;
        String modeled = dev.handshake.audit.reconciliation.ReconciliationTables.MODELED_VALUE;
        String recomputed = dev.handshake.audit.reconciliation.ReconciliationTables.RECOMPUTED_VALUE;
        Column compared = col(metric).equalTo(
                dev.handshake.audit.reconciliation.ReconciliationTables.METRIC_BOOKINGS)
                .and(col(segment).equalTo("*")).and(col(modeled).isNotNull());
        return metrics.filter(compared).agg(
                count_if(lit(true)).as("periods"),
                sum(abs(col(modeled).minus(coalesce(col(recomputed), lit(0))))).cast(MONEY).as("drift"),
                sum(abs(coalesce(col(recomputed), lit(0)))).cast(MONEY).as("recomputed"));
    }
}
