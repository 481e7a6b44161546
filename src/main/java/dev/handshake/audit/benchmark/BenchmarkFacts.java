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
        Dataset<Row> opps = materialize.apply(in.scope().select(col(OpportunityScope.ID).as("__o_id"),
                col(OpportunityScope.LEAD_ID).as("__o_lead"),
                col(OpportunityScope.AMOUNT_REPORTING).as("__o_amount"),
                col(OpportunityScope.AMOUNT_RESOLVED).as("__o_resolved"),
                col(OpportunityScope.WON_ON).as("__o_won_on"),
                col(OpportunityScope.LEAD_CAMPAIGN_ID).as("__o_lead_campaign"),
                col(OpportunityScope.PREFIX + "campaign_id").as("__o_campaign"),
                explode(col(OpportunityScope.WORKFLOWS)).as(WORKFLOW)));
        Optional<Dataset<Row>> overrides = in.fieldHistory()
                .map(h -> materialize.apply(overridesPerObject(h, in.users(), rules)));
        Dataset<Row> changes = in.changes();
        Dataset<Row> recon = in.reconciliation().filter(col(OPPORTUNITY_ID).isNotNull())
                .select(col(OPPORTUNITY_ID).as("__r_opp"), col(CATEGORY).as("__r_category"),
                        col(CRM_AMOUNT).as("__r_crm"), col(LAG_DAYS).as("__r_lag"),
                        col(dev.handshake.audit.reconciliation.ReconciliationTables.VARIANCE).as("__r_variance"));
        Dataset<Row> won = materialize.apply(opps.filter(col("__o_won_on").isNotNull())
                .join(recon, col("__o_id").equalTo(col("__r_opp")), "left"));
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
                won.filter(col("__r_category").isNotNull()).groupBy(col(WORKFLOW), col("__r_category").as(CATEGORY))
                        .agg(org.apache.spark.sql.functions.count(lit(1)).as(RECORDS),
                                sum(coalesce(col("__r_crm"), lit(0))).cast(MONEY).as("crm_value")),
                warehouse(in.metrics()),
                acknowledgedBreaks.map(ids -> dimensions(acknowledgedAsMatched(won, in.reconciliation(), ids, rules),
                        rules.settings().evidenceIds())), in.basis());
    }

    /** The reconciliation-fed facts of {@code won} with the acknowledged breaks' rows as MATCHED. */
    private static Dataset<Row> acknowledgedAsMatched(Dataset<Row> won, Dataset<Row> reconciliation,
                                                      Dataset<Row> breakIds, Rules rules) {
        // Acknowledged breaks are one per acknowledgement that holds: few, broadcast both ways.
        Dataset<Row> acknowledged = reconciliation.filter(col(OPPORTUNITY_ID).isNotNull())
                .join(broadcast(breakIds.select(col(LedgerTables.BREAK_ID).as("__k_break"))),
                        BreakId.of(col(OPPORTUNITY_ID), col(BOOKING_IDS)).equalTo(col("__k_break")), "left_semi")
                .select(col(OPPORTUNITY_ID).as("__k_opp"));
        Dataset<Row> marked = won.join(broadcast(acknowledged), col("__o_id").equalTo(col("__k_opp")), "left")
                .withColumn("__k_acknowledged", col("__k_opp").isNotNull()).drop("__k_opp")
                .withColumn("__r_category", when(col("__k_acknowledged"), lit(MATCHED)).otherwise(col("__r_category")));
        return financeLag(marked.filter(col("__k_acknowledged").and(col("__r_lag").isNull()).equalTo(false)), rules)
                .unionByName(repeatability(marked));
    }

    /** Rows that carry their workflows, one row per workflow ({@link #WORKFLOW}); none for no workflow. */
    private static Dataset<Row> perWorkflow(Dataset<Row> rows) {
        return rows.withColumn(WORKFLOW, explode(col(WorkflowPopulation.WORKFLOWS))).drop(WorkflowPopulation.WORKFLOWS);
    }

    /** Journey rows of leads with a per-lead finding (small, broadcast), one row per workflow of the lead. */
    private static Dataset<Row> leadMembers(Dataset<Row> leads, Dataset<Row> perLead, Column on) {
        return perWorkflow(leads.select(col("lead_id").as("__m_lead"), col(WorkflowPopulation.WORKFLOWS))
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
                fact.as("__f"), unresolved.as(UNRESOLVED), noValue.as(NO_VALUE))
                .select(col(WORKFLOW), col(DIMENSION), col(RECORD_ID), col("__f.*"), col(UNRESOLVED), col(NO_VALUE));
    }

    private static Column one(Column condition) {
        return when(condition, lit(1)).otherwise(lit(0));
    }

    /** Opportunities whose lead carried a campaign: does the opportunity still carry one? */
    private static Dataset<Row> captureLinkage(Dataset<Row> opps) {
        Column survived = col("__o_campaign").isNotNull();
        return facts(opps.filter(col("__o_lead_campaign").isNotNull()), Dimension.CAPTURE_LINKAGE, col("__o_id"),
                fact(lit(1), one(survived), lit(1), lit(null), survived.equalTo(false), lit(0)));
    }

    /** Workflow leads with any stage anomaly on the lead or on its opportunity. */
    private static Dataset<Row> stageConsistency(Inputs in, Dataset<Row> changes) {
        // The opportunities with an anomaly are few: broadcast to the journey rows, which carry
        // their workflows and are exploded in place.
        Dataset<Row> anomalousOpps = changes.filter(stageAnomaly()).select(col(OpportunityChanges.ID).as("__a_opp"));
        Dataset<Row> leads = perWorkflow(in.leads()
                .join(broadcast(anomalousOpps), col(LeadJourney.OPPORTUNITY_ID).equalTo(col("__a_opp")), "left"));
        Column anomaly = col(LEAD_ANOMALY).or(col("__a_opp").isNotNull());
        return facts(leads, Dimension.STAGE_CONSISTENCY, col("lead_id"),
                fact(lit(1), one(anomaly), lit(1), lit(null), anomaly, lit(0)));
    }

    /** Manual changes (author not a SYSTEM user) to governed fields by the end of as_of. */
    private static Dataset<Row> manualChanges(Dataset<Row> history, Dataset<Row> users, Rules rules) {
        Dataset<Row> roles = broadcast(dev.handshake.audit.UserRoles.of(users, rules.roles(), "__user", "__roles"));
        return history.filter(col("changed_at").lt(lit(rules.window().endExclusive()))
                        .and(col("field").isin(rules.settings().governedFields().toArray())))
                .join(roles, col("changed_by").equalTo(col("__user")), "left")
                // No author, or an author not in users, is not provably automated: counted as manual.
                .filter(dev.handshake.audit.UserRoles.onlySystem(col("__roles")).equalTo(false))
                .withColumn("__logged", coalesce(length(trim(col("change_reason"))).gt(0), lit(false)))
                .withColumn("__object_type", lower(trim(col("object_type"))));
    }

    private static Dataset<Row> overridesPerObject(Dataset<Row> history, Dataset<Row> users, Rules rules) {
        Column capture = col("field").isin(rules.settings().captureFields().toArray());
        Column unlogged = col("__logged").equalTo(false);
        return manualChanges(history, users, rules)
                .groupBy(col("__object_type").as("__v_type"), col("object_id").as("__v_id"))
                .agg(org.apache.spark.sql.functions.count(lit(1)).as("__v_changes"),
                        count_if(col("__logged")).as("__v_logged"),
                        count_if(unlogged.and(capture)).as("__v_unlogged_capture"),
                        count_if(unlogged.and(capture.equalTo(false))).as("__v_unlogged_crm"));
    }

    private static Dataset<Row> overrideDiscipline(Dataset<Row> overrides, Dataset<Row> leads, Dataset<Row> opps) {
        Dataset<Row> onLeads = leadMembers(leads, overrides.filter(col("__v_type").equalTo("lead")),
                col("__m_lead").equalTo(col("__v_id")));
        Dataset<Row> onOpps = opps.select(col("__o_id"), col(WORKFLOW)).join(
                overrides.filter(col("__v_type").equalTo("opportunity")), col("__o_id").equalTo(col("__v_id")), "inner");
        Column unlogged = col("__v_changes").minus(col("__v_logged"));
        Column f = fact(col("__v_changes"), col("__v_logged"), col("__v_changes"), lit(null), unlogged.gt(0), unlogged);
        return facts(onLeads, Dimension.OVERRIDE_DISCIPLINE, col("__v_id"), f)
                .unionByName(facts(onOpps, Dimension.OVERRIDE_DISCIPLINE, col("__v_id"), f));
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
                    .filter(col("field").equalTo("owner_id").and(col("__logged").equalTo(false)))
                    .groupBy(col("object_id").as("__c_id")).agg(max(col("changed_at")).as("__c_last"));
            rows = rows.join(broadcast(lastOwnerChange), col(HandoffTables.OWNER_RECORD_ID).equalTo(col("__c_id")),
                    "left");
            reowned = coalesce(col("__c_last").geq(coalesce(col(HandoffTables.ENTERED_AT),
                    col(HandoffTables.OWNER_RECORD_SINCE))), lit(false));
        }
        Column clear = col(HandoffTables.OWNER_NAMED).and(reowned.equalTo(false));
        return facts(perWorkflow(rows), Dimension.OWNER_CLARITY,
                concat(col(HandoffTables.HANDOFF), lit(":"), col(HandoffTables.RECORD_ID)),
                fact(lit(1), one(clear), lit(1), lit(null), clear.equalTo(false), lit(0)));
    }

    /** Won opportunities: days from close to the first visible booking, or elapsed so far if none. */
    private static Dataset<Row> financeLag(Dataset<Row> won, Rules rules) {
        Column lag = greatest(lit(0), coalesce(col("__r_lag"),
                datediff(lit(rules.window().asOf()), col("__o_won_on"))));
        double clean = rules.settings().thresholds(Dimension.FINANCE_LAG).score1().doubleValue();
        return facts(won, Dimension.FINANCE_LAG, col("__o_id"),
                fact(lit(1), lit(0), lit(0), lag, lag.gt(clean), lag));
    }

    /** Won value (reporting currency) by whether its category is matched or deterministically explained. */
    private static Dataset<Row> repeatability(Dataset<Row> won) {
        Column explained = coalesce(col("__r_category").isin(EXPLAINED.toArray()), lit(false));
        Column value = coalesce(col("__r_crm"), lit(0));
        return facts(won.filter(col("__r_category").isNotNull()), Dimension.RECONCILIATION_REPEATABILITY,
                col("__o_id"), moneyFact(lit(1), when(explained, value).otherwise(lit(0)), value,
                        explained.equalTo(false), abs(value)),
                col("__r_category").equalTo(CURRENCY_UNRESOLVED),
                col("__r_crm").isNull().and(col("__r_category").notEqual(CURRENCY_UNRESOLVED)));
    }

    /**
     * One aggregate over the facts, so each fact is computed once: the sums, the lag p90 (only
     * finance lag has lags; percentile skips nulls) and the evidence, the facts that count against
     * the dimension ranked worst first (largest sort key, then record id), kept in a bounded heap.
     */
    private static Dataset<Row> dimensions(Dataset<Row> facts, int evidenceIds) {
        // The smallest of (no sort key, -sort key, record id) is the worst fact first.
        Column rank = when(col(AGAINST), struct(col(SORT_KEY).isNull().as("__no_key"),
                negate(col(SORT_KEY)).as("__worst"), col(RECORD_ID).as("__id")));
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
        Column resolved = col("__o_resolved").and(col("__o_amount").isNotNull());
        Dataset<Row> perOpp = opps.join(changes, col("__o_id").equalTo(col(OpportunityChanges.ID)), "left");
        Column captureOverride = lit(false);
        Column crmOverride = lit(false);
        if (overrides.isPresent()) {
            Dataset<Row> o = overrides.get();
            Dataset<Row> onOpp = o.filter(col("__v_type").equalTo("opportunity"))
                    .select(col("__v_id").as("__vo_id"), col("__v_unlogged_capture").as("__vo_cap"),
                            col("__v_unlogged_crm").as("__vo_crm"));
            Dataset<Row> onLead = o.filter(col("__v_type").equalTo("lead"))
                    .select(col("__v_id").as("__vl_id"), col("__v_unlogged_capture").as("__vl_cap"),
                            col("__v_unlogged_crm").as("__vl_crm"));
            perOpp = perOpp.join(onOpp, col("__o_id").equalTo(col("__vo_id")), "left")
                    .join(onLead, col("__o_lead").equalTo(col("__vl_id")), "left");
            captureOverride = coalesce(col("__vo_cap"), lit(0L)).plus(coalesce(col("__vl_cap"), lit(0L))).gt(0);
            crmOverride = coalesce(col("__vo_crm"), lit(0L)).plus(coalesce(col("__vl_crm"), lit(0L))).gt(0);
        }
        Column linkageLost = col("__o_lead_campaign").isNotNull().and(col("__o_campaign").isNull());
        Column staged = stageAnomaly();
        // Materiality compares like with like: the won value these findings touch, against won value.
        Column isWon = col("__o_won_on").isNotNull();
        Column amount = when(resolved, col("__o_amount"));
        Column captureHit = isWon.and(linkageLost.or(captureOverride));
        Column crmHit = isWon.and(staged.or(crmOverride));
        Dataset<Row> layerValues = perOpp.groupBy(col(WORKFLOW).as("__l_w")).agg(
                sum(when(captureHit, amount)).cast(MONEY).as("capture_value"),
                count_if(captureHit).as("capture_records"),
                sum(when(crmHit, amount)).cast(MONEY).as("crm_value"),
                count_if(crmHit).as("crm_records"));
        Dataset<Row> unlogged;
        if (overrides.isPresent()) {
            Dataset<Row> o = overrides.get();
            Dataset<Row> onLeads = leadMembers(in.leads(), o.filter(col("__v_type").equalTo("lead")),
                    col("__m_lead").equalTo(col("__v_id"))).select(col(WORKFLOW), col("__v_unlogged_capture"),
                    col("__v_unlogged_crm"));
            Dataset<Row> onOpps = opps.select(col("__o_id"), col(WORKFLOW)).join(
                    o.filter(col("__v_type").equalTo("opportunity")), col("__o_id").equalTo(col("__v_id")), "inner")
                    .select(col(WORKFLOW), col("__v_unlogged_capture"), col("__v_unlogged_crm"));
            unlogged = onLeads.unionByName(onOpps).groupBy(col(WORKFLOW).as("__g_w")).agg(
                    sum("__v_unlogged_capture").as("unlogged_capture_changes"),
                    sum("__v_unlogged_crm").as("unlogged_crm_changes"));
        } else {
            unlogged = opps.sparkSession().emptyDataFrame().select(lit("").as("__g_w"),
                    lit(0L).as("unlogged_capture_changes"), lit(0L).as("unlogged_crm_changes"));
        }
        Dataset<Row> wonValue = won.groupBy(col(WORKFLOW).as("__w_w")).agg(
                sum(when(resolved, col("__o_amount"))).cast(MONEY).as("won_value"),
                count_if(resolved).as("won_deals"),
                count_if(resolved.equalTo(false)).as("won_unresolved"));
        Dataset<Row> story = ThreeNumberBridge.perOpportunity(in.scope(), changes, in.reconciliation(),
                        rules.reasonCategories())
                .join(opps.select(col("__o_id"), col(WORKFLOW).as("__s_w")),
                        col(ThreeNumberBridge.OPPORTUNITY).equalTo(col("__o_id")), "inner")
                .groupBy(col("__s_w")).agg(
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
                .join(layerValues, col(WORKFLOW).equalTo(col("__l_w")), "left")
                .join(wonValue, col(WORKFLOW).equalTo(col("__w_w")), "left")
                .join(story, col(WORKFLOW).equalTo(col("__s_w")), "left")
                .join(unlogged, col(WORKFLOW).equalTo(col("__g_w")), "left")
                .drop("__l_w", "__w_w", "__s_w", "__g_w");
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
