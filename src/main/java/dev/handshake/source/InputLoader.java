package dev.handshake.source;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.AuditException;
import dev.handshake.Checkpoints;
import dev.handshake.Observed;
import dev.handshake.Steps;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.model.CanonicalTable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * Reads every canonical table from a source and puts it through the contract. The checked rows
 * are computed once and kept as a local checkpoint, because several audits read the same table,
 * and so that the audits' plans start from a small leaf; a table only one step reads, from a
 * source that can read it again, is counted and left to that step instead.
 */
public final class InputLoader {
    /** Up to this many duplicated keys are broadcast to the key check; more are joined by key. */
    static final long BROADCAST_DUPLICATES = 1_000_000L;
    /** How long the counts observed on kept rows may take to arrive after the job has ended. */
    private static final FiniteDuration OBSERVED_WAIT = Duration.create(5, TimeUnit.MINUTES);

    private InputLoader() {}

    /** Something accepted input carries that the run reports: which table, and what, in one sentence. */
    public record InputNote(String table, String note) {}

    /**
     * The accepted tables, all quarantined rows, the row accounting per table, and the
     * implausible values accepted rows carry ({@link ContractEnforcer#implausible}).
     *
     * @param columnsGiven per table the source gave, the contract's columns it carries. The others
     *                     are null in {@code inputs}, and a required table the source lacks is an
     *                     empty stand-in there, so only this says what was given.
     */
    public record Loaded(AuditInputs inputs, Dataset<Row> quarantine, List<TableCount> counts,
                         List<Dataset<Row>> persisted, List<InputNote> notes,
                         Map<CanonicalTable, Set<String>> columnsGiven) {
        public void release() {
            persisted.forEach(Checkpoints::release);
        }
    }

    public static Loaded load(TableSource source, SourceSettings settings, Steps steps) {
        return load(source, settings, steps, Set.of());
    }

    /**
     * @param readOnce tables the run reads in one place only: from a source that can read them
     *                 again, their accepted rows are not kept but read through the contract where
     *                 they are used, which leaves the memory to the tables read several times
     */
    public static Loaded load(TableSource source, SourceSettings settings, Steps steps, Set<CanonicalTable> readOnce) {
        requireNonNull(source, "source is null");
        Map<CanonicalTable, Dataset<Row>> accepted = new EnumMap<>(CanonicalTable.class);
        List<TableCount> counts = new ArrayList<>();
        List<Dataset<Row>> persisted = new ArrayList<>();
        List<InputNote> notes = new ArrayList<>();
        Map<CanonicalTable, Set<String>> columnsGiven = new EnumMap<>(CanonicalTable.class);
        Dataset<Row> quarantine = null;
        // Every missing table and column is named in one pass (issue 25), then the run stops.
        List<String> problems = new ArrayList<>();
        java.util.Set<CanonicalTable> absentRequired = java.util.EnumSet.noneOf(CanonicalTable.class);
        try {
            Map<CanonicalTable, Optional<LandedRows.Current>> read = new EnumMap<>(CanonicalTable.class);
            Map<CanonicalTable, Dataset<Row>> landed = new EnumMap<>(CanonicalTable.class);
            for (CanonicalTable table : CanonicalTable.values()) {
                Optional<Dataset<Row>> raw = source.read(table);
                raw.ifPresent(r -> landed.put(table, r));
                // The current state of what a replicator landed: active versions, deletions marked or set apart.
                read.put(table, raw.map(r -> LandedRows.of(table, settings.mapping(table), r)));
            }
            if (read.get(CanonicalTable.OPPORTUNITY_HISTORY).isEmpty() && landed.containsKey(CanonicalTable.OPPORTUNITIES)) {
                // OpportunityHistory not synced: a history-mode opportunity table's versions stand in.
                read.put(CanonicalTable.OPPORTUNITY_HISTORY, LandedRows.stageChanges(
                        landed.get(CanonicalTable.OPPORTUNITIES), settings.mapping(CanonicalTable.OPPORTUNITIES),
                        settings.mapping(CanonicalTable.OPPORTUNITY_HISTORY)));
                read.get(CanonicalTable.OPPORTUNITY_HISTORY).ifPresent(h -> steps.note("input opportunity_history"
                        + " derived from the versions of opportunities: a row per change of stage"));
            }
            for (CanonicalTable table : CanonicalTable.values()) {
                // Columns by expression are resolved now: a wrong name stops the run before any check.
                read.get(table).ifPresent(r -> DerivedColumns.apply(table, settings.mapping(table), r.rows()));
            }
            for (CanonicalTable table : CanonicalTable.values()) {
                Optional<Dataset<Row>> raw = read.get(table).map(LandedRows.Current::rows);
                if (raw.isEmpty()) {
                    if (table.required()) {
                        // Required only by the figures that read it (docs/coverage.md): an empty table
                        // stands in, the coverage says absent, and those figures say not measured.
                        accepted.put(table, SparkSession.active().createDataFrame(List.of(), table.schema()));
                        counts.add(TableCount.absent(table.tableName()));
                        steps.warn("input " + table.tableName() + " absent: the figures that need it are not measured");
                        absentRequired.add(table);
                        continue;
                    }
                    counts.add(TableCount.absent(table.tableName()));
                    steps.note("input " + table.tableName() + " absent (optional)");
                    continue;
                }
                boolean unkept = readOnce.contains(table) && source.rereadable();
                Checked checked;
                try {
                    checked = steps.step("contract " + table.tableName(),
                            () -> unkept
                                    ? checkReadOnce(table, raw.get(), settings, source, persisted)
                                            .orElseGet(() -> check(table, raw.get(), settings, source, persisted))
                                    : check(table, raw.get(), settings, source, persisted),
                            c -> c.count().rowsRead());
                } catch (AuditException e) {
                    if (e.code() != AuditException.Code.INPUT_CONTRACT) {
                        throw e;
                    }
                    problems.add(e.getMessage());
                    continue;
                }
                counts.add(checked.count().withSetApart(
                        read.get(table).flatMap(LandedRows.Current::deleted).map(Dataset::count).orElse(0L)));
                List<ContractEnforcer.Implausible> checks = ContractEnforcer.implausible(table);
                for (int i = 0; i < checks.size(); i++) {
                    if (checked.implausible()[i] > 0) {
                        InputNote note = new InputNote(table.tableName(), checked.implausible()[i]
                                + " accepted row(s) " + checks.get(i).what());
                        steps.warn("input " + note.table() + ": " + note.note());
                        notes.add(note);
                    }
                }
                accepted.put(table, checked.accepted());
                columnsGiven.put(table, ContractEnforcer.columnsGiven(table, raw.get(), settings.mapping(table)));
                quarantine = quarantine == null ? checked.rejected() : quarantine.unionByName(checked.rejected());
            }
            if (absentRequired.contains(CanonicalTable.LEADS) && absentRequired.contains(CanonicalTable.OPPORTUNITIES)) {
                problems.add(0, "neither leads (" + source.describe(CanonicalTable.LEADS) + ") nor opportunities ("
                        + source.describe(CanonicalTable.OPPORTUNITIES) + ") found: the audit needs at least one."
                        + " Fix: provide them, or map their location with source.tables.<table>.path");
            }
            if (!problems.isEmpty()) {
                throw new AuditException(AuditException.Code.INPUT_CONTRACT, problems.size() == 1 ? problems.get(0)
                        : problems.size() + " input problems:\n  - " + String.join("\n  - ", problems));
            }
        } catch (RuntimeException | Error e) {
            // The caller never gets the kept tables to release: a backfill runs on in this JVM.
            persisted.forEach(Checkpoints::release);
            throw e;
        }
        return new Loaded(new AuditInputs(accepted), quarantine, List.copyOf(counts), List.copyOf(persisted),
                List.copyOf(notes), Map.copyOf(columnsGiven));
    }

    /** One table through the contract: its row accounting, accepted rows and rejected rows. */
    private record Checked(TableCount count, Dataset<Row> accepted, Dataset<Row> rejected, long[] implausible) {}

    private static Checked check(CanonicalTable table, Dataset<Row> raw, SourceSettings settings, TableSource source,
                                 List<Dataset<Row>> persisted) {
        // The row checks are one projection, kept while the table is checked and counted as they
        // are kept (the rows read); the key check then needs only the (few) duplicated keys,
        // joined back from the broadcast side.
        Counted rows = keepCounted(ContractEnforcer.rowChecks(table, raw, settings.mapping(table),
                source.describe(table)), null);
        Counted duplicates = null;
        try {
            Dataset<Row> checked = rows.rows();
            if (!table.key().isEmpty()) {
                duplicates = keepCounted(ContractEnforcer.duplicateKeys(table, rows.rows()), null);
                // No key repeats (most tables, most nights): the key check changes no row, so the
                // two passes below read the row checks as they are, without a join on every row.
                if (duplicates.count() > 0) {
                    Dataset<Row> keys = duplicates.rows();
                    checked = ContractEnforcer.withDuplicates(table, rows.rows(),
                            duplicates.count() <= BROADCAST_DUPLICATES ? broadcast(keys) : keys);
                }
            }
            // Rejected rows (few) and accepted rows (canonical columns only) are kept apart and the
            // checking copy is released: every audit then starts from the accepted rows as they are,
            // and the quarantine write reads a few rows instead of every table again; the wider
            // checking copy made the lead journey spill (docs/performance.md).
            Counted rejected = keepCounted(ContractEnforcer.quarantined(table, checked), null);
            persisted.add(rejected.rows());
            Counted good = keepCounted(ContractEnforcer.accepted(table, checked), deleted(table),
                    ContractEnforcer.implausible(table));
            persisted.add(good.rows());
            TableCount count = new TableCount(table.tableName(), true, rows.count(), good.count(), rejected.count(),
                    good.deleted());
            return new Checked(count, good.rows(), rejected.rows(), good.implausible());
        } finally {
            Checkpoints.release(rows.rows());
            if (duplicates != null) {
                Checkpoints.release(duplicates.rows());
            }
        }
    }

    /**
     * A table read once, checked without keeping its accepted rows: one aggregate counts the rows
     * read and accepted (and, for a keyed table, finds whether any key repeats), one pass keeps
     * the (few) rejected rows, and the accepted rows stay a plan over the source, filtered by the
     * same checks where they are read. Empty when a key repeats: the key check's outcome is then
     * kept ({@link #check}), so that which copy is accepted is decided once.
     */
    private static Optional<Checked> checkReadOnce(CanonicalTable table, Dataset<Row> raw, SourceSettings settings,
                                                   TableSource source, List<Dataset<Row>> persisted) {
        Dataset<Row> rows = ContractEnforcer.rowChecks(table, raw, settings.mapping(table), source.describe(table));
        ContractEnforcer.Counts counts = ContractEnforcer.countRows(table, rows, deleted(table));
        // A table with no accepted row has no repeated key.
        if (counts.keyRepeats()) {
            return Optional.empty();
        }
        Counted rejected = keepCounted(ContractEnforcer.quarantined(table, rows), null);
        persisted.add(rejected.rows());
        return Optional.of(new Checked(new TableCount(table.tableName(), true, counts.read(), counts.accepted(),
                rejected.count(), counts.deleted()), ContractEnforcer.accepted(table, rows), rejected.rows(),
                counts.implausible()));
    }

    /** Kept rows with their count and, when {@code deleted} is given, how many of them are deleted. */
    private record Counted(Dataset<Row> rows, long count, long deleted, long[] implausible) {}

    private static Counted keepCounted(Dataset<Row> rows, Column deleted) {
        return keepCounted(rows, deleted, List.of());
    }

    /**
     * Keeps the rows and counts them in the job that keeps them, not in a pass of its own: the
     * counts are observed at the top of the plan, in the final stage, so a retried task upstream
     * cannot count a row twice. The implausible values are counted in the same observation.
     */
    private static Counted keepCounted(Dataset<Row> rows, Column deleted, List<ContractEnforcer.Implausible> checks) {
        Observation observed = new Observation();
        List<Column> more = new ArrayList<>();
        more.add(count_if(deleted == null ? lit(false) : deleted).as("deleted"));
        for (int i = 0; i < checks.size(); i++) {
            more.add(count_if(checks.get(i).condition()).as("implausible" + i));
        }
        Dataset<Row> kept = Checkpoints.keep(rows.observe(observed, count(lit(1)).as("rows"),
                more.toArray(Column[]::new)));
        try {
            // A lost listener event fails the run instead of hanging it.
            Row counted = Observed.await(observed, OBSERVED_WAIT).filter(r -> r.length() == 2 + checks.size())
                    .orElseThrow(() -> new IllegalStateException("counts of the kept rows not reported by Spark"));
            long[] implausible = new long[checks.size()];
            for (int i = 0; i < implausible.length; i++) {
                implausible[i] = counted.getLong(2 + i);
            }
            return new Counted(kept, counted.getLong(0), counted.getLong(1), implausible);
        } catch (RuntimeException e) {
            Checkpoints.release(kept);
            throw e;
        }
    }

    private static Column deleted(CanonicalTable table) {
        return table.column("is_deleted").isPresent() ? coalesce(col("is_deleted"), lit(false)) : lit(false);
    }

    /** Stops the run (exit 3) when a table quarantines more than the configured share of rows. */
    public static void checkTolerance(List<TableCount> counts, double maxQuarantinedPct) {
        for (TableCount c : counts) {
            if (c.quarantinedPct() > maxQuarantinedPct) {
                throw new AuditException(AuditException.Code.INPUT_CONTRACT, String.format(java.util.Locale.ROOT,
                        "input table %s: %d of %d rows (%.2f%%) break the contract, above "
                                + "contract.max_quarantined_pct = %.2f%%. Fix the source rows (see "
                                + "audit_quarantine for each row and reason) or raise the tolerance",
                        c.table(), c.rowsQuarantined(), c.rowsRead(), c.quarantinedPct(), maxQuarantinedPct));
            }
        }
    }
}
