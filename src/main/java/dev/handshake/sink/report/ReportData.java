package dev.handshake.sink.report;

import static dev.handshake.audit.reconciliation.ReconciliationTables.*;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.model.Layer;
import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.audit.benchmark.BenchmarkAudit.WorkflowReport;
import dev.handshake.model.Dimension;
import dev.handshake.audit.benchmark.FirstFork;
import dev.handshake.audit.benchmark.Scorecard;
import dev.handshake.audit.drift.DriftAudit;
import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.config.BenchmarkSettings;
import dev.handshake.sink.report.ReportModel.*;
import dev.handshake.sink.report.chart.RowChart;
import dev.handshake.source.TableCount;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds the {@link ReportModel} of one run from its output tables. Only small aggregates reach the
 * driver: funnel rows of all months (cut values capped), one row per handoff, the largest failure
 * impacts, category totals, bridge steps per period, metric rows and the largest drift, capped.
 */
public final class ReportData {
    static final int CUT_VALUES = 12;
    static final int IMPACTS = 15;
    static final int BREAKS = 10;
    static final int METRIC_ROWS = 200;
    static final int DRIFT_ROWS = 50;
    static final int EXAMPLES = 5;
    static final int SHOWN_BOOKING_IDS = 3;
    private static final String COHORT = "cohort_month";
    /**
     * The bridge steps that are totals (audit_revenue_bridge: the CRM -> finance bridge opens with
     * crm_bookings and closes with finance_bookings; the three-number bridge's three numbers).
     */
    static final Set<String> TOTAL_STEPS = Set.of("crm_bookings", "finance_bookings",
            BenchmarkTables.MARKETING_SOURCED, BenchmarkTables.SALES_ACCEPTED, BenchmarkTables.FINANCE_BOOKED);

    /**
     * What the run knows besides its tables: its input counts, the figures it could not measure,
     * its warnings about the inputs (a night they may not reach) and the night's largest category
     * movements.
     */
    public record Run(LocalDate asOf, String runId, String currency, List<TableCount> counts,
                      List<SkippedFigure> skipped, List<String> warnings, List<CategoryMovement> movements,
                      List<String> coverage) {
        public Run(LocalDate asOf, String runId, String currency, List<TableCount> counts,
                   List<SkippedFigure> skipped, List<String> warnings, List<CategoryMovement> movements) {
            this(asOf, runId, currency, counts, skipped, warnings, movements, List.of());
        }

        public Run {
            coverage = List.copyOf(coverage);
            counts = List.copyOf(counts);
            skipped = List.copyOf(skipped);
            warnings = List.copyOf(warnings);
            movements = List.copyOf(movements);
        }
    }

    /** The tables of the run the page describes. */
    public record Tables(Dataset<Row> funnel, Handoffs handoffs, Dataset<Row> reconciliation, Dataset<Row> bridge,
                         Dataset<Row> metrics, Dataset<Row> drift) {}

    private ReportData() {}

    /**
     * @param committed the benchmark summaries of the committed nights (any night; only the earlier
     *                  ones are shown, so a night's page is the same when it is run again)
     * @param summary   this night's benchmark summary, as published beside the page
     */
    public static ReportModel build(Run run, Tables t, List<WorkflowReport> reports, BenchmarkSettings settings,
                                    Map<LocalDate, byte[]> committed, byte[] summary) {
        Map<LocalDate, byte[]> summaries = new java.util.TreeMap<>();
        committed.forEach((night, csv) -> {
            if (night.isBefore(run.asOf())) {
                summaries.put(night, csv);
            }
        });
        summaries.put(run.asOf(), summary);
        Nights.Board board = Nights.board(summaries);
        String previous = board.nights().stream().map(LocalDate::toString)
                .filter(n -> n.compareTo(run.asOf().toString()) < 0).reduce((a, b) -> b).orElse(null);
        List<WorkflowCard> cards = new ArrayList<>();
        for (WorkflowReport r : reports) {
            cards.add(card(r, settings, board.previousTotal(r.workflow().name(), run.asOf())));
        }
        Set<String> codes = new LinkedHashSet<>();
        for (WorkflowCard c : cards) {
            codes.add(c.firstFork());
            codes.add(c.problemKind());
            codes.add(c.band());
        }
        Reconciliation recon = reconciliation(t.reconciliation(), t.bridge(), run.currency());
        recon.categories().forEach(c -> codes.add(c.category()));
        t.handoffs().impacts().forEach(i -> codes.add(i.failureType()));
        for (Dimension d : Dimension.values()) {
            codes.add(d.key());
        }
        return new ReportModel(new Header(run.asOf().toString(), run.runId(), run.currency(), previous), cards,
                run.counts().stream().map(c -> new Coverage(c.table(), c.present(), c.rowsRead(), c.rowsAccepted(),
                        c.rowsQuarantined(), c.rowsDeleted())).toList(),
                run.skipped().stream().map(s -> new NotMeasured(s.figure(), s.reason())).toList(),
                funnel(t.funnel()), t.handoffs(), recon, metrics(t.metrics()), drift(t.drift()),
                board.scoreboard(), Labels.glossary(codes), run.warnings(), run.movements(), run.coverage());
    }

    static WorkflowCard card(WorkflowReport r, BenchmarkSettings settings, Nights.Total previous) {
        FirstFork.Fork f = r.fork();
        List<DimensionLine> lines = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            Scorecard.DimensionScore s = r.scores().get(d);
            lines.add(new DimensionLine(d.key(), Labels.dimension(d), Labels.of(d.layer().name()), Labels.direction(d),
                    Scorecard.describe(d, settings.thresholds(d)),
                    s.value() == null ? Fmt.NOT_MEASURED : s.value().stripTrailingZeros().toPlainString() + " " + d.unit(),
                    s.score(), s.records(), Labels.examplesOf(d),
                    s.evidence().subList(0, Math.min(EXAMPLES, s.evidence().size())), s.note()));
        }
        return new WorkflowCard(r.workflow().name(), r.workflow().description(), r.findings().records(),
                r.findings().basis() == dev.handshake.audit.benchmark.WorkflowBasis.LEADS ? "Leads" : "Opportunities",
                f.numberInDispute(), r.findings().marketingNumber(), r.findings().salesNumber(),
                r.findings().financeNumber(), r.total().total(), r.total().complete(), r.total().band(),
                previous == null ? null : previous.total(), previous == null ? null : previous.band(),
                f.firstForkLayer(), f.problemKind(), plainSymptom(f.downstreamSymptom()), f.repairOwner(), f.nextMove(),
                r.biggestDrop() == null ? null : Labels.of(r.biggestDrop().stage()) + ": "
                        + Fmt.count(r.biggestDrop().dropped()) + " of " + Fmt.count(r.biggestDrop().entered())
                        + " leads do not reach the next stage",
                r.topFailure() == null ? null : r.topFailure().handoff() + ", " + Labels.of(r.topFailure().failureType())
                        + ": " + Fmt.count(r.topFailure().records()) + " records",
                lines, dispute(r));
    }

    /**
     * Sourced -> (lost, still open, won) -> won (as claimed, differently, not booked), then what
     * finance booked and the subtraction the review sheet calls the number in dispute.
     */
    static List<DisputeLine> dispute(WorkflowReport r) {
        BenchmarkAudit.Dispute d = r.dispute();
        if (d == null) {
            return List.of();
        }
        String qualification = Labels.of(Layer.QUALIFICATION_HANDOFF.name());
        String finance = Labels.of(Layer.FINANCE_NORMALIZATION.name());
        return List.of(
                new DisputeLine(0, "Marketing-sourced pipeline", d.sourced(), null,
                        "every opportunity with campaign evidence, at its CRM amount"),
                new DisputeLine(1, "lost", d.lost(), d.disqualified().signum() == 0 ? null : qualification,
                        d.disqualified().signum() == 0 ? "closed lost: a sales outcome, not a break"
                                : "closed lost; " + Fmt.amount(d.disqualified())
                                + " of it rejected for a qualification reason"),
                new DisputeLine(1, "still open", d.open(), null, "not decided yet: not a break"),
                new DisputeLine(1, "won", d.won(), null, "closed won, taken apart below"),
                new DisputeLine(0, "Won", d.won(), null, "the won part of the sourced pipeline"),
                new DisputeLine(1, "booked as claimed", d.asClaimed(), null,
                        "booked at the CRM amount in the same period"),
                new DisputeLine(1, "booked differently", d.bookedDifferently(), finance,
                        "booked at another amount or period, twice, reversed, or in an unconvertible currency"),
                new DisputeLine(1, "not booked", d.notBooked(), finance,
                        "no booking yet (within the allowed lag) or never"),
                new DisputeLine(0, "Finance-booked", r.findings().financeNumber(), null,
                        "what finance booked for the sales-accepted part of the sourced pipeline"),
                new DisputeLine(0, "Sourced minus booked", r.fork().numberInDispute(), null,
                        "a subtraction: lost and still-open pipeline are part of it, not breaks"));
    }

    /** The symptom as FirstFork states it ("LAYER: what"), with the layer in plain words. */
    static String plainSymptom(String symptom) {
        if (symptom == null) {
            return null;
        }
        for (Layer l : Layer.values()) {
            if (symptom.startsWith(l.name() + ": ")) {
                return Labels.of(l.name()) + ": " + symptom.substring(l.name().length() + 2);
            }
        }
        return symptom;
    }

    /** Funnels of all months per cut, plus the all-leads funnel per cohort month. */
    static List<FunnelCut> funnel(Dataset<Row> funnel) {
        List<Row> rows = funnel.filter(col(FunnelTable.COHORT_MONTH).equalTo(FunnelTable.ALL)
                        .or(col(FunnelTable.CUT_DIMENSION).equalTo(FunnelTable.CUT_ALL)))
                .select(FunnelTable.CUT_DIMENSION, FunnelTable.CUT_VALUE, FunnelTable.COHORT_MONTH, FunnelTable.STAGE,
                        FunnelTable.STAGE_ORDER, FunnelTable.ENTERED, FunnelTable.CONVERTED,
                        FunnelTable.CONVERSION_RATE, FunnelTable.DROPPED, FunnelTable.SKIPPED, FunnelTable.IS_BIGGEST_DROP)
                .orderBy(FunnelTable.CUT_DIMENSION, FunnelTable.CUT_VALUE, FunnelTable.COHORT_MONTH,
                        FunnelTable.STAGE_ORDER)
                .limit(20_000).collectAsList();
        Map<List<String>, List<FunnelStage>> cuts = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.isNullAt(5)) {
                continue; // a stage past the last the CRM records: not measured, not drawn as zero
            }
            boolean cohort = !FunnelTable.ALL.equals(r.getString(2));
            List<String> key = cohort ? List.of(COHORT, r.getString(2)) : List.of(r.getString(0), r.getString(1));
            cuts.computeIfAbsent(key, k -> new ArrayList<>()).add(new FunnelStage(r.getString(3), r.getLong(5),
                    (Long) r.get(6), dec(r.get(7)), (Long) r.get(8), (Long) r.get(9), !r.isNullAt(10) && r.getBoolean(10)));
        }
        // Per dimension, the largest cuts by leads entering the first stage; the rest are counted.
        Map<String, List<Map.Entry<List<String>, List<FunnelStage>>>> byDimension = new LinkedHashMap<>();
        for (var e : cuts.entrySet()) {
            byDimension.computeIfAbsent(e.getKey().get(0), k -> new ArrayList<>()).add(e);
        }
        List<String> order = List.of(FunnelTable.CUT_ALL, FunnelTable.CUT_WORKFLOW, FunnelTable.CUT_SEGMENT,
                FunnelTable.CUT_LEAD_SOURCE, FunnelTable.CUT_CHANNEL, COHORT);
        List<FunnelCut> out = new ArrayList<>();
        List<String> dims = new ArrayList<>(byDimension.keySet());
        dims.sort(Comparator.comparingInt(d -> order.indexOf(d) < 0 ? order.size() : order.indexOf(d)));
        for (String d : dims) {
            List<Map.Entry<List<String>, List<FunnelStage>>> list = new ArrayList<>(byDimension.get(d));
            if (!d.equals(COHORT)) {
                list.sort(Comparator.comparingLong(
                        (Map.Entry<List<String>, List<FunnelStage>> e) -> -e.getValue().get(0).entered()));
            }
            for (var e : list.subList(0, Math.min(CUT_VALUES, list.size()))) {
                String value = e.getKey().get(1);
                String title = dimensionLabel(d) + (d.equals(FunnelTable.CUT_ALL) ? "" : ": " + value);
                List<RowChart.Item> items = new ArrayList<>();
                for (FunnelStage s : e.getValue()) {
                    items.add(RowChart.bar(s.stage(), BigDecimal.valueOf(s.entered()),
                            Fmt.count(s.entered()) + " entered", s.biggestDrop() ? "mark" : "bar"));
                }
                out.add(new FunnelCut(d, dimensionLabel(d), value, e.getValue(), RowChart.draw(
                        "funnel-" + out.size(), "Funnel, " + title,
                        "Leads entering each stage; the stage with the biggest drop is marked.", items)));
            }
        }
        return out;
    }

    static String dimensionLabel(String d) {
        return switch (d) {
            case FunnelTable.CUT_ALL -> "All leads";
            case FunnelTable.CUT_WORKFLOW -> "Workflow";
            case FunnelTable.CUT_SEGMENT -> "Segment";
            case FunnelTable.CUT_LEAD_SOURCE -> "Lead source";
            case FunnelTable.CUT_CHANNEL -> "Channel";
            case COHORT -> "Cohort month";
            default -> d;
        };
    }

    /** The handoff map and the largest failure impacts, brought to the driver while the failures are kept. */
    public static Handoffs handoffs(Dataset<Row> map, Dataset<Row> impact) {
        List<HandoffLink> links = map.orderBy(HandoffTables.HANDOFF).collectAsList().stream()
                .map(r -> new HandoffLink(r.getAs(HandoffTables.HANDOFF), r.getAs(HandoffTables.SENDER),
                        r.getAs(HandoffTables.RECEIVER), r.<Long>getAs(HandoffTables.ENTERED),
                        dec(r.getAs(HandoffTables.PAYLOAD_COMPLETE_PCT)), dec(r.getAs(HandoffTables.SLA_MET_PCT)),
                        dec(r.getAs(HandoffTables.OWNER_NAMED_PCT)), dec(r.getAs(HandoffTables.MEDIAN_LATENCY_HOURS)),
                        dec(r.getAs(HandoffTables.P90_LATENCY_HOURS)), dec(r.getAs(HandoffTables.COMPLETION_PCT)),
                        longOr0(r.getAs(HandoffTables.PENDING)), longOr0(r.getAs(HandoffTables.SLA_NOT_MEASURABLE))))
                .toList();
        long impactRows = impact.count();
        List<ImpactRow> impacts = impact.orderBy(col(HandoffTables.IMPACT_EXPECTED).desc_nulls_last(),
                        col(HandoffTables.HANDOFF), col(HandoffTables.FAILURE_TYPE), col(HandoffTables.SEGMENT))
                .limit(IMPACTS).collectAsList().stream()
                .map(r -> new ImpactRow(r.getAs(HandoffTables.HANDOFF), r.getAs(HandoffTables.FAILURE_TYPE),
                        r.getAs(HandoffTables.SEGMENT), r.<Long>getAs(HandoffTables.RECORDS),
                        dec(r.getAs(HandoffTables.WIN_RATE_FAILED)), dec(r.getAs(HandoffTables.WIN_RATE_CLEAN)),
                        dec(r.getAs(HandoffTables.IMPACT_EXPECTED)), dec(r.getAs(HandoffTables.IMPACT_UPPER_BOUND)),
                        r.getAs(HandoffTables.NOTE)))
                .toList();
        List<RowChart.Item> items = links.stream().map(l -> RowChart.bar(l.handoff() + " (" + l.sender() + " \u2192 "
                + l.receiver() + ")", l.completionPct() == null ? BigDecimal.ZERO : l.completionPct(),
                Fmt.pct(l.completionPct()) + " completed", "bar")).toList();
        return new Handoffs(true, links, impacts, (int) Math.min(Integer.MAX_VALUE, impactRows),
                RowChart.draw("handoff-completion", "Handoff completion",
                        "Share of records entering each handoff that complete it, sender to receiver.", items));
    }

    /** The section's content when no handoff is configured. */
    public static Handoffs noHandoffs() {
        return new Handoffs(false, List.of(), List.of(), 0, null);
    }

    static Reconciliation reconciliation(Dataset<Row> recon, Dataset<Row> bridge, String currency) {
        List<CategoryTotal> categories = recon.groupBy(CATEGORY).agg(max(LAYER).as(LAYER), count(lit(1)).as(ROWS),
                        sum(CRM_AMOUNT).as(CRM_AMOUNT), sum(FINANCE_AMOUNT).as(FINANCE_AMOUNT),
                        sum(abs(col(VARIANCE))).as(VARIANCE))
                .collectAsList().stream()
                .map(r -> new CategoryTotal(r.getAs(CATEGORY), Labels.of(r.getAs(CATEGORY)), r.getAs(LAYER),
                        r.<Long>getAs(ROWS), dec(r.getAs(CRM_AMOUNT)), dec(r.getAs(FINANCE_AMOUNT)),
                        dec(r.getAs(VARIANCE))))
                .sorted(Comparator.comparingInt(c -> CATEGORIES.indexOf(c.category()) < 0 ? CATEGORIES.size()
                        : CATEGORIES.indexOf(c.category())))
                .toList();
        long breaks = categories.stream().filter(c -> !MATCHED.equals(c.category())).mapToLong(CategoryTotal::rows).sum();
        var size = abs(coalesce(col(VARIANCE), col(CRM_AMOUNT), col(FINANCE_AMOUNT), lit(0)));
        List<BreakRow> top = recon.filter(col(CATEGORY).notEqual(MATCHED))
                .orderBy(size.desc(), col(OPPORTUNITY_ID).asc_nulls_last(), col(CATEGORY))
                .select(OPPORTUNITY_ID, BOOKING_IDS, CATEGORY, LAYER, CRM_AMOUNT, FINANCE_AMOUNT, VARIANCE, NOTE)
                .limit(BREAKS).collectAsList().stream()
                .map(r -> {
                    List<String> ids = r.isNullAt(1) ? List.of() : r.getList(1);
                    String shown = String.join(", ", ids.subList(0, Math.min(SHOWN_BOOKING_IDS, ids.size())))
                            + (ids.size() > SHOWN_BOOKING_IDS ? " and " + (ids.size() - SHOWN_BOOKING_IDS) + " more" : "");
                    return new BreakRow(r.getString(0), shown, r.getString(2), r.getString(3), dec(r.get(4)),
                            dec(r.get(5)), dec(r.get(6)), r.getString(7));
                }).toList();
        List<RowChart.Item> items = categories.stream().map(c -> RowChart.bar(c.label(),
                c.crmAmount() != null ? c.crmAmount().abs() : c.financeAmount() == null ? BigDecimal.ZERO
                        : c.financeAmount().abs(),
                Fmt.money(c.crmAmount() != null ? c.crmAmount() : c.financeAmount(), currency),
                MATCHED.equals(c.category()) ? "bar" : "mark")).toList();
        return new Reconciliation(bridges(bridge, currency), categories, RowChart.draw("categories",
                "Reconciliation categories", "CRM amount of the opportunities in each category (the booked amount"
                        + " for bookings without a won deal).", items), top, breaks);
    }

    static List<Bridge> bridges(Dataset<Row> bridge, String currency) {
        List<Row> rows = bridge.select(BRIDGE_NAME, PERIOD, STEP_ORDER, STEP, LAYER, AMOUNT, RUNNING_TOTAL, ROWS, NOTE)
                .orderBy(BRIDGE_NAME, PERIOD, STEP_ORDER).limit(10_000).collectAsList();
        Map<List<String>, List<BridgeStep>> byPeriod = new LinkedHashMap<>();
        for (Row r : rows) {
            byPeriod.computeIfAbsent(List.of(r.getString(0), r.getString(1)), k -> new ArrayList<>())
                    .add(new BridgeStep(r.getInt(2), r.getString(3), Labels.of(r.getString(3)), r.getString(4),
                            dec(r.get(5)), dec(r.get(6)), r.isNullAt(7) ? 0 : r.getLong(7), r.getString(8),
                            TOTAL_STEPS.contains(r.getString(3))));
        }
        List<Bridge> out = new ArrayList<>();
        // The CRM -> finance bridge first, the three-number story after it.
        List<List<String>> keys = new ArrayList<>(byPeriod.keySet());
        keys.sort(Comparator.comparing((List<String> k) -> !k.get(0).equals(CRM_TO_FINANCE)).thenComparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (List<String> k : keys) {
            List<BridgeStep> steps = byPeriod.get(k);
            BridgeStep closing = steps.get(steps.size() - 1);
            // Ties out when every total after the opening one is what the steps before it add up to.
            BigDecimal end = null;
            boolean tiesOut = true;
            for (BridgeStep s : steps) {
                if (s.total()) {
                    tiesOut &= end == null || end.compareTo(s.amount()) == 0;
                    end = s == closing ? end : s.amount();
                } else {
                    end = (end == null ? BigDecimal.ZERO : end).add(s.amount());
                }
            }
            List<RowChart.Item> items = new ArrayList<>();
            BigDecimal running = BigDecimal.ZERO;
            for (BridgeStep s : steps) {
                // The layer of each step is in the table beside the chart.
                String label = s.label();
                if (s.total()) {
                    items.add(new RowChart.Item(label, BigDecimal.ZERO, s.amount(), Fmt.money(s.amount(), currency),
                            "total"));
                    running = s.amount();
                } else {
                    BigDecimal next = running.add(s.amount());
                    items.add(new RowChart.Item(label, running, next, Fmt.signed(s.amount()),
                            s.amount().signum() < 0 ? "down" : "up"));
                    running = next;
                }
            }
            boolean crm = k.get(0).equals(CRM_TO_FINANCE);
            String title = (crm ? "CRM bookings to finance bookings" : "Marketing-sourced to finance-booked") + ", "
                    + k.get(1);
            out.add(new Bridge(k.get(0), title, k.get(1), steps, end, closing.amount(), tiesOut, RowChart.draw("bridge-" + out.size(), title,
                    crm ? "Won CRM value of the period, each reconciliation category's change, and the finance"
                            + " bookings it ties out to."
                            : "Sourced pipeline created in the period, what each layer removes, and what finance"
                            + " booked.", items)));
        }
        return out;
    }

    static List<MetricRow> metrics(Dataset<Row> metrics) {
        return metrics.orderBy(METRIC, PERIOD, SEGMENT).limit(METRIC_ROWS).collectAsList().stream()
                .map(r -> new MetricRow(r.getAs(METRIC), r.getAs(PERIOD), r.getAs(SEGMENT),
                        dec(r.getAs(MODELED_VALUE)), dec(r.getAs(RECOMPUTED_VALUE)), dec(r.getAs(FINANCE_SAFE_VALUE)),
                        dec(r.getAs(VARIANCE)), dec(r.getAs(VARIANCE_PCT)), r.getAs(SOURCE_MODEL)))
                .toList();
    }

    static List<DriftRow> drift(Dataset<Row> drift) {
        return drift.orderBy(abs(coalesce(col(DriftAudit.DELTA), lit(0))).desc(), col(METRIC), col(PERIOD),
                        col(SEGMENT)).limit(DRIFT_ROWS).collectAsList().stream()
                .map(r -> new DriftRow(r.getAs(METRIC), r.getAs(PERIOD), r.getAs(SEGMENT),
                        r.isNullAt(r.fieldIndex(DriftAudit.PREVIOUS_AS_OF)) ? null
                                : r.get(r.fieldIndex(DriftAudit.PREVIOUS_AS_OF)).toString(),
                        dec(r.getAs(DriftAudit.PREVIOUS_VALUE)), dec(r.getAs(DriftAudit.CURRENT_VALUE)),
                        dec(r.getAs(DriftAudit.DELTA)), dec(r.getAs(DriftAudit.DELTA_PCT)), r.getAs(DriftAudit.NOTE)))
                .toList();
    }

    static BigDecimal dec(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal b) {
            return b;
        }
        return BigDecimal.valueOf(((Number) v).doubleValue());
    }

    private static long longOr0(Object v) {
        return v == null ? 0 : ((Number) v).longValue();
    }
}
