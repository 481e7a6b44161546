package dev.handshake.job;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.Checkpoints;
import dev.handshake.Steps;
import dev.handshake.model.AuditWindow;
import dev.handshake.audit.BookingMatch;
import dev.handshake.audit.CohortCoverage;
import dev.handshake.audit.LeadJourney;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.Fx;
import dev.handshake.audit.OpportunityChanges;
import dev.handshake.audit.OpportunityScope;
import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.audit.consistency.RunInvariants;
import dev.handshake.audit.benchmark.BenchmarkFacts;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.benchmark.WorkflowPopulation;
import dev.handshake.audit.funnel.FunnelAudit;
import dev.handshake.audit.drift.DriftAudit;
import dev.handshake.audit.handoff.HandoffAudit;
import dev.handshake.audit.handoff.HandoffTables;
import dev.handshake.audit.reconciliation.ReconciliationAudit;
import dev.handshake.audit.reconciliation.ReconciliationTables;
import dev.handshake.source.AuditInputs;
import dev.handshake.model.CanonicalTable;
import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.Workflow;
import dev.handshake.sink.BenchmarkReports;
import dev.handshake.sink.report.ReportData;
import dev.handshake.sink.report.ReportModel;
import dev.handshake.sink.report.ReportPages;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.sink.AuditSink;
import dev.handshake.sink.RunRecord;
import dev.handshake.source.InputLoader;
import dev.handshake.source.Quarantine;
import dev.handshake.source.TableCount;
import dev.handshake.source.TableSource;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit run for one {@code as_of}: read and check inputs, run the audits, write the tables
 * as one unit, and record the run (also when it fails). The only place that does I/O.
 */
public final class AuditJob {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJob.class);
    /**
     * Input tables one step reads, in one place (the lead journey: status history, activities,
     * touches; the opportunity changes: stage history). Kept in memory they would only wait for
     * that step while pushing the tables read several times out to disk. Measured at 1M leads:
     * contract step 25.5 s instead of 34-38 s, audit 99-104 s against 106-114 s beside it.
     */
    static final Set<CanonicalTable> READ_ONCE = Set.of(CanonicalTable.LEAD_STATUS_HISTORY,
            CanonicalTable.ACTIVITIES, CanonicalTable.CAMPAIGN_TOUCHES, CanonicalTable.OPPORTUNITY_HISTORY);
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final SparkSession spark;
    private final AuditConfig config;
    private final SecretSource secrets;

    public AuditJob(SparkSession spark, AuditConfig config) {
        this(spark, config, SecretSource.system());
    }

    /** With warehouse credentials from {@code secrets} instead of the process environment. */
    public AuditJob(SparkSession spark, AuditConfig config, SecretSource secrets) {
        this.spark = requireNonNull(spark, "spark is null");
        this.config = requireNonNull(config, "config is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
    }

    /** What a finished run reports to its caller; {@code workflows} is empty when none is configured. */
    public record Outcome(String runId, String outputRoot, List<TableCount> inputs,
                          List<SkippedFigure> skipped, long funnelRows, long quarantinedRows,
                          List<BenchmarkAudit.WorkflowReport> workflows, BreakAlert.NewBreaks newBreaks) {
        public Outcome(String runId, String outputRoot, List<TableCount> inputs, List<SkippedFigure> skipped,
                       long funnelRows, long quarantinedRows, List<BenchmarkAudit.WorkflowReport> workflows) {
            this(runId, outputRoot, inputs, skipped, funnelRows, quarantinedRows, workflows, BreakAlert.NewBreaks.NONE);
        }
    }

    /** A new run id: start time first, so ids sort by start. */
    public static String newRunId(Instant started) {
        return RUN_ID_TIME.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Outcome run(LocalDate asOf) {
        return run(asOf, newRunId(Instant.now()));
    }

    /** Runs under a run id chosen by the caller (the one its run lock names). */
    public Outcome run(LocalDate asOf, String runId) {
        Instant started = Instant.now();
        AuditWindow window = new AuditWindow(asOf, config.lookbackDays());
        String queryTag = Endpoints.queryTag(runId, asOf);
        AuditSink store = Endpoints.sink(spark, config, runId, asOf, queryTag, secrets);
        Steps steps = new Steps();
        List<TableCount> counts = List.of();
        List<SkippedFigure> skipped = new ArrayList<>();
        InputLoader.Loaded loaded = null;
        // Intermediate results several outputs read are computed once and kept by Spark's block
        // manager (memory, spilling to disk) as local checkpoints: later plans start from them as a
        // leaf, so they stay small to optimise and never recompute them.
        List<Dataset<Row>> intermediates = new ArrayList<>();
        Materializer checkpoint = Materializer.localCheckpoint();
        Materializer cached = rows -> {
            Dataset<Row> k = checkpoint.apply(rows);
            intermediates.add(k);
            return k;
        };
        List<BenchmarkAudit.WorkflowReport> workflowReports = List.of();
        RunInvariants invariants = new RunInvariants();
        LOG.info("run {} as_of={} window=[{}, {}) input={} output={}", runId, asOf, window.start(),
                window.endExclusive(), config.source().describe(), store.location());
        try {
            store.recover();
            TableSource source = Endpoints.source(spark, config, Optional.of(window), queryTag, secrets);
            loaded = InputLoader.load(source, config.source(), steps, READ_ONCE);
            counts = loaded.counts();
            loaded.notes().forEach(n -> skipped.add(new SkippedFigure("implausible values in " + n.table(),
                    n.note() + ": accepted and used, check them at the source")));
            AuditInputs inputs = loaded.inputs();
            Dataset<Row> quarantine = loaded.quarantine();
            long quarantined = steps.step("write audit_quarantine",
                    () -> store.stage(Quarantine.NAME, quarantine, false,
                            Quarantine.SOURCE_TABLE, Quarantine.ROW_KEY), n -> n);
            InputLoader.checkTolerance(counts, config.maxQuarantinedPct());

            LeadJourney journey = LeadJourney.build(inputs, config.leadStatusStages(),
                    config.roles(), window, config.workflows().stream().anyMatch(Workflow::usesTouchTypes));
            skipped.addAll(journey.skipped());
            List<String> leadColumns = new ArrayList<>(LeadJourney.AUDITED_LEAD_COLUMNS);
            leadColumns.addAll(HandoffAudit.leadFields(config.handoffs()));
            WorkflowPopulation.Tagged tagged = WorkflowPopulation.tag(journey.carrying(leadColumns), inputs,
                    config.workflows(), window);
            skipped.addAll(tagged.skipped());
            // The journey feeds the funnel, the opportunity scope, every handoff and the workflows: built once.
            Dataset<Row> journeyRows = steps.step("lead journey", () -> cached.apply(tagged.journey().leads()),
                    Dataset::count);
            Fx fx = Fx.of(inputs, config.reportingCurrency(), window);
            if (!fx.hasRates()) {
                skipped.add(new SkippedFigure("amounts in currencies other than " + config.reportingCurrency(),
                        "fx_rates table absent: such amounts are left out of money figures and counted"));
            }
            Dataset<Row> scope = steps.step("opportunity scope", () -> cached.apply(OpportunityScope.build(inputs,
                    new LeadJourney(journeyRows, journey.skipped()), window, fx)), Dataset::count);
            // The journey and the scope were the lead table's only readers.
            Checkpoints.release(inputs.table(CanonicalTable.LEADS));
            // When each win reached finance is the reconciliation's matching, made once: the funnel's
            // BOOKED, the handoffs and the reconciliation all read it.
            BookingMatch match = BookingMatch.of(scope, inputs.table(CanonicalTable.BOOKINGS), fx,
                    config.reconciliation(), window, cached);
            Dataset<Row> arrived = steps.step("finance arrival", () -> cached.apply(match.firstBooked()),
                    Dataset::count);
            LeadJourney shared = new LeadJourney(journeyRows, journey.skipped()).withFinanceArrival(arrived);
            List<String> coverage = CohortCoverage.warnings(journeyRows, window);
            coverage.forEach(w -> {
                LOG.warn(w);
                skipped.add(new SkippedFigure(CohortCoverage.FIGURE, w));
            });
            if (!config.workflows().isEmpty()) {
                // One row, or none when no workflow filters on a value (e.g. a workflow of all leads).
                List<Row> probed = WorkflowPopulation.valueProbe(journeyRows, config.workflows()).collectAsList();
                Row probe = probed.isEmpty() ? null : probed.get(0);
                for (String unmatched : WorkflowPopulation.unmatched(probe, config.workflows())) {
                    LOG.warn("{}: check the spelling against the data", unmatched);
                    skipped.add(new SkippedFigure("workflow filter value", unmatched));
                }
            }
            // The benchmark's few journey columns, copied while the journey is in memory: the wide
            // journey is released once the handoffs are evaluated, its last reader but the benchmark.
            Optional<Dataset<Row>> benchmarkLeads = config.workflows().isEmpty() ? Optional.empty()
                    : Optional.of(steps.step("benchmark journey", () -> cached.apply(
                            BenchmarkFacts.journeyRead(shared.leads(), config.leadStatusStages())), Dataset::count));
            Dataset<Row> funnel = steps.step("funnel", () -> cached.apply(FunnelAudit.run(shared)), Dataset::count);
            long funnelRows = steps.step("audit funnel", () -> store.stage(FunnelTable.NAME, funnel, true,
                    FunnelTable.CUT_DIMENSION, FunnelTable.CUT_VALUE, FunnelTable.COHORT_MONTH,
                    FunnelTable.STAGE_ORDER), n -> n);

            Optional<Dataset<Row>> handoffRows = Optional.empty();
            ReportModel.Handoffs handoffFigures = ReportData.noHandoffs();
            if (config.handoffs().isEmpty()) {
                skipped.add(new SkippedFigure("handoff tables", "no handoffs configured"));
            } else {
                HandoffAudit.Result handoffs = HandoffAudit.run(shared,
                        OpportunityScope.withFinanceArrival(scope, arrived), inputs.table(CanonicalTable.USERS),
                        config.handoffs(), config.roles(), config.reasonCategories(), window);
                Dataset<Row> failures = steps.step("handoff evaluation", () -> cached.apply(handoffs.failures()),
                        Dataset::count);
                if (!config.workflows().isEmpty()) {
                    handoffRows = Optional.of(steps.step("benchmark handoff rows",
                            () -> cached.apply(BenchmarkFacts.handoffRowsRead(failures)), Dataset::count));
                }
                Checkpoints.release(journeyRows);
                invariants.handoffRows(failures);
                HandoffAudit.Result summary = HandoffAudit.summarize(failures, scope, config.handoffs());
                steps.step("audit handoff failures", () -> store.stage(HandoffTables.FAILURES,
                        HandoffTables.published(failures), false, HandoffTables.HANDOFF, HandoffTables.RECORD_ID), n -> n);
                steps.step("audit failure impact", () -> store.stage(HandoffTables.IMPACT, summary.impact(),
                        true, HandoffTables.HANDOFF, HandoffTables.FAILURE_TYPE, HandoffTables.SEGMENT), n -> n);
                steps.step("audit handoff map", () -> store.stage(HandoffTables.MAP, summary.map(), true,
                        HandoffTables.HANDOFF), n -> n);
                handoffFigures = steps.step("report handoff figures", () -> ReportData.handoffs(summary.map(),
                        summary.impact()), h -> (long) h.links().size());
                Checkpoints.release(failures);
            }

            OpportunityChanges changes = OpportunityChanges.build(inputs, scope,
                    config.opportunityStages(), window);
            skipped.addAll(changes.skipped());
            Dataset<Row> changeRows = steps.step("opportunity changes", () -> cached.apply(changes.rows()),
                    Dataset::count);
            // The reconciliation keeps its intermediates (won deals, bookings in scope, their
            // assignment) as it builds them: the step times that work, not only the write.
            Reconciled reconciled = steps.step("reconciliation", () -> {
                ReconciliationAudit.Result r = ReconciliationAudit.run(scope, changeRows, match,
                        inputs.optional(CanonicalTable.MODELED_METRICS),
                        fx, config.reconciliation(), config.reasonCategories(), window, cached);
                return new Reconciled(r, cached.apply(r.reconciliation()));
            }, r -> r.rows().count());
            ReconciliationAudit.Result recon = reconciled.audit();
            Dataset<Row> reconRows = reconciled.rows();
            steps.step("audit reconciliation", () -> store.stage(ReconciliationTables.RECONCILIATION, reconRows,
                    false, ReconciliationTables.CATEGORY, ReconciliationTables.OPPORTUNITY_ID), n -> n);
            Dataset<Row> bridge = steps.step("revenue bridge", () -> cached.apply(recon.bridge()), Dataset::count);
            steps.step("audit revenue bridge", () -> store.stage(ReconciliationTables.BRIDGE, bridge, true,
                    ReconciliationTables.BRIDGE_NAME, ReconciliationTables.PERIOD, ReconciliationTables.STEP_ORDER),
                    n -> n);
            Dataset<Row> metrics = steps.step("metric comparison", () -> cached.apply(recon.metrics()),
                    Dataset::count);
            steps.step("audit metric comparison", () -> store.stage(ReconciliationTables.METRICS, metrics, true,
                    ReconciliationTables.METRIC, ReconciliationTables.PERIOD, ReconciliationTables.SEGMENT), n -> n);
            if (inputs.optional(CanonicalTable.MODELED_METRICS).isEmpty()) {
                skipped.add(new SkippedFigure("audit_metric_comparison.modeled_value",
                        "modeled_metrics table absent: the translation layer's numbers cannot be compared"));
            }
            long negativeBookings = match.negativeOutsideReversal().count();
            if (negativeBookings > 0) {
                steps.warn("input bookings: " + negativeBookings + " booking(s) in scope with a negative amount and a "
                        + "status that does not map to reversed");
                skipped.add(new SkippedFigure("implausible values in bookings", negativeBookings + " booking(s) in "
                        + "scope with a negative amount and a status that does not map to reversed, counted as given"));
            }
            long excludedBookings = recon.excludedBookings().count();
            if (excludedBookings > 0) {
                skipped.add(new SkippedFigure("bookings with an excluded status", excludedBookings
                        + " booking(s) whose status maps to excluded are not bookings and are left out"));
            }

            Optional<DriftAudit.PreviousRun> previous = store.previousSucceeded(ReconciliationTables.METRICS,
                    ReconciliationTables.RECONCILIATION).map(r -> {
                        LocalDate previousAsOf = r.getDate(1).toLocalDate();
                        return new DriftAudit.PreviousRun(r.getString(0), previousAsOf,
                                store.read(ReconciliationTables.METRICS, previousAsOf),
                                store.read(ReconciliationTables.RECONCILIATION, previousAsOf));
                    });
            Dataset<Row> drift = DriftAudit.run(metrics, reconRows, previous);
            steps.step("audit drift", () -> store.stage(DriftAudit.NAME, drift, true, ReconciliationTables.METRIC,
                    ReconciliationTables.PERIOD, ReconciliationTables.SEGMENT), n -> n);
            LedgerStep.Outcome ledger = LedgerStep.run(store, steps, asOf, reconRows, scope, inputs,
                    config.lookbackDays(), LedgerStep.lagRule(config.reconciliation()), skipped, cached);
            RestatementStep.run(store, steps, window, match, reconRows, config.reconciliation(), skipped);

            if (config.workflows().isEmpty()) {
                skipped.add(new SkippedFigure("audit_benchmark, audit_first_fork and reports",
                        "no workflows configured"));
            } else {
                BenchmarkFacts.Inputs benchmarkInputs = new BenchmarkFacts.Inputs(
                        benchmarkLeads.orElseThrow(), scope, changeRows, handoffRows, reconRows, metrics,
                        inputs.optional(CanonicalTable.FIELD_HISTORY), inputs.table(CanonicalTable.USERS));
                BenchmarkFacts.Aggregates aggregates = steps.step("benchmark facts", () -> BenchmarkFacts.aggregate(
                        benchmarkInputs,
                        new BenchmarkFacts.Rules(config.benchmark(), config.handoffs(), config.leadStatusStages(),
                                config.roles(), config.reasonCategories(), window), cached), a -> 0L);
                boolean fieldHistory = inputs.optional(CanonicalTable.FIELD_HISTORY).isPresent();
                if (!fieldHistory) {
                    skipped.add(new SkippedFigure("benchmark override_discipline and owner_clarity scores",
                            "field_history table absent: manual changes and re-owning cannot be seen"));
                }
                BenchmarkAudit.Result benchmark = steps.step("benchmark and first fork", () -> BenchmarkAudit.run(
                        aggregates, funnel, config.workflows(), config.benchmark(), config.handoffs(), fieldHistory,
                        config.reportingCurrency()), r -> r.reports().size());
                workflowReports = benchmark.reports();
                steps.step("audit benchmark", () -> store.stage(BenchmarkTables.BENCHMARK, benchmark.benchmark(), true,
                        BenchmarkTables.WORKFLOW, BenchmarkTables.DIMENSION_ORDER), n -> n);
                steps.step("audit first fork", () -> store.stage(BenchmarkTables.FIRST_FORK, benchmark.firstFork(), true,
                        BenchmarkTables.WORKFLOW), n -> n);
                java.util.Map<String, byte[]> reports = new java.util.LinkedHashMap<>();
                reports.put(BenchmarkTables.SUMMARY_CSV, BenchmarkReports.summaryCsv(asOf, benchmark.reports()));
                ReportData.Run run = new ReportData.Run(asOf, runId, config.reportingCurrency(), counts, skipped,
                        coverage, ledger.movements());
                ReportData.Tables tables = new ReportData.Tables(funnel, handoffFigures, reconRows, bridge, metrics, drift);
                ReportModel page = steps.step("report figures", () -> ReportData.build(run, tables, benchmark.reports(),
                        config.benchmark(), store.committedFiles(BenchmarkTables.REPORTS, BenchmarkTables.SUMMARY_CSV),
                        reports.get(BenchmarkTables.SUMMARY_CSV)), p -> (long) p.workflows().size());
                reports.put(BenchmarkTables.REVIEW_SHEET, BenchmarkReports.reviewSheet(page));
                reports.put(BenchmarkTables.REPORT_HTML, ReportPages.report(page));
                store.stageFiles(BenchmarkTables.REPORTS, reports);
                for (BenchmarkAudit.WorkflowReport r : benchmark.reports()) {
                    LOG.info("workflow {}: total {} {}{}, first fork {}, {}", r.workflow().name(), r.total().total(),
                            r.total().band() == null ? "band not certain" : r.total().band(),
                            r.total().complete() ? "" : " (incomplete)", r.fork().firstForkLayer(), r.fork().problemKind());
                }
            }

            List<BenchmarkAudit.WorkflowReport> reported = workflowReports;
            List<TableCount> read = counts;
            steps.step("run invariants", () -> {
                invariants.check(read, quarantined, funnel, config.handoffs(), scope, recon, reconRows, bridge,
                        reported.stream().collect(java.util.stream.Collectors.toMap(r -> r.workflow().name(),
                                r -> r.findings().leads())));
                return (long) invariants.results().size();
            }, n -> n);
            // The history row is committed with the tables (so it cannot time the commit itself).
            Dataset<Row> succeeded = record(runId, started, RunRecord.SUCCEEDED, counts, skipped, steps, null, null,
                    invariants.results()).toDataset(spark);
            steps.step("commit", () -> {
                store.commit(succeeded);
                return 0L;
            }, n -> n);
            if (!config.workflows().isEmpty()) {
                publishReportIndex(store, skipped);
            }
            LOG.info("run {} SUCCEEDED in {} s; tables under {}", runId,
                    String.format(Locale.ROOT, "%.1f", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0),
                    store.location());
            return new Outcome(runId, store.location(), counts, List.copyOf(skipped), funnelRows, quarantined,
                    workflowReports, ledger.newBreaks());
        } catch (Throwable e) {
            // Errors too (a class missing from a cluster's class path, an out-of-memory driver),
            // and Spark's SparkException, checked in Java yet thrown undeclared by every action (a
            // full disk, an unreadable file): the night must still show up as FAILED in the history.
            String kept = keepFailed(store);
            Optional<AuditException> expected = e instanceof AuditException ? Optional.empty()
                    : Failures.explain(e, store.location());
            if (expected.isPresent()) {
                // Told in one sentence; the trace is for a developer only.
                LOG.debug("run {} failed", runId, e);
            }
            String message = e instanceof AuditException ? e.getMessage()
                    : expected.map(Throwable::getMessage)
                            .orElseGet(() -> e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()));
            if (kept != null) {
                message = message + " (this run's staged tables, e.g. its quarantine, are kept at " + kept + ")";
            }
            try {
                store.appendRun(record(runId, started, RunRecord.FAILED, counts, skipped, steps, e, message,
                        invariants.results()).toDataset(spark));
            } catch (RuntimeException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            if (e instanceof AuditException ae) {
                throw new AuditException(ae.code(), message);
            }
            if (expected.isPresent()) {
                throw new AuditException(expected.get().code(), message);
            }
            throw e;
        } finally {
            // Several nights can run in one JVM (a backfill): each releases what it kept.
            intermediates.forEach(Checkpoints::release);
            if (loaded != null) {
                loaded.release();
            }
        }
    }

    /**
     * Rewrites reports/index.html from every committed night. The night is already committed: a
     * failure here is reported and the next run rewrites the index, the tables stand.
     */
    private static void publishReportIndex(AuditSink store, List<SkippedFigure> skipped) {
        try {
            store.publishFile(BenchmarkTables.REPORTS, BenchmarkTables.REPORT_INDEX,
                    ReportPages.index(store.committedFiles(BenchmarkTables.REPORTS, BenchmarkTables.SUMMARY_CSV)));
        } catch (RuntimeException e) {
            LOG.warn("the index of reports was not rewritten ({}); the next run rewrites it", e.getMessage());
            skipped.add(new SkippedFigure("reports/index.html", "not rewritten: " + e.getMessage()));
        }
    }

    /** The reconciliation's results and its kept per-opportunity rows. */
    private record Reconciled(ReconciliationAudit.Result audit, Dataset<Row> rows) {}

    private static String keepFailed(AuditSink store) {
        try {
            return store.keepFailed();
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    private RunRecord record(String runId, Instant started, String status, List<TableCount> counts,
                             List<SkippedFigure> skipped, Steps steps, Throwable error, String message,
                             List<RunInvariants.Invariant> invariants) {
        return new RunRecord(runId, started, Instant.now(), status, config.configHash(), codeVersion(),
                counts, skipped, steps.timings(), error == null ? null : error.getClass().getName(), message,
                invariants);
    }

    public static String codeVersion() {
        String v = AuditJob.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
