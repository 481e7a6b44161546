package dev.handshake.audit.benchmark;

import static dev.handshake.audit.benchmark.BenchmarkTables.*;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.config.BenchmarkSettings;
import dev.handshake.config.HandoffContract;
import dev.handshake.config.Workflow;
import dev.handshake.model.Dimension;
import dev.handshake.model.Layer;
import dev.handshake.model.Stage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The handshake benchmark and first fork per workflow (sections 4 and 5). The facts are
 * aggregated by Spark into results bounded by the configuration (workflows x dimensions), which
 * are then scored and routed in plain Java, where every comparison is exact.
 */
public final class BenchmarkAudit {
    private static final String MONEY = "decimal(38,2)";

    private BenchmarkAudit() {}

    /** The biggest handoff failure of a workflow by expected impact. */
    public record TopFailure(String handoff, String failureType, long records, BigDecimal expectedImpact) {}

    /** The biggest funnel drop of a workflow (all cohort months). */
    public record Drop(String stage, long dropped, long entered) {}

    /**
     * The marketing-sourced pipeline taken apart so its arithmetic shows: sourced = lost + open +
     * won, and won = booked as claimed + booked differently + not booked (all CRM amounts in the
     * reporting currency); {@code disqualified} is the part of lost rejected for a qualification
     * reason. Null when the workflow has no sourced opportunity.
     */
    public record Dispute(BigDecimal sourced, BigDecimal lost, BigDecimal disqualified, BigDecimal open,
                          BigDecimal won, BigDecimal asClaimed, BigDecimal bookedDifferently, BigDecimal notBooked) {}

    /** Everything the review sheet and the CSV say about one workflow. */
    public record WorkflowReport(Workflow workflow, Map<Dimension, Scorecard.DimensionScore> scores,
                                 Scorecard.Total total, FirstFork.Findings findings, FirstFork.Fork fork,
                                 Drop biggestDrop, TopFailure topFailure, Dispute dispute) {}

    public record Result(Dataset<Row> benchmark, Dataset<Row> firstFork, List<WorkflowReport> reports) {}

    /**
     * What the workflows are scored against, besides the facts and the funnel.
     *
     * @param fieldHistoryPresent whether the night has a field_history table: without it manual
     *                            changes and re-owning cannot be seen, and the dimensions that read
     *                            them are not measured
     * @param financeAbsent       why nothing says whether a win reached finance (no bookings table),
     *                            empty when it is measured: the finance dimensions, the finance
     *                            layer's findings and the number in dispute are then not measured,
     *                            never zero
     * @param currency            the reporting currency, which the first fork's amounts are in
     */
    public record Context(List<Workflow> workflows, BenchmarkSettings settings, List<HandoffContract> handoffs,
                          boolean fieldHistoryPresent, Optional<String> financeAbsent, String currency) {
        public Context {
            workflows = List.copyOf(requireNonNull(workflows, "workflows is null"));
            requireNonNull(settings, "settings is null");
            handoffs = List.copyOf(requireNonNull(handoffs, "handoffs is null"));
            requireNonNull(financeAbsent, "financeAbsent is null");
            requireNonNull(currency, "currency is null");
        }
    }

    /**
     * @param funnel the run's audit_funnel rows (with the workflow cut)
     */
    public static Result run(BenchmarkFacts.Aggregates agg, Dataset<Row> funnel, Context context) {
        BenchmarkSettings settings = context.settings();
        boolean fieldHistoryPresent = context.fieldHistoryPresent();
        Optional<String> financeAbsent = context.financeAbsent();
        Map<String, Map<Dimension, Row>> dims = new HashMap<>();
        for (Row r : agg.dimensions().collectAsList()) {
            dims.computeIfAbsent(r.getAs(BenchmarkFacts.WORKFLOW), k -> new EnumMap<>(Dimension.class))
                    .put(dimension(r.getAs(BenchmarkFacts.DIMENSION)), r);
        }
        Map<String, Row> perWorkflow = new HashMap<>();
        for (Row r : agg.workflows().collectAsList()) {
            perWorkflow.put(r.getAs(BenchmarkFacts.WORKFLOW), r);
        }
        Map<String, List<Row>> handoffRows = new HashMap<>();
        agg.handoffs().ifPresent(h -> h.collectAsList().forEach(r ->
                handoffRows.computeIfAbsent(r.getAs(BenchmarkFacts.WORKFLOW), k -> new ArrayList<>()).add(r)));
        Map<String, List<Row>> categories = new HashMap<>();
        agg.categories().collectAsList().forEach(r ->
                categories.computeIfAbsent(r.getAs(BenchmarkFacts.WORKFLOW), k -> new ArrayList<>()).add(r));
        Row warehouse = agg.warehouse().collectAsList().get(0);
        Map<String, Drop> drops = new HashMap<>();
        funnel.filter(col(FunnelTable.CUT_DIMENSION).equalTo(FunnelTable.CUT_WORKFLOW)
                        .and(col(FunnelTable.COHORT_MONTH).equalTo(FunnelTable.ALL))
                        .and(col(FunnelTable.IS_BIGGEST_DROP)))
                .select(FunnelTable.CUT_VALUE, FunnelTable.STAGE, FunnelTable.DROPPED, FunnelTable.ENTERED)
                .collectAsList().forEach(r -> drops.put(r.getString(0), new Drop(r.getString(1), r.getLong(2), r.getLong(3))));

        List<WorkflowReport> reports = new ArrayList<>();
        for (Workflow w : context.workflows()) {
            Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(Dimension.class);
            for (Dimension d : Dimension.values()) {
                scores.put(d, financeAbsent.isPresent() && d.layer() == Layer.FINANCE_NORMALIZATION
                        ? new Scorecard.DimensionScore(w.name(), d, 0, null, null, List.of(), financeAbsent.get())
                        : score(w.name(), d, dims.getOrDefault(w.name(), Map.of()).get(d), settings,
                                fieldHistoryPresent, agg.basis()));
            }
            Scorecard.Total total = Scorecard.total(scores.values());
            Row wr = perWorkflow.get(w.name());
            List<Row> hs = handoffRows.getOrDefault(w.name(), List.of());
            BigDecimal wonValue = wr == null ? null : wr.getAs("won_value");
            long wonDeals = wr == null || wr.isNullAt(wr.fieldIndex("won_deals")) ? 0 : wr.<Long>getAs("won_deals");
            Map<String, Impact> impacts = impacts(hs, context.handoffs(), wonValue, wonDeals);
            BigDecimal qualification = null;
            TopFailure top = null;
            for (Map.Entry<String, Impact> e : impacts.entrySet()) {
                Impact i = e.getValue();
                if (i.expected() == null) {
                    continue;
                }
                if (i.beforeWin()) {
                    qualification = qualification == null ? i.expected() : qualification.add(i.expected());
                }
                if (top == null || i.expected().compareTo(top.expectedImpact()) > 0) {
                    top = new TopFailure(i.handoff(), i.type(), i.records(), i.expected());
                }
            }
            if (qualification == null && qualificationMeasured(hs, context.handoffs(), wonValue, wonDeals)) {
                // Handoffs before the win were evaluated and none failed: a measured zero, not "unknown".
                qualification = BigDecimal.ZERO.setScale(2);
            }
            BigDecimal[] finance = financeAbsent.isPresent() ? new BigDecimal[] {null, BigDecimal.ZERO, null,
                    BigDecimal.ZERO} : financeValues(categories.getOrDefault(w.name(), List.of()));
            boolean hasWarehouse = warehouse.<Long>getAs("periods") > 0;
            FirstFork.Findings findings = new FirstFork.Findings(w.name(), agg.basis(),
                    wr == null ? 0 : wr.<Long>getAs(BenchmarkFacts.POPULATION), wonValue, wonDeals,
                    zeroIfNull(wr, "capture_value"), longOf(wr, "capture_records"),
                    zeroIfNull(wr, "crm_value"), longOf(wr, "crm_records"),
                    longOf(wr, "unlogged_capture_changes"), longOf(wr, "unlogged_crm_changes"), qualification,
                    finance[0], finance[1].longValue(), finance[2], finance[3].longValue(),
                    hasWarehouse ? warehouse.getAs("drift") : null, hasWarehouse ? warehouse.getAs("recomputed") : null,
                    wr == null ? null : wr.getAs("marketing_number"), wr == null ? null : wr.getAs("sales_number"),
                    wr == null || financeAbsent.isPresent() ? null : wr.getAs("finance_number"));
            FirstFork.Fork fork = FirstFork.decide(findings, scores, settings, context.currency());
            if (financeAbsent.isPresent()) {
                fork = FirstFork.withoutDispute(fork);
            }
            Dispute dispute = wr == null || wr.getAs("marketing_number") == null || financeAbsent.isPresent() ? null
                    : new Dispute(wr.getAs("marketing_number"), wr.getAs("sourced_lost"),
                            zeroIfNull(wr, "sourced_disqualified"), wr.getAs("sourced_open"), wr.getAs("sourced_won"),
                            wr.getAs("won_as_claimed"), wr.getAs("won_booked_differently"), wr.getAs("won_not_booked"));
            reports.add(new WorkflowReport(w, scores, total, findings, fork, drops.get(w.name()), top, dispute));
        }
        SparkSession spark = agg.dimensions().sparkSession();
        return new Result(benchmarkRows(spark, reports, settings), forkRows(spark, reports), List.copyOf(reports));
    }

    /**
     * The reports as {@code --fail-on-band} reads them (docs/break-ledger.md, Alerts): each
     * workflow's {@link BenchmarkFacts#RECONCILIATION_FED} dimensions scored from
     * {@code acknowledgedAsMatched} (the acknowledged breaks as matched), its other dimensions as
     * published, and the total and band of those. Without acknowledged breaks, or without a bookings
     * table (the finance dimensions are then not measured either way), the published reports.
     */
    public static List<WorkflowReport> alertReports(List<WorkflowReport> published,
                                                    Optional<Dataset<Row>> acknowledgedAsMatched, Context context) {
        if (acknowledgedAsMatched.isEmpty() || context.financeAbsent().isPresent()) {
            return published;
        }
        Map<String, Map<Dimension, Row>> dims = new HashMap<>();
        for (Row r : acknowledgedAsMatched.get().collectAsList()) {
            dims.computeIfAbsent(r.getAs(BenchmarkFacts.WORKFLOW), k -> new EnumMap<>(Dimension.class))
                    .put(dimension(r.getAs(BenchmarkFacts.DIMENSION)), r);
        }
        List<WorkflowReport> out = new ArrayList<>();
        for (WorkflowReport r : published) {
            Map<Dimension, Scorecard.DimensionScore> scores = new EnumMap<>(r.scores());
            for (Dimension d : BenchmarkFacts.RECONCILIATION_FED) {
                scores.put(d, score(r.workflow().name(), d, dims.getOrDefault(r.workflow().name(), Map.of()).get(d),
                        context.settings(), context.fieldHistoryPresent(), r.findings().basis()));
            }
            out.add(new WorkflowReport(r.workflow(), scores, Scorecard.total(scores.values()), r.findings(), r.fork(),
                    r.biggestDrop(), r.topFailure(), r.dispute()));
        }
        return List.copyOf(out);
    }

    private static Dimension dimension(String key) {
        for (Dimension d : Dimension.values()) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        throw new IllegalStateException("unknown dimension " + key);
    }

    private static Scorecard.DimensionScore score(String workflow, Dimension d, Row r, BenchmarkSettings s,
                                                  boolean fieldHistoryPresent, WorkflowBasis basis) {
        if (!fieldHistoryPresent && d == Dimension.OVERRIDE_DISCIPLINE) {
            return new Scorecard.DimensionScore(workflow, d, 0, null, null, List.of(),
                    "not scored: field_history table absent, manual changes cannot be seen");
        }
        if (r == null || r.<Long>getAs(BenchmarkFacts.RECORDS) == 0) {
            String why = basis == WorkflowBasis.OPPORTUNITIES ? BenchmarkFacts.NEED_LEADS.get(d) : null;
            return new Scorecard.DimensionScore(workflow, d, 0, null, null, List.of(), why != null ? why
                    : "not measured: no record of this workflow is measured by this dimension");
        }
        long records = r.getAs(BenchmarkFacts.RECORDS);
        List<String> evidence = r.getList(r.fieldIndex(BenchmarkFacts.EVIDENCE));
        BenchmarkSettings.Thresholds t = s.thresholds(d);
        if (d == Dimension.FINANCE_LAG) {
            BigDecimal p90 = BigDecimal.valueOf(r.<Double>getAs(BenchmarkFacts.P90)).setScale(6, RoundingMode.HALF_UP);
            return new Scorecard.DimensionScore(workflow, d, records, p90.setScale(4, RoundingMode.HALF_UP),
                    Scorecard.scoreValue(d, t, p90), evidence, null);
        }
        BigDecimal hits = r.getAs(BenchmarkFacts.HITS);
        BigDecimal base = r.getAs(BenchmarkFacts.BASE);
        long unresolved = r.getAs(BenchmarkFacts.UNRESOLVED);
        long noValue = r.getAs(BenchmarkFacts.NO_VALUE);
        List<String> notes = new ArrayList<>();
        if (unresolved > 0) {
            notes.add(unresolved + " deal(s) without a usable FX rate carry no value here");
        }
        if (noValue > 0) {
            notes.add(noValue + " won deal(s) without an amount (no value) carry no value here");
        }
        String note = notes.isEmpty() ? null : String.join("; ", notes);
        if (base.signum() == 0) {
            return new Scorecard.DimensionScore(workflow, d, records, null, null, evidence,
                    "not measured: no measurable value" + (note == null ? "" : "; " + note));
        }
        if (d == Dimension.OWNER_CLARITY && !fieldHistoryPresent) {
            return new Scorecard.DimensionScore(workflow, d, records, Scorecard.percent(hits, base), null, evidence,
                    "not scored: field_history table absent, so owner changes after the handoff cannot be seen "
                            + "(value = named-owner share only)");
        }
        return new Scorecard.DimensionScore(workflow, d, records, Scorecard.percent(hits, base),
                Scorecard.scorePercent(d, t, hits, base), evidence, note);
    }

    private record Impact(String handoff, String type, long records, BigDecimal expected, boolean beforeWin) {}

    /**
     * Expected impact per handoff and primary failure, the spec's formula at workflow level:
     * failed x max(0, clean win rate - failed win rate) x average won amount, multiplied out so
     * one division is done at the end; null when there is no clean record or no won deal.
     */
    private static Map<String, Impact> impacts(List<Row> rows, List<HandoffContract> handoffs, BigDecimal wonValue,
                                               long wonDeals) {
        Map<String, long[]> clean = new HashMap<>();
        for (Row r : rows) {
            if ("NONE".equals(r.getAs("primary_failure"))) {
                clean.put(r.getAs("handoff"), new long[] {r.<Long>getAs("records"), r.<Long>getAs("won")});
            }
        }
        Map<String, Impact> out = new LinkedHashMap<>();
        for (HandoffContract h : handoffs) {
            for (Row r : rows) {
                String type = r.getAs("primary_failure");
                if (!h.name().equals(r.getAs("handoff")) || "NONE".equals(type)) {
                    continue;
                }
                long f = r.getAs("records");
                long wf = r.getAs("won");
                long[] c = clean.get(h.name());
                BigDecimal expected = null;
                if (c != null && c[0] > 0 && wonDeals > 0 && wonValue != null) {
                    BigDecimal lift = BigDecimal.valueOf(c[1]).multiply(BigDecimal.valueOf(f))
                            .subtract(BigDecimal.valueOf(wf).multiply(BigDecimal.valueOf(c[0])));
                    expected = lift.signum() <= 0 ? BigDecimal.ZERO.setScale(2)
                            : wonValue.multiply(lift).divide(BigDecimal.valueOf(wonDeals).multiply(BigDecimal.valueOf(c[0])),
                                    2, RoundingMode.HALF_UP);
                }
                out.put(h.name() + "/" + type, new Impact(h.name(), type, f, expected,
                        h.entryStage().order() < Stage.WON.order()));
            }
        }
        return out;
    }

    /** Whether a handoff before the win has clean records and the workflow a won deal to value them. */
    private static boolean qualificationMeasured(List<Row> rows, List<HandoffContract> handoffs, BigDecimal wonValue,
                                                 long wonDeals) {
        if (wonValue == null || wonDeals == 0) {
            return false;
        }
        for (HandoffContract h : handoffs) {
            for (Row r : rows) {
                if (h.entryStage().order() < Stage.WON.order() && h.name().equals(r.getAs("handoff"))
                        && "NONE".equals(r.getAs("primary_failure")) && r.<Long>getAs("records") > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** [path value, path deals, definitional value, definitional deals] of the workflow's won deals. */
    private static BigDecimal[] financeValues(List<Row> categories) {
        BigDecimal path = BigDecimal.ZERO;
        BigDecimal definition = BigDecimal.ZERO;
        long pathDeals = 0;
        long definitionDeals = 0;
        for (Row r : categories) {
            String category = r.getAs(dev.handshake.audit.reconciliation.ReconciliationTables.CATEGORY);
            BigDecimal value = r.getAs("crm_value");
            long n = r.getAs(BenchmarkFacts.RECORDS);
            if (BenchmarkFacts.DEFINITIONAL.contains(category)) {
                definition = definition.add(value);
                definitionDeals += n;
            } else if (!BenchmarkFacts.EXPLAINED.contains(category)) {
                path = path.add(value);
                pathDeals += n;
            }
        }
        return new BigDecimal[] {path, BigDecimal.valueOf(pathDeals), definition, BigDecimal.valueOf(definitionDeals)};
    }

    private static BigDecimal zeroIfNull(Row r, String field) {
        if (r == null || r.isNullAt(r.fieldIndex(field))) {
            return BigDecimal.ZERO;
        }
        return r.getAs(field);
    }

    private static long longOf(Row r, String field) {
        if (r == null || r.isNullAt(r.fieldIndex(field))) {
            return 0;
        }
        return ((Number) r.getAs(field)).longValue();
    }

    private static Dataset<Row> benchmarkRows(SparkSession spark, List<WorkflowReport> reports, BenchmarkSettings s) {
        StructType schema = new StructType()
                .add(WORKFLOW, DataTypes.StringType, false).add(DIMENSION, DataTypes.StringType, false)
                .add(DIMENSION_ORDER, DataTypes.IntegerType, false).add(INDICATOR, DataTypes.StringType)
                .add(VALUE, DataTypes.createDecimalType(18, 4)).add(SCORE, DataTypes.IntegerType)
                .add(THRESHOLDS, DataTypes.StringType).add(RECORDS, DataTypes.LongType)
                .add(EVIDENCE_IDS, DataTypes.createArrayType(DataTypes.StringType, false))
                .add(LAYER, DataTypes.StringType).add(UNIT, DataTypes.StringType)
                .add(TOTAL, DataTypes.IntegerType).add(BAND, DataTypes.StringType)
                .add(COMPLETE, DataTypes.BooleanType).add(NOTE, DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (WorkflowReport r : reports) {
            for (Dimension d : Dimension.values()) {
                Scorecard.DimensionScore x = r.scores().get(d);
                rows.add(RowFactory.create(r.workflow().name(), d.key(), d.ordinal() + 1, d.indicator(), x.value(),
                        x.score(), Scorecard.describe(d, s.thresholds(d)), x.records(),
                        scala.jdk.javaapi.CollectionConverters.asScala(x.evidence()).toSeq(), d.layer().name(), d.unit(),
                        r.total().total(), r.total().band(), r.total().complete(), x.note()));
            }
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Dataset<Row> forkRows(SparkSession spark, List<WorkflowReport> reports) {
        StructType schema = new StructType()
                .add(WORKFLOW, DataTypes.StringType, false).add(NUMBER_IN_DISPUTE, DataTypes.createDecimalType(38, 2))
                .add(FIRST_FORK_LAYER, DataTypes.StringType).add(DOWNSTREAM_SYMPTOM, DataTypes.StringType)
                .add(REPAIR_OWNER, DataTypes.StringType).add(NEXT_MOVE, DataTypes.StringType)
                .add(PROBLEM_KIND, DataTypes.StringType)
                .add(MARKETING_SOURCED, DataTypes.createDecimalType(38, 2))
                .add(SALES_ACCEPTED, DataTypes.createDecimalType(38, 2))
                .add(FINANCE_BOOKED, DataTypes.createDecimalType(38, 2))
                .add(MATERIAL_LAYERS, DataTypes.createArrayType(DataTypes.StringType, false))
                .add(LEADS, DataTypes.LongType).add(WON_VALUE, DataTypes.createDecimalType(38, 2))
                .add(TOTAL, DataTypes.IntegerType).add(BAND, DataTypes.StringType).add(COMPLETE, DataTypes.BooleanType)
                .add(BIGGEST_DROP_STAGE, DataTypes.StringType).add(BIGGEST_DROP, DataTypes.LongType)
                .add(TOP_FAILURE, DataTypes.StringType).add(TOP_FAILURE_IMPACT, DataTypes.createDecimalType(38, 2));
        List<Row> rows = new ArrayList<>();
        for (WorkflowReport r : reports) {
            FirstFork.Fork f = r.fork();
            rows.add(RowFactory.create(r.workflow().name(), cents(f.numberInDispute()), f.firstForkLayer(),
                    f.downstreamSymptom(), f.repairOwner(), f.nextMove(), f.problemKind(),
                    cents(r.findings().marketingNumber()), cents(r.findings().salesNumber()),
                    cents(r.findings().financeNumber()),
                    scala.jdk.javaapi.CollectionConverters.asScala(f.materialLayers()).toSeq(),
                    r.findings().leads(), cents(r.findings().wonValue()), r.total().total(), r.total().band(),
                    r.total().complete(), r.biggestDrop() == null ? null : r.biggestDrop().stage(),
                    r.biggestDrop() == null ? null : r.biggestDrop().dropped(),
                    r.topFailure() == null ? null : r.topFailure().handoff() + " / " + r.topFailure().failureType(),
                    r.topFailure() == null ? null : cents(r.topFailure().expectedImpact())));
        }
        return spark.createDataFrame(rows, schema);
    }

    static BigDecimal cents(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_UP);
    }
}
