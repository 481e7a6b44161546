package dev.handshake.sink.report;

import static java.util.Objects.requireNonNull;

import dev.handshake.audit.ledger.CategoryMovement;
import dev.handshake.sink.report.chart.Svg;
import java.math.BigDecimal;
import java.util.List;

/**
 * Everything the nightly HTML page shows, as one value: small aggregates of the run's tables
 * (rows per stage, period, workflow, handoff, category) and capped example ids, never raw rows.
 * Built by {@link ReportData}; the templates only render it.
 */
public record ReportModel(Header header, List<WorkflowCard> workflows, List<Coverage> coverage,
                          List<NotMeasured> notMeasured, List<FunnelCut> funnel, Handoffs handoffs,
                          Reconciliation reconciliation, List<MetricRow> metrics, List<DriftRow> drift,
                          Scoreboard scoreboard, List<Labels.Entry> glossary, List<String> warnings,
                          List<CategoryMovement> movements, List<String> coverageSummary) {
    /** Without a coverage summary (pages built before the run states its coverage). */
    public ReportModel(Header header, List<WorkflowCard> workflows, List<Coverage> coverage,
                       List<NotMeasured> notMeasured, List<FunnelCut> funnel, Handoffs handoffs,
                       Reconciliation reconciliation, List<MetricRow> metrics, List<DriftRow> drift,
                       Scoreboard scoreboard, List<Labels.Entry> glossary, List<String> warnings,
                       List<CategoryMovement> movements) {
        this(header, workflows, coverage, notMeasured, funnel, handoffs, reconciliation, metrics, drift, scoreboard,
                glossary, warnings, movements, List.of());
    }

    public ReportModel {
        coverageSummary = List.copyOf(coverageSummary);
        requireNonNull(header, "header is null");
        workflows = List.copyOf(workflows);
        coverage = List.copyOf(coverage);
        notMeasured = List.copyOf(notMeasured);
        funnel = List.copyOf(funnel);
        requireNonNull(handoffs, "handoffs is null");
        requireNonNull(reconciliation, "reconciliation is null");
        metrics = List.copyOf(metrics);
        drift = List.copyOf(drift);
        requireNonNull(scoreboard, "scoreboard is null");
        glossary = List.copyOf(glossary);
        warnings = List.copyOf(warnings);
        movements = List.copyOf(movements);
    }

    /** The funnel's cut dimensions in page order, each once. */
    public List<String> funnelDimensions() {
        return funnel.stream().map(FunnelCut::dimension).distinct().toList();
    }

    public List<FunnelCut> funnelOf(String dimension) {
        return funnel.stream().filter(f -> f.dimension().equals(dimension)).toList();
    }

    /** previousAsOf: the night the drift and the changes compare with, or null on a first night. */
    public record Header(String asOf, String runId, String currency, String previousAsOf) {}

    /**
     * One workflow as the review sheet shows it; previousTotal null when no earlier night scored it.
     * {@code records} are its leads, or on a night without cohort leads its opportunities
     * ({@code recordKind} says which, as "Leads" or "Opportunities").
     */
    public record WorkflowCard(String name, String description, long records, String recordKind,
                               BigDecimal numberInDispute,
                               BigDecimal marketingSourced, BigDecimal salesAccepted, BigDecimal financeBooked,
                               int total, boolean complete, String band, Integer previousTotal, String previousBand,
                               String firstFork, String problemKind, String symptom, String repairOwner,
                               String nextMove, String biggestDrop, String topFailure,
                               List<DimensionLine> dimensions, List<DisputeLine> dispute) {
        public WorkflowCard {
            dimensions = List.copyOf(dimensions);
            dispute = List.copyOf(dispute);
        }
    }

    /**
     * One line of the number in dispute taken apart: depth 0 a total, 1 a part of the total above
     * it; layer null where no layer explains it (an outcome, not a break).
     */
    public record DisputeLine(int depth, String label, BigDecimal amount, String layer, String meaning) {}

    /** One dimension of a workflow: its value, score, direction, thresholds and capped example ids. */
    public record DimensionLine(String key, String label, String layer, String direction, String thresholds,
                                String value, Integer score, long records, String examplesOf,
                                List<String> examples, String note) {
        public DimensionLine {
            examples = List.copyOf(examples);
        }
    }

    /** Row accounting of one input table. */
    public record Coverage(String table, boolean present, long read, long accepted, long quarantined,
                           long deleted) {}

    public record NotMeasured(String figure, String reason) {}

    /** One funnel: a cut (dimension, value), its stages and its chart; cohort null for all months. */
    public record FunnelCut(String dimension, String dimensionLabel, String value, List<FunnelStage> stages,
                            Svg chart) {
        public FunnelCut {
            stages = List.copyOf(stages);
        }
    }

    /** converted, dropped, skipped null where the table has none (the last stage has no next one). */
    public record FunnelStage(String stage, long entered, Long converted, BigDecimal conversionRate, Long dropped,
                              Long skipped, boolean biggestDrop) {}

    /** measured false: no handoff is configured, the section says so. */
    public record Handoffs(boolean measured, List<HandoffLink> links, List<ImpactRow> impacts, int impactRows,
                           Svg chart) {
        public Handoffs {
            links = List.copyOf(links);
            impacts = List.copyOf(impacts);
        }
    }

    public record HandoffLink(String handoff, String sender, String receiver, long entered,
                              BigDecimal payloadCompletePct, BigDecimal slaMetPct, BigDecimal ownerNamedPct,
                              BigDecimal medianLatencyHours, BigDecimal p90LatencyHours, BigDecimal completionPct,
                              long slaPending, long slaNotMeasurable) {}

    public record ImpactRow(String handoff, String failureType, String segment, long records,
                            BigDecimal winRateFailed, BigDecimal winRateClean, BigDecimal impactExpected,
                            BigDecimal impactUpperBound, String note) {}

    /** The two bridges per period, category totals and the largest breaks; breaksCapped of breaks in all. */
    public record Reconciliation(List<Bridge> bridges, List<CategoryTotal> categories, Svg categoryChart,
                                 List<BreakRow> topBreaks, long breaks) {
        public Reconciliation {
            bridges = List.copyOf(bridges);
            categories = List.copyOf(categories);
            topBreaks = List.copyOf(topBreaks);
        }
    }

    /** One bridge for one period; tiesOut compares the steps' end with the closing total. */
    public record Bridge(String name, String title, String period, List<BridgeStep> steps, BigDecimal stepsEnd,
                         BigDecimal closing, boolean tiesOut, Svg chart) {
        public Bridge {
            steps = List.copyOf(steps);
        }
    }

    /** A step; total marks an opening, intermediate or closing total, the others change the running total. */
    public record BridgeStep(int order, String step, String label, String layer, BigDecimal amount,
                             BigDecimal runningTotal, long rows, String note, boolean total) {}

    public record CategoryTotal(String category, String label, String layer, long rows, BigDecimal crmAmount,
                                BigDecimal financeAmount, BigDecimal absVariance) {}

    public record BreakRow(String opportunityId, String bookingIds, String category, String layer,
                           BigDecimal crmAmount, BigDecimal financeAmount, BigDecimal variance, String note) {}

    public record MetricRow(String metric, String period, String segment, BigDecimal modeled, BigDecimal recomputed,
                            BigDecimal financeSafe, BigDecimal variance, BigDecimal variancePct, String sourceModel) {}

    public record DriftRow(String metric, String period, String segment, String previousAsOf, BigDecimal previous,
                           BigDecimal current, BigDecimal delta, BigDecimal deltaPct, String note) {}

    /** Workflows x nights: each cell one night's total, band and six scores with values. */
    public record Scoreboard(List<String> nights, List<ScoreRow> rows) {
        public Scoreboard {
            nights = List.copyOf(nights);
            rows = List.copyOf(rows);
        }
    }

    /** One workflow and dimension (or the total, dimension "total") over the nights, oldest first. */
    public record ScoreRow(String workflow, String dimension, String label, List<ScoreCell> cells) {
        public ScoreRow {
            cells = List.copyOf(cells);
        }
    }

    /** score null: not scored that night; present false: the workflow had no row that night. */
    public record ScoreCell(boolean present, Integer score, String value, String band) {}
}
