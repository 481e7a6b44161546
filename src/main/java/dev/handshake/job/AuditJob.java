package dev.handshake.job;

import static java.util.Objects.requireNonNull;

import dev.handshake.AuditException;
import dev.handshake.Checkpoints;
import dev.handshake.JobGroup;
import dev.handshake.Steps;
import dev.handshake.audit.DerivedOpportunityFacts;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.RunCoverage;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.UserRoles;
import dev.handshake.audit.benchmark.BenchmarkAudit;
import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.audit.consistency.RunInvariants;
import dev.handshake.audit.funnel.FunnelTable;
import dev.handshake.config.AuditConfig;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.job.stage.BenchmarkStage;
import dev.handshake.job.stage.LedgerStage;
import dev.handshake.job.stage.RunContext;
import dev.handshake.job.stage.RunCoverageStage;
import dev.handshake.job.stage.Stages;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.CanonicalTable;
import dev.handshake.sink.AuditSink;
import dev.handshake.sink.RunRecord;
import dev.handshake.sink.report.ReportPages;
import dev.handshake.source.AuditInputs;
import dev.handshake.source.InputFindings;
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
import java.util.Map;
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
     * Input tables one step reads (the lead journey: status history, activities, touches; the
     * opportunity changes: stage history): not kept, since kept they would push the tables read
     * several times out to disk (docs/performance.md).
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

    /**
     * What a finished run reports to its caller; {@code workflows} is empty when none is configured.
     * {@code bandAlertWorkflows} are the workflows as {@code --fail-on-band} reads them, acknowledged
     * breaks as matched (docs/break-ledger.md, Alerts).
     */
    public record Outcome(String runId, String outputRoot, List<TableCount> inputs,
                          List<SkippedFigure> skipped, long funnelRows, long quarantinedRows,
                          List<BenchmarkAudit.WorkflowReport> workflows, BreakAlert.NewBreaks newBreaks,
                          List<BenchmarkAudit.WorkflowReport> bandAlertWorkflows) {
        public Outcome(String runId, String outputRoot, List<TableCount> inputs, List<SkippedFigure> skipped,
                       long funnelRows, long quarantinedRows, List<BenchmarkAudit.WorkflowReport> workflows) {
            this(runId, outputRoot, inputs, skipped, funnelRows, quarantinedRows, workflows, BreakAlert.NewBreaks.NONE,
                    workflows);
        }
    }

    /** A new run id: start time first, so ids sort by start. */
    public static String newRunId(Instant started) {
        return RUN_ID_TIME.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Outcome run(LocalDate asOf) {
        return run(asOf, newRunId(Instant.now()));
    }

    /**
     * Runs under a run id chosen by the caller (the one its run lock names): recover, load, run the
     * stages in their declared order ({@link Stages#NIGHTLY}), commit, record the run.
     */
    public Outcome run(LocalDate asOf, String runId) {
        Instant started = Instant.now();
        AuditWindow window = new AuditWindow(asOf, config.lookbackDays());
        String queryTag = Endpoints.queryTag(runId, asOf);
        AuditSink store = Endpoints.sink(spark, config, runId, asOf, queryTag, secrets);
        Steps steps = new Steps(spark.sparkContext(), runId);
        List<TableCount> counts = List.of();
        List<SkippedFigure> skipped = new ArrayList<>();
        InputLoader.Loaded loaded = null;
        // Intermediate results several outputs read are computed once and kept by Spark's block
        // manager (memory, spilling to disk) as local checkpoints: later plans start from them as a
        // leaf, so they stay small to optimise and never recompute them.
        List<Dataset<Row>> intermediates = new ArrayList<>();
        Materializer keep = keeping(intermediates);
        RunInvariants invariants = new RunInvariants();
        RunContext ctx = null;
        LOG.info("run {} as_of={} window=[{}, {}) input={} output={}", runId, asOf, window.start(),
                window.endExclusive(), config.source().describe(), store.location());
        // Jobs between steps (a count, a probe) carry the run at least.
        JobGroup runGroup = JobGroup.enter(spark.sparkContext(), runId, JobGroup.describe("audit " + asOf, runId));
        try {
            store.recover();
            TableSource source = Endpoints.source(spark, config, Optional.of(window), queryTag, secrets);
            loaded = InputLoader.load(source, config.source(), steps, READ_ONCE);
            counts = loaded.counts();
            loaded.notes().forEach(n -> skipped.add(new SkippedFigure("implausible values in " + n.table(),
                    n.note() + ": accepted and used, check them at the source")));
            Dataset<Row> quarantine = loaded.quarantine();
            long quarantined = steps.step("write audit_quarantine", () -> store.stage(Quarantine.OUTPUT, quarantine),
                    n -> n);
            try {
                InputLoader.checkTolerance(counts, config.maxQuarantinedPct());
            } catch (AuditException tooMany) {
                // Every problem of every table, with example values, before the run stops.
                InputFindings.lines(InputFindings.problems(quarantine).collectAsList())
                        .forEach(line -> LOG.warn("input problem: {}", line));
                // And every unmapped label, as validate lists them: one pass tells all there is to fix.
                InputFindings.unmappedLabels(loaded.inputs(), loaded.columnsGiven(), InputFindings.labelColumns(config))
                        .report().forEach(line -> LOG.warn("input labels: {}", line.strip()));
                throw tooMany;
            }

            // is_won / is_closed from stage_mapping where the export does not state them (docs/coverage.md).
            AuditInputs asRead = loaded.inputs();
            DerivedOpportunityFacts.Derived derived = steps.step("derived opportunity facts",
                    () -> DerivedOpportunityFacts.derive(asRead, config.opportunityStages()),
                    d -> d.counts().derivedWon() + d.counts().derivedClosed());
            derived.counts().notes().forEach(n -> {
                LOG.warn(n);
                skipped.add(new SkippedFigure(DerivedOpportunityFacts.FIGURE, n));
            });
            AuditInputs inputs = derived.inputs();
            UserRoles.note(UserRoles.multiRoleUsers(inputs.table(CanonicalTable.USERS))).ifPresent(n -> {
                LOG.info("{}: {}", n.figure(), n.reason());
                skipped.add(n);
            });
            ctx = new RunContext(runId, window, config,
                    new RunContext.Loaded(inputs, counts, quarantined), steps, keep, skipped, invariants, store);
            Stages.run(Stages.NIGHTLY, ctx, store, spark.sparkContext());

            // The history row is committed with the tables (so it cannot time the commit itself).
            Dataset<Row> succeeded = record(runId, started, RunRecord.SUCCEEDED, counts, skipped, steps, null, null,
                    invariants.results(), RunCoverageStage.of(ctx), ctx.stagedTables()).toDataset(spark);
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
            return new Outcome(runId, store.location(), counts, List.copyOf(skipped),
                    ctx.stagedRows(FunnelTable.OUTPUT).orElse(0L), quarantined,
                    ctx.finished(BenchmarkStage.class).map(BenchmarkStage.Benchmark::reports).orElse(List.of()),
                    ctx.finished(LedgerStage.class).map(LedgerStage.Ledger::newBreaks).orElse(BreakAlert.NewBreaks.NONE),
                    ctx.finished(BenchmarkStage.class).map(BenchmarkStage.Benchmark::alertReports).orElse(List.of()));
        } catch (Throwable e) {
            // Errors too (a class missing from a cluster's class path, an out-of-memory driver),
            // and Spark's SparkException, checked in Java yet thrown undeclared by every action (a
            // full disk, an unreadable file): the night must still show up as FAILED in the history.
            Optional<AuditException> told = recordFailure(e, store, runId, started, counts, skipped, steps, invariants,
                    RunCoverageStage.of(ctx));
            if (told.isPresent()) {
                throw told.get();
            }
            throw e;
        } finally {
            // Several nights can run in one JVM (a backfill): each releases what it kept.
            intermediates.forEach(Checkpoints::release);
            if (loaded != null) {
                loaded.release();
            }
            runGroup.close();
            steps.close();
        }
    }

    /**
     * Records a failed run. An expected failure comes back as the {@link AuditException} to throw,
     * told in one sentence; anything else comes back empty, to be rethrown as it was.
     */
    private Optional<AuditException> recordFailure(Throwable e, AuditSink store, String runId, Instant started,
                                    List<TableCount> counts, List<SkippedFigure> skipped, Steps steps,
                                    RunInvariants invariants, RunCoverage coverage) {
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
                    invariants.results(), coverage, Map.of()).toDataset(spark));
        } catch (RuntimeException recordFailure) {
            e.addSuppressed(recordFailure);
        }
        if (e instanceof AuditException ae) {
            return Optional.of(new AuditException(ae.code(), message));
        }
        String told = message;
        return expected.map(x -> new AuditException(x.code(), told));
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

    /**
     * What the inputs cover for night {@code asOf}, as that night's run will state it: the nightly
     * stages up to the coverage, run over {@code loaded} (is_won / is_closed derived as the run
     * derives them). For {@code validate --as-of}; those stages stage no table, so nothing is written.
     */
    public RunCoverage coverage(LocalDate asOf, InputLoader.Loaded loaded) {
        String runId = "validate-" + asOf;
        // Never written to: the coverage stages have no output table (checked below).
        AuditSink nothingWritten = new dev.handshake.sink.OutputStore(spark, System.getProperty("java.io.tmpdir"),
                runId, asOf);
        List<Dataset<Row>> kept = new ArrayList<>();
        Materializer keep = keeping(kept);
        try {
            AuditInputs inputs = DerivedOpportunityFacts.derive(loaded.inputs(), config.opportunityStages()).inputs();
            long quarantined = loaded.counts().stream().mapToLong(TableCount::rowsQuarantined).sum();
            RunContext ctx = new RunContext(runId, new AuditWindow(asOf, config.lookbackDays()), config,
                    new RunContext.Loaded(inputs, loaded.counts(), quarantined), new Steps(), keep, new ArrayList<>(),
                    new RunInvariants(), nothingWritten);
            int through = 0;
            while (!(Stages.NIGHTLY.get(through) instanceof RunCoverageStage)) {
                through++;
            }
            Stages.run(Stages.NIGHTLY.subList(0, through + 1), ctx, nothingWritten, spark.sparkContext());
            // The quarantine is counted into the context from the load, never staged here.
            if (!ctx.stagedTables().keySet().equals(Set.of(Quarantine.OUTPUT.name()))) {
                throw new IllegalStateException("a coverage stage staged a table: " + ctx.stagedTables().keySet());
            }
            return RunCoverageStage.of(ctx);
        } finally {
            kept.forEach(Checkpoints::release);
        }
    }

    /** Keeps results as local checkpoints and lists each in {@code kept}, for its release when the run ends. */
    private static Materializer keeping(List<Dataset<Row>> kept) {
        Materializer checkpoint = Materializer.localCheckpoint();
        return rows -> {
            Dataset<Row> k = checkpoint.apply(rows);
            kept.add(k);
            return k;
        };
    }

    private static String keepFailed(AuditSink store) {
        try {
            return store.keepFailed();
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    private RunRecord record(String runId, Instant started, String status, List<TableCount> counts,
                             List<SkippedFigure> skipped, Steps steps, Throwable error, String message,
                             List<RunInvariants.Invariant> invariants, RunCoverage coverage,
                             Map<String, Long> outputs) {
        return new RunRecord(runId, started, Instant.now(), status, config.configHash(), codeVersion(),
                counts, skipped, steps.timings(), error == null ? null : error.getClass().getName(), message,
                invariants, coverage, outputs, steps.sparkJobs());
    }

    public static String codeVersion() {
        String v = AuditJob.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
