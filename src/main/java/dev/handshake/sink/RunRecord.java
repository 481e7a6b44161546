package dev.handshake.sink;

import static java.util.Objects.requireNonNull;

import dev.handshake.Steps;
import dev.handshake.audit.RunCoverage;
import dev.handshake.audit.SkippedFigure;
import dev.handshake.audit.consistency.RunInvariants;
import dev.handshake.source.TableCount;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code audit_run}: what ran, how it ended, the row accounting per input table, and
 * the invariants between its output tables ({@link RunInvariants}).
 * Never holds secrets: the error message is the user-facing one, and credentials an exception
 * may quote (user:password@ in a URI, password= / token= / secret key parameters) are masked.
 */
public record RunRecord(String runId, Instant startedAt, Instant finishedAt, String status,
                        String configHash, String codeVersion, List<TableCount> inputs,
                        List<SkippedFigure> skipped, List<Steps.Timing> steps,
                        String errorClass, String errorMessage, List<RunInvariants.Invariant> invariants,
                        RunCoverage coverage, Map<String, Long> outputs, Long sparkJobs) {
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    private static final StructType INPUT = new StructType()
            .add("table", DataTypes.StringType).add("present", DataTypes.BooleanType)
            .add("rows_read", DataTypes.LongType).add("rows_accepted", DataTypes.LongType)
            .add("rows_quarantined", DataTypes.LongType).add("rows_deleted", DataTypes.LongType);
    private static final StructType SKIPPED = new StructType()
            .add("figure", DataTypes.StringType).add("reason", DataTypes.StringType);
    private static final StructType INVARIANT = new StructType()
            .add("name", DataTypes.StringType).add("expected", DataTypes.LongType)
            .add("actual", DataTypes.LongType).add("pass", DataTypes.BooleanType);
    private static final StructType STEP = new StructType()
            .add("step", DataTypes.StringType).add("rows", DataTypes.LongType)
            .add("seconds", DataTypes.DoubleType);

    private static final StructType COVERAGE_TABLE = new StructType()
            .add("table", DataTypes.StringType).add("state", DataTypes.StringType).add("rows", DataTypes.LongType);
    private static final StructType COVERAGE_STAGE = new StructType()
            .add("stage", DataTypes.StringType).add("leads_with_evidence", DataTypes.LongType);
    /** One table a run staged and committed, with its rows. */
    public static final StructType OUTPUT = new StructType()
            .add("table", DataTypes.StringType).add("rows", DataTypes.LongType);

    /** Data columns; run_id and as_of are the partition directories of the run history. */
    public static final StructType SCHEMA = new StructType()
            .add("started_at", DataTypes.TimestampType).add("finished_at", DataTypes.TimestampType)
            .add("status", DataTypes.StringType).add("config_hash", DataTypes.StringType)
            .add("code_version", DataTypes.StringType)
            .add("inputs", new ArrayType(INPUT, false))
            .add("skipped_figures", new ArrayType(SKIPPED, false))
            .add("steps", new ArrayType(STEP, false))
            .add("error_class", DataTypes.StringType).add("error_message", DataTypes.StringType)
            // Last, so the columns before keep their positions: the run's invariants, evaluated before
            // the commit (empty when the run failed before reaching them).
            .add("invariants", new ArrayType(INVARIANT, false))
            // Appended after them, for the same reason: what the inputs cover (docs/coverage.md); null
            // when the run failed before computing it.
            .add("coverage_tables", new ArrayType(COVERAGE_TABLE, false))
            .add("coverage_stages", new ArrayType(COVERAGE_STAGE, false))
            .add("cohort_leads", DataTypes.LongType).add("won_deals", DataTypes.LongType)
            .add("won_with_amount", DataTypes.LongType).add("won_with_currency", DataTypes.LongType)
            .add("won_with_fx_rate", DataTypes.LongType).add("won_with_lead", DataTypes.LongType)
            // The tables the run wrote, with their rows (empty when it failed before committing): how
            // a later night tells a table written empty from one this night did not write.
            .add("outputs", new ArrayType(OUTPUT, false))
            // The Spark jobs the run started up to this record (SparkJobs): its cost is mostly per
            // job, so the count is tracked night by night (docs/performance.md).
            .add("spark_jobs", DataTypes.LongType);

    public RunRecord {
        requireNonNull(runId, "runId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(status, "status is null");
        inputs = List.copyOf(inputs);
        skipped = List.copyOf(skipped);
        steps = List.copyOf(steps);
        errorMessage = errorMessage == null ? null : maskCredentials(errorMessage);
        invariants = List.copyOf(invariants);
        outputs = outputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    /** A run record without coverage. */
    public RunRecord(String runId, Instant startedAt, Instant finishedAt, String status, String configHash,
                     String codeVersion, List<TableCount> inputs, List<SkippedFigure> skipped,
                     List<Steps.Timing> steps, String errorClass, String errorMessage,
                     List<RunInvariants.Invariant> invariants) {
        this(runId, startedAt, finishedAt, status, configHash, codeVersion, inputs, skipped, steps, errorClass,
                errorMessage, invariants, null, Map.of(), null);
    }

    /** A run record without invariants (a run that failed before they were evaluated). */
    public RunRecord(String runId, Instant startedAt, Instant finishedAt, String status, String configHash,
                     String codeVersion, List<TableCount> inputs, List<SkippedFigure> skipped,
                     List<Steps.Timing> steps, String errorClass, String errorMessage) {
        this(runId, startedAt, finishedAt, status, configHash, codeVersion, inputs, skipped, steps, errorClass,
                errorMessage, List.of(), null, Map.of(), null);
    }

    /** Masks credentials a message may quote from a path or connection string. */
    static String maskCredentials(String message) {
        return dev.handshake.Credentials.mask(message);
    }

    public Dataset<Row> toDataset(SparkSession spark) {
        Row row = RowFactory.create(Timestamp.from(startedAt), Timestamp.from(finishedAt), status,
                configHash, codeVersion,
                inputs.stream().map(c -> RowFactory.create(c.table(), c.present(), c.rowsRead(),
                        c.rowsAccepted(), c.rowsQuarantined(), c.rowsDeleted())).toList().toArray(),
                skipped.stream().map(s -> RowFactory.create(s.figure(), s.reason())).toList().toArray(),
                steps.stream().map(s -> RowFactory.create(s.step(), s.rows(), s.seconds())).toList().toArray(),
                errorClass, errorMessage,
                invariants.stream().map(i -> RowFactory.create(i.name(), i.expected(), i.actual(), i.pass()))
                        .toList().toArray(),
                coverage == null ? null : coverage.tables().stream()
                        .map(t -> RowFactory.create(t.table(), t.state(), t.rows())).toList().toArray(),
                coverage == null ? null : coverage.stageEvidence().entrySet().stream()
                        .map(e -> RowFactory.create(e.getKey().name(), e.getValue())).toList().toArray(),
                coverage == null ? null : coverage.cohortLeads(),
                coverage == null ? null : coverage.won().deals(),
                coverage == null ? null : coverage.won().withAmount(),
                coverage == null ? null : coverage.won().withCurrency(),
                coverage == null ? null : coverage.won().withFxRate(),
                coverage == null ? null : coverage.won().withLead(),
                outputs.entrySet().stream().map(e -> RowFactory.create(e.getKey(), e.getValue())).toList().toArray(),
                sparkJobs);
        return spark.createDataFrame(List.of(row), SCHEMA);
    }
}
