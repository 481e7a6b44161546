package dev.handshake.audit.handoff;

import static dev.handshake.audit.handoff.HandoffTables.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.handshake.model.AuditWindow;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.NamesWhere;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.UserRoles;
import dev.handshake.model.Stage;
import dev.handshake.config.HandoffContract;
import dev.handshake.config.HandoffContract.ReasonSource;
import dev.handshake.config.HandoffContract.RecordKind;
import dev.handshake.config.LabelMapping;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Handoff contracts and their three failures (section 2): one row per record and handoff, the
 * revenue impact per handoff, failure type and segment, and the handoff map.
 *
 * <p>Impact is computed from exact counts and sums, dividing once at the end:
 * {@code upper = failed * S / n} and {@code expected = max(0, S * (wonClean * failed - wonFailed * clean) / (n * clean))},
 * where S and n are the sum and count of the segment's won amounts in reporting currency; both are
 * rounded half-up to cents. This is the spec's formula with the win rates multiplied out, so no
 * rounded intermediate rate moves a figure by a cent.
 */
public final class HandoffAudit {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__handoff_";
    private static final String OWNER_ROLE = PREFIX + "owner_role";
    private static final String OPP_OWNER_ROLE = PREFIX + "opp_owner_role";
    private static final String COMPLETED_COUNT = PREFIX + "completed";
    private static final String COMPLETE_COUNT = PREFIX + "complete";
    private static final String DISPOSED_COUNT = PREFIX + "disposed";
    private static final String DUE_COUNT = PREFIX + "due";
    private static final String EVALUATED_COUNT = PREFIX + "evaluated";
    private static final String HANDOFF_KEY = PREFIX + "h";
    private static final String LATENCY_QUANTILES = PREFIX + "latency_quantiles";
    private static final String MET_COUNT = PREFIX + "met";
    private static final String OWNED_COUNT = PREFIX + "owned";
    private static final String ROLE = PREFIX + "role";
    private static final String ROLE_USER = PREFIX + "user";
    private static final String VALID_COUNT = PREFIX + "valid";
    private static final String WON_SEGMENT = PREFIX + "won_segment";
    private static final String WON_SUM = PREFIX + "won_sum";
    private static final String WON_UNRESOLVED = PREFIX + "won_unresolved";

    private HandoffAudit() {}

    /** The three handoff tables. */
    public record Result(Dataset<Row> failures, Dataset<Row> impact, Dataset<Row> map) {
        public Result {
            requireNonNull(failures, "failures is null");
            requireNonNull(impact, "impact is null");
            requireNonNull(map, "map is null");
        }
    }

    /**
     * What the handoffs are judged by.
     *
     * @param rolesKnown false when there is no users table: the receiving role cannot be judged, so
     *                   a record's owner counts as named when it has one (docs/coverage.md)
     */
    public record Context(List<HandoffContract> handoffs, LabelMapping roles, LabelMapping reasonCategories,
                          AuditWindow window, boolean rolesKnown) {
        public Context {
            handoffs = List.copyOf(requireNonNull(handoffs, "handoffs is null"));
            requireNonNull(roles, "roles is null");
            requireNonNull(reasonCategories, "reasonCategories is null");
            requireNonNull(window, "window is null");
        }
    }

    /**
     * @param scope the run's opportunities ({@link OpportunityScope})
     * @param users the users table (canonical columns)
     */
    public static Result run(LeadJourney journey, Dataset<Row> scope, Dataset<Row> users, Context context) {
        List<HandoffContract> handoffs = context.handoffs();
        Dataset<Row> userRoles = broadcast(UserRoles.of(users, context.roles(), ROLE_USER, ROLE));
        Dataset<Row> oppView = withRole(scope, userRoles, col(OpportunityScope.PREFIX + "owner_id"), OPP_OWNER_ROLE)
                .withColumn(LeadJourney.evidence(Stage.OPPORTUNITY), col(OpportunityScope.PREFIX + "created_at"))
                .withColumn(LeadJourney.evidence(Stage.WON), to_timestamp(col(OpportunityScope.WON_ON)))
                .withColumn(LeadJourney.evidence(Stage.BOOKED), to_timestamp(col(OpportunityScope.FIRST_BOOKED_ON)));
        Dataset<Row> leadView = withRole(withRole(
                journey.leads().join(scope, col(LeadJourney.OPPORTUNITY_ID).equalTo(col(OpportunityScope.ID)), "left"),
                userRoles, col("owner_id"), OWNER_ROLE),
                userRoles, col(OpportunityScope.PREFIX + "owner_id"), OPP_OWNER_ROLE);

        Dataset<Row> failures = null;
        for (HandoffContract h : handoffs) {
            Dataset<Row> rows = evaluate(h, context.rolesKnown(), h.record() == RecordKind.LEAD ? leadView : oppView,
                    context.reasonCategories(), context.window());
            failures = failures == null ? rows : failures.unionByName(rows, true);
        }
        if (failures == null) {
            throw new IllegalArgumentException("Invalid handoffs: none configured");
        }
        return summarize(failures, scope, handoffs);
    }

    /**
     * Impact and map from already evaluated failure rows (the job passes its checkpointed copy, so
     * both summaries start from it instead of re-evaluating every handoff).
     */
    public static Result summarize(Dataset<Row> failures, Dataset<Row> scope, List<HandoffContract> handoffs) {
        return new Result(failures, impact(failures, scope), map(failures, handoffs));
    }

    /** Lead columns the handoffs read beyond {@link LeadJourney#AUDITED_LEAD_COLUMNS}: required fields on leads. */
    public static List<String> leadFields(List<HandoffContract> handoffs) {
        return handoffs.stream().filter(h -> h.record() == RecordKind.LEAD && h.fieldsOn() == RecordKind.LEAD)
                .flatMap(h -> h.requiredFields().stream()).distinct().toList();
    }

    private static Dataset<Row> withRole(Dataset<Row> rows, Dataset<Row> userRoles, Column owner, String as) {
        return rows.join(userRoles, owner.equalTo(col(ROLE_USER)), "left")
                .withColumnRenamed(ROLE, as).drop(ROLE_USER);
    }

    /**
     * The receiving record exists, and since when: the creation instant of the lead or opportunity
     * that carries the fields or the owner (null when it does not exist by as_of, e.g. a lead not
     * yet converted into an opportunity). The one rule for payload judging and owner changes.
     */
    private static Column receivingSince(RecordKind on) {
        return on == RecordKind.LEAD ? col("created_at") : col(OpportunityScope.PREFIX + "created_at");
    }

    /**
     * The record reached {@code stage}: for a lead the funnel's rule ({@link LeadJourney#reached},
     * evidence of the stage or a later one); an opportunity carries its own evidence columns.
     */
    private static Column reached(RecordKind record, Stage stage) {
        return record == RecordKind.LEAD ? LeadJourney.reached(stage)
                : col(LeadJourney.evidence(stage)).isNotNull();
    }

    private static Column field(RecordKind on, String name) {
        return on == RecordKind.LEAD ? col(name) : col(OpportunityScope.PREFIX + name);
    }

    private static Dataset<Row> evaluate(HandoffContract h, boolean rolesKnown, Dataset<Row> view,
                                         LabelMapping reasonCategories, AuditWindow window) {
        Column entry = col(LeadJourney.evidence(h.entryStage()));
        Column action = col(LeadJourney.evidence(h.actionStage()));
        long slaMicros = h.sla().toNanos() / 1000;
        Column slaAt = timestamp_micros(unix_micros(entry).plus(lit(slaMicros)));
        // A lead that reached the entry stage only through later evidence has no entry instant:
        // it entered, but its SLA cannot be measured, and it is not called a failure for that.
        Column status = when(entry.isNull(), lit(NOT_MEASURABLE))
                .when(action.isNotNull(), when(action.leq(slaAt), lit(MET)).otherwise(lit(BREACHED)))
                .when(slaAt.lt(lit(window.endExclusive())), lit(NEVER))
                .otherwise(lit(PENDING_STATUS));
        // An action logged before the entry instant counts as immediate, not as negative latency.
        Column latency = when(action.isNotNull().and(entry.isNotNull()), greatest(lit(0.0),
                unix_micros(action).minus(unix_micros(entry)).cast(DataTypes.DoubleType).divide(3.6e9)));

        Column missing = NamesWhere.of(h.requiredFields().stream().map(f -> field(h.fieldsOn(), f).isNull()).toList(),
                h.requiredFields());
        // The receiving record must exist before its payload can be judged; a missing one is a
        // timing matter (the action never happened), not an information failure. So payload-complete
        // % divides by the entries whose receiving record exists.
        missing = when(receivingSince(h.fieldsOn()).isNotNull(), missing);

        List<Column> reasons = new ArrayList<>();
        List<Column> disposed = new ArrayList<>();
        for (ReasonSource source : h.reasonSources()) {
            Column happened = source == ReasonSource.LEAD_REJECTION
                    ? window.happened(col("rejected_at")).isNotNull()
                    : col(OpportunityScope.LOST_ON).isNotNull();
            Column label = source == ReasonSource.LEAD_REJECTION
                    ? col("rejection_reason") : col(OpportunityScope.PREFIX + "loss_reason");
            reasons.add(when(happened, label));
            disposed.add(happened);
        }
        Column reason = reasons.isEmpty() ? lit(null).cast("string")
                : reasons.size() == 1 ? reasons.get(0) : coalesce(reasons.toArray(Column[]::new));
        Column isDisposed = disposed.stream().reduce(Column::or).orElse(lit(false));
        Column category = when(reason.isNotNull(), coalesce(reasonCategories.map(reason), lit(UNMAPPED)));

        Column info = coalesce(size(col(MISSING_FIELDS)).gt(0), lit(false))
                .or(coalesce(col(REASON_CATEGORY).equalTo("information"), lit(false)));
        Column timing = col(SLA_STATUS).isin(BREACHED, NEVER)
                .or(coalesce(col(REASON_CATEGORY).equalTo("timing"), lit(false)));
        Column qualification = coalesce(col(REASON_CATEGORY).equalTo("qualification"), lit(false));
        Column ownerRole = col(h.ownerOn() == RecordKind.LEAD ? OWNER_ROLE : OPP_OWNER_ROLE);
        Column recordId = h.record() == RecordKind.LEAD ? col("lead_id") : col(OpportunityScope.ID);
        Column segment = h.record() == RecordKind.LEAD ? col("segment") : col(OpportunityScope.SEGMENT);

        Column entered = h.record() == RecordKind.LEAD
                ? col(LeadJourney.REACHED_ORDER).geq(h.entryStage().order()) : entry.isNotNull();
        List<Column> evaluated = new ArrayList<>(List.of(lit(h.name()).as(HANDOFF), recordId.as(RECORD_ID),
                        coalesce(segment, lit(LeadJourney.UNKNOWN)).as(SEGMENT),
                        missing.as(MISSING_FIELDS), status.as(SLA_STATUS), latency.as(LATENCY_HOURS),
                        reason.as(REASON), category.as(REASON_CATEGORY), isDisposed.as(DISPOSED),
                        field(h.ownerOn(), "owner_id").isNotNull().and(coalesce(
                                rolesKnown ? UserRoles.holdsAny(ownerRole, h.receivingRoles()) : lit(true),
                                lit(false))).as(OWNER_NAMED),
                        reached(h.record(), h.completionStage()).as(COMPLETED),
                        reached(h.record(), h.outcomeStage()).as(OUTCOME_REACHED),
                        entry.as(ENTERED_AT),
                        (h.ownerOn() == RecordKind.LEAD ? col("lead_id") : col(OpportunityScope.ID)).as(OWNER_RECORD_ID),
                        receivingSince(h.ownerOn()).as(OWNER_RECORD_SINCE)));
        // With a tagged journey each row also carries its record's workflows: the benchmark reads
        // them from the row instead of joining every row back to the workflow members. The
        // published table is HandoffTables.published(rows).
        String workflows = h.record() == RecordKind.LEAD ? LeadJourney.WORKFLOWS : OpportunityScope.WORKFLOWS;
        boolean tagged = java.util.Arrays.asList(view.columns()).contains(workflows);
        if (tagged) {
            evaluated.add(col(workflows).as(LeadJourney.WORKFLOWS));
        }
        List<Column> out = new ArrayList<>(FAILURE_COLUMNS.stream().map(c -> col(c)).toList());
        out.add(col(OWNER_RECORD_SINCE));
        if (tagged) {
            out.add(col(LeadJourney.WORKFLOWS));
        }
        return view.filter(entered).select(evaluated.toArray(Column[]::new))
                .withColumn(REASON_VALID, col(DISPOSED).and(coalesce(
                        col(REASON_CATEGORY).isin(h.acceptedReasonCategories().toArray()), lit(false))))
                .withColumn(INFORMATION_FAILURE, info)
                .withColumn(TIMING_FAILURE, timing)
                .withColumn(QUALIFICATION_FAILURE, qualification)
                .withColumn(PRIMARY_FAILURE, when(col(INFORMATION_FAILURE), lit("INFORMATION"))
                        .when(col(TIMING_FAILURE), lit("TIMING"))
                        .when(col(QUALIFICATION_FAILURE), lit("QUALIFICATION"))
                        .otherwise(lit("NONE")))
                .select(out.toArray(Column[]::new));
    }

    private static final List<String[]> FAILURE_TYPES = List.of(
            new String[] {"INFORMATION", INFORMATION_FAILURE},
            new String[] {"TIMING", TIMING_FAILURE},
            new String[] {"QUALIFICATION", QUALIFICATION_FAILURE});

    private static Dataset<Row> impact(Dataset<Row> failures, Dataset<Row> scope) {
        Column clean = col(INFORMATION_FAILURE).or(col(TIMING_FAILURE)).or(col(QUALIFICATION_FAILURE)).equalTo(false);
        Column outcome = col(OUTCOME_REACHED);
        List<Column> aggs = new ArrayList<>();
        List<Column> types = new ArrayList<>();
        for (String[] t : FAILURE_TYPES) {
            aggs.add(count_if(col(t[1])).as("f_" + t[0]));
            aggs.add(count_if(col(t[1]).and(outcome)).as("w_" + t[0]));
            types.add(struct(lit(t[0]).as(FAILURE_TYPE), col("f_" + t[0]).as(RECORDS),
                    col("w_" + t[0]).as(WON_FAILED)));
        }
        aggs.add(count_if(clean).as(CLEAN_RECORDS));
        aggs.add(count_if(clean.and(outcome)).as(WON_CLEAN));
        Dataset<Row> counts = failures.groupBy(HANDOFF, SEGMENT)
                .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
                .select(col(HANDOFF), col(SEGMENT), col(CLEAN_RECORDS), col(WON_CLEAN),
                        explode(array(types.toArray(Column[]::new))).as("t"))
                .select(col(HANDOFF), col(SEGMENT), col(CLEAN_RECORDS), col(WON_CLEAN), col("t.*"))
                .filter(col(RECORDS).gt(0));

        Column resolved = col(OpportunityScope.AMOUNT_RESOLVED).and(col(OpportunityScope.AMOUNT_REPORTING).isNotNull());
        Dataset<Row> won = scope.filter(col(OpportunityScope.WON_ON).isNotNull())
                .groupBy(col(OpportunityScope.SEGMENT).as(WON_SEGMENT))
                .agg(count_if(resolved).as(WON_DEALS),
                        sum(when(resolved, col(OpportunityScope.AMOUNT_REPORTING))).as(WON_SUM),
                        count_if(resolved.equalTo(false)).as(WON_UNRESOLVED));

        Column n = col(WON_DEALS);
        Column s = col(WON_SUM);
        Column f = col(RECORDS).cast("decimal(20,0)");
        Column c = col(CLEAN_RECORDS).cast("decimal(20,0)");
        Column lift = col(WON_CLEAN).cast("decimal(20,0)").multiply(f)
                .minus(col(WON_FAILED).cast("decimal(20,0)").multiply(c));
        Column hasAvg = coalesce(n, lit(0L)).gt(0);
        return counts.join(broadcast(won), col(SEGMENT).equalTo(col(WON_SEGMENT)), "left")
                .withColumn(WIN_RATE_FAILED, col(WON_FAILED).cast(DataTypes.DoubleType).divide(col(RECORDS)))
                .withColumn(WIN_RATE_CLEAN, when(col(CLEAN_RECORDS).gt(0),
                        col(WON_CLEAN).cast(DataTypes.DoubleType).divide(col(CLEAN_RECORDS))))
                .withColumn(AVG_WON_AMOUNT, when(hasAvg, round(s.divide(n), 2)))
                .withColumn(IMPACT_UPPER_BOUND, when(hasAvg, round(s.multiply(f).divide(n), 2)))
                .withColumn(IMPACT_EXPECTED, when(hasAvg.and(col(CLEAN_RECORDS).gt(0)),
                        when(lift.gt(0), round(s.multiply(lift).divide(n.cast("decimal(20,0)").multiply(c)), 2))
                                .otherwise(lit(0).cast("decimal(20,2)"))))
                .withColumn(WON_DEALS, coalesce(n, lit(0L)))
                .withColumn(NOTE, when(hasAvg.equalTo(false), lit("no won deal with a convertible amount in "
                        + "this segment: impact not computed"))
                        .when(col(CLEAN_RECORDS).equalTo(0), lit("no clean record to compare with: expected "
                                + "impact not computed"))
                        .when(coalesce(col(WON_UNRESOLVED), lit(0L)).gt(0), org.apache.spark.sql.functions.concat(
                                col(WON_UNRESOLVED).cast("string"),
                                lit(" won deal(s) without a usable FX rate left out of the average"))))
                .withColumn(AVG_WON_AMOUNT, col(AVG_WON_AMOUNT).cast("decimal(20,2)"))
                .withColumn(IMPACT_UPPER_BOUND, col(IMPACT_UPPER_BOUND).cast("decimal(20,2)"))
                .withColumn(IMPACT_EXPECTED, col(IMPACT_EXPECTED).cast("decimal(20,2)"))
                .select(IMPACT_COLUMNS.stream().map(x -> col(x)).toArray(Column[]::new));
    }

    private static Column pct(Column part, Column whole) {
        return when(whole.gt(0), round(part.cast(DataTypes.DoubleType).multiply(100.0).divide(whole), 2));
    }

    private static Dataset<Row> map(Dataset<Row> failures, List<HandoffContract> handoffs) {
        Column evaluated = col(MISSING_FIELDS).isNotNull();
        Dataset<Row> agg = failures.groupBy(col(HANDOFF).as(HANDOFF_KEY)).agg(
                org.apache.spark.sql.functions.count(lit(1)).as(ENTERED),
                count_if(evaluated).as(EVALUATED_COUNT),
                count_if(evaluated.and(size(col(MISSING_FIELDS)).equalTo(0))).as(COMPLETE_COUNT),
                count_if(col(SLA_STATUS).equalTo(MET)).as(MET_COUNT),
                count_if(col(SLA_STATUS).isin(MET, BREACHED, NEVER)).as(DUE_COUNT),
                count_if(col(SLA_STATUS).equalTo(PENDING_STATUS)).as(PENDING),
                count_if(col(SLA_STATUS).equalTo(NOT_MEASURABLE)).as(SLA_NOT_MEASURABLE),
                count_if(col(OWNER_NAMED)).as(OWNED_COUNT),
                // Both quantiles from one buffer of the latencies.
                percentile(col(LATENCY_HOURS), array(lit(0.5), lit(0.9))).as(LATENCY_QUANTILES),
                count_if(col(DISPOSED)).as(DISPOSED_COUNT),
                count_if(col(REASON_VALID)).as(VALID_COUNT),
                count_if(col(REASON_CATEGORY).equalTo(UNMAPPED)).as(UNMAPPED_REASONS),
                count_if(col(COMPLETED)).as(COMPLETED_COUNT));
        StructType info = new StructType().add(HANDOFF, DataTypes.StringType).add(SENDER, DataTypes.StringType)
                .add(RECEIVER, DataTypes.StringType).add(EXCEPTION_OWNER, DataTypes.StringType);
        List<Row> rows = handoffs.stream()
                .map(h -> RowFactory.create(h.name(), h.sender(), h.receiver(), h.exceptionOwner())).toList();
        Dataset<Row> contracts = failures.sparkSession().createDataFrame(rows, info);
        return contracts.join(agg, col(HANDOFF).equalTo(col(HANDOFF_KEY)), "left")
                .withColumn(ENTERED, coalesce(col(ENTERED), lit(0L)))
                .withColumn(MEDIAN_LATENCY_HOURS, col(LATENCY_QUANTILES).getItem(0))
                .withColumn(P90_LATENCY_HOURS, col(LATENCY_QUANTILES).getItem(1))
                .withColumn(PAYLOAD_COMPLETE_PCT, pct(col(COMPLETE_COUNT), col(EVALUATED_COUNT)))
                .withColumn(SLA_MET_PCT, pct(col(MET_COUNT), col(DUE_COUNT)))
                .withColumn(OWNER_NAMED_PCT, pct(col(OWNED_COUNT), col(ENTERED)))
                .withColumn(VALID_REJECTION_REASON_PCT, pct(col(VALID_COUNT), col(DISPOSED_COUNT)))
                .withColumn(COMPLETION_PCT, pct(col(COMPLETED_COUNT), col(ENTERED)))
                .withColumn(PENDING, coalesce(col(PENDING), lit(0L)))
                .withColumn(SLA_NOT_MEASURABLE, coalesce(col(SLA_NOT_MEASURABLE), lit(0L)))
                .withColumn(UNMAPPED_REASONS, coalesce(col(UNMAPPED_REASONS), lit(0L)))
                .select(MAP_COLUMNS.stream().map(x -> col(x)).toArray(Column[]::new));
    }
}
