package dev.handshake.job.stage;

import static java.util.Objects.requireNonNull;

import dev.handshake.Steps;
import dev.handshake.audit.Fx;
import dev.handshake.audit.Materializer;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.consistency.RunInvariants;
import dev.handshake.audit.reconciliation.FinanceAbsent;
import dev.handshake.config.AuditConfig;
import dev.handshake.model.AuditWindow;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.OutputTable;
import dev.handshake.sink.AuditSink;
import dev.handshake.sink.PreviousNight;
import dev.handshake.source.AuditInputs;
import dev.handshake.source.Quarantine;
import dev.handshake.source.TableCount;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a stage may read about the night, in one object: the window, the checked inputs, the
 * FX rates with the reporting currency, the settings, the keep hook for intermediates several
 * outputs read, the collector of figures the run could not measure, the committed earlier nights,
 * and the results of earlier stages.
 */
public final class RunContext {
    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    /** The loaded inputs as the contract step left them. */
    public record Loaded(AuditInputs inputs, List<TableCount> counts, long quarantinedRows) {}

    private final String runId;
    private final AuditWindow window;
    private final AuditConfig config;
    private final Loaded loaded;
    private final Fx fx;
    private final Steps steps;
    private final Materializer keep;
    private final List<SkippedFigure> skipped;
    private final RunInvariants invariants;
    private final NightHistory history;
    private final Map<Class<?>, StageResult> results = new HashMap<>();
    private final Map<String, Long> staged = new HashMap<>();
    private AuditStage<?> running;

    public RunContext(String runId, AuditWindow window, AuditConfig config, Loaded loaded, Steps steps,
                      Materializer keep, List<SkippedFigure> skipped, RunInvariants invariants, AuditSink store) {
        this.runId = requireNonNull(runId, "runId is null");
        this.window = requireNonNull(window, "window is null");
        this.config = requireNonNull(config, "config is null");
        this.loaded = requireNonNull(loaded, "loaded is null");
        this.steps = requireNonNull(steps, "steps is null");
        this.keep = requireNonNull(keep, "keep is null");
        this.skipped = requireNonNull(skipped, "skipped is null");
        this.invariants = requireNonNull(invariants, "invariants is null");
        this.history = new NightHistory(requireNonNull(store, "store is null"));
        this.fx = Fx.of(loaded.inputs(), config.reportingCurrency(), window);
        // The contract step staged the quarantine before the stages run.
        staged.put(Quarantine.OUTPUT.name(), loaded.quarantinedRows());
    }

    public String runId() {
        return runId;
    }

    public LocalDate asOf() {
        return window.asOf();
    }

    public AuditWindow window() {
        return window;
    }

    public AuditConfig config() {
        return config;
    }

    public AuditInputs inputs() {
        return loaded.inputs();
    }

    public List<TableCount> inputCounts() {
        return loaded.counts();
    }

    public long quarantinedRows() {
        return loaded.quarantinedRows();
    }

    /**
     * Why the finance figures are not measured tonight (no bookings table), or empty when they are:
     * without bookings nothing says whether a win reached finance (docs/coverage.md).
     */
    public Optional<String> financeAbsent() {
        return inputs().optional(CanonicalTable.BOOKINGS).isPresent() ? Optional.empty()
                : Optional.of(FinanceAbsent.REASON);
    }

    /** FX rates and the reporting currency: the one way money enters the audits. */
    public Fx fx() {
        return fx;
    }

    public Steps steps() {
        return steps;
    }

    /** Computes {@code rows} once and keeps it until the run ends (several readers follow). */
    public Dataset<Row> keep(Dataset<Row> rows) {
        return keep.apply(rows);
    }

    /** The keep hook, for audits that keep their own intermediates. */
    public Materializer keeper() {
        return keep;
    }

    /** A figure the run could not measure, and why: reported, never read as a clean result. */
    public void skip(SkippedFigure figure) {
        skipped.add(requireNonNull(figure, "figure is null"));
    }

    public void skip(String figure, String reason) {
        skip(new SkippedFigure(figure, reason));
    }

    /** A warning the log shows and the run reports. */
    public void warn(String figure, String message) {
        LOG.warn(message);
        skip(figure, message);
    }

    /** The figures skipped so far, in the order they were met. */
    public List<SkippedFigure> skipped() {
        return List.copyOf(skipped);
    }

    public RunInvariants invariants() {
        return invariants;
    }

    /** Earlier committed nights, read-only. */
    public NightHistory history() {
        return history;
    }

    /** The result of an earlier stage this one declared in {@link AuditStage#reads()}. */
    @SuppressWarnings("unchecked")
    public <R extends StageResult> R result(Class<? extends AuditStage<R>> stage) {
        if (running != null && !running.reads().contains(stage)) {
            throw new IllegalStateException(running.getClass().getSimpleName() + " reads the result of "
                    + stage.getSimpleName() + " without declaring it in reads()");
        }
        StageResult r = results.get(stage);
        if (r == null) {
            throw new IllegalStateException(stage.getSimpleName() + " has not run before "
                    + (running == null ? "the run" : running.getClass().getSimpleName()));
        }
        return (R) r;
    }

    /** The result of a stage, for the run once the stages are done; empty if it is not in the list. */
    @SuppressWarnings("unchecked")
    public <R extends StageResult> Optional<R> finished(Class<? extends AuditStage<R>> stage) {
        return Optional.ofNullable((R) results.get(stage));
    }

    /** Rows written to an output table this run, as the sink counted them; empty if not written. */
    public Optional<Long> stagedRows(OutputTable table) {
        return Optional.ofNullable(staged.get(table.name()));
    }

    /**
     * Every table this run staged, by name, with its rows: recorded in {@code audit_run.outputs}, so
     * a later night can tell a table this night wrote empty from one it did not write.
     */
    public Map<String, Long> stagedTables() {
        return new TreeMap<>(staged);
    }

    void staged(OutputTable table, long rows) {
        staged.put(table.name(), rows);
    }

    StageResult finishedResult(Class<?> stage) {
        return requireNonNull(results.get(stage), () -> stage.getSimpleName() + " has not run");
    }

    <R extends StageResult> R run(AuditStage<R> stage) {
        running = stage;
        try {
            R result = requireNonNull(stage.run(this), () -> stage.name() + " returned no result");
            results.put(stage.getClass(), result);
            return result;
        } finally {
            running = null;
        }
    }

    /** The committed nights before this one, as the sink keeps them; nothing here writes. */
    public static final class NightHistory {
        private final AuditSink store;

        NightHistory(AuditSink store) {
            this.store = store;
        }

        /** The latest successful earlier night whose given tables are all in place. */
        public Optional<PreviousNight> previousSucceeded(String... tables) {
            return store.previousSucceeded(tables);
        }

        public Dataset<Row> read(String table, LocalDate asOf) {
            return store.read(table, asOf);
        }

        public Map<LocalDate, byte[]> committedFiles(String directory, String name) {
            return store.committedFiles(directory, name);
        }
    }
}
