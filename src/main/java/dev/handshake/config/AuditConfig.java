package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.CanonicalTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated configuration of a run; nothing downstream reads the YAML again. */
public record AuditConfig(
        String reportingCurrency,
        int lookbackDays,
        SparkSettings spark,
        SourceSettings source,
        Path outputRoot,
        double maxQuarantinedPct,
        LabelMapping leadStatusStages,
        LabelMapping opportunityStages,
        LabelMapping roles,
        LabelMapping reasonCategories,
        List<HandoffContract> handoffs,
        ReconciliationSettings reconciliation,
        BenchmarkSettings benchmark,
        List<Workflow> workflows,
        String configHash,
        Duration lockStaleAfter,
        int maxBackfillNights,
        WarehouseSettings outputWarehouse,
        List<dev.handshake.model.Stage> trackedStages) {

    public AuditConfig {
        // Empty: the stages the CRM tracks are those with direct evidence in the night's cohort.
        trackedStages = List.copyOf(trackedStages);
        requireNonNull(reportingCurrency, "reportingCurrency is null");
        requireNonNull(spark, "spark is null");
        requireNonNull(source, "source is null");
        requireNonNull(outputRoot, "outputRoot is null");
        requireNonNull(leadStatusStages, "leadStatusStages is null");
        requireNonNull(opportunityStages, "opportunityStages is null");
        requireNonNull(roles, "roles is null");
        requireNonNull(reasonCategories, "reasonCategories is null");
        requireNonNull(configHash, "configHash is null");
        requireNonNull(lockStaleAfter, "lockStaleAfter is null");
        handoffs = List.copyOf(handoffs);
        requireNonNull(benchmark, "benchmark is null");
        workflows = List.copyOf(workflows);
    }

    public record SparkSettings(String master, int shufflePartitions, Map<String, String> conf) {
        public SparkSettings {
            conf = Map.copyOf(conf);
        }
    }

    public enum SourceType { LOCAL, JDBC }

    /** Where the audit tables go: null keeps them as files under {@link #outputRoot()}. */
    public java.util.Optional<WarehouseSettings> outputToWarehouse() {
        return java.util.Optional.ofNullable(outputWarehouse);
    }

    public enum FileFormat { PARQUET, CSV }

    /**
     * Where a canonical table is read from and which source column feeds each canonical one.
     * {@code derived}: canonical columns set to a constant or an expression; {@code unmapped}:
     * canonical columns read as absent ({@code column: null}); {@code query}: the table is this
     * Spark SQL (local source, over {@link SourceSettings#raw()}) or warehouse SQL (jdbc source)
     * instead of {@code path}; {@code format}: how its values are written.
     */
    public record TableMapping(String path, Map<String, String> columns, String partitionColumn,
                               int partitions, Map<String, ColumnSource> derived, java.util.Set<String> unmapped,
                               String query, FormatOptions format) {
        /** Prefix of the raw column holding a derived canonical column's values. */
        public static final String DERIVED = "__derived_";

        public TableMapping {
            requireNonNull(path, "path is null");
            columns = Map.copyOf(columns);
            derived = Map.copyOf(derived);
            unmapped = java.util.Set.copyOf(unmapped);
            requireNonNull(format, "format is null");
            if (partitions < 1) {
                throw new IllegalArgumentException("Invalid partitions: " + partitions);
            }
        }

        public TableMapping(String path, Map<String, String> columns, String partitionColumn, int partitions) {
            this(path, columns, partitionColumn, partitions, Map.of(), java.util.Set.of(), null, FormatOptions.DEFAULT);
        }

        public TableMapping(String path, Map<String, String> columns) {
            this(path, columns, null, 1);
        }

        /** The raw column feeding a canonical one; null when it is unmapped (read as absent). */
        public String sourceColumn(String canonicalColumn) {
            if (unmapped.contains(canonicalColumn)) {
                return null;
            }
            if (derived.containsKey(canonicalColumn)) {
                return DERIVED + canonicalColumn;
            }
            return columns.getOrDefault(canonicalColumn, canonicalColumn);
        }

        public TableMapping withFormat(FormatOptions newFormat) {
            return new TableMapping(path, columns, partitionColumn, partitions, derived, unmapped, query, newFormat);
        }
    }

    /** A raw table a query-defined table reads ({@code source.raw.<name>}), with its own format. */
    public record RawTable(String name, String path, FormatOptions format) {
        public RawTable {
            requireNonNull(name, "name is null");
            requireNonNull(path, "path is null");
            requireNonNull(format, "format is null");
        }
    }

    /** {@code root} is for local files, {@code warehouse} for a JDBC source; the other is null. */
    public record SourceSettings(SourceType type, Path root, FileFormat format,
                                 Map<CanonicalTable, TableMapping> tables, WarehouseSettings warehouse,
                                 Map<String, RawTable> raw, FormatOptions formatOptions) {
        public SourceSettings {
            raw = Map.copyOf(raw);
            requireNonNull(formatOptions, "formatOptions is null");
            requireNonNull(type, "type is null");
            requireNonNull(format, "format is null");
            if (type == SourceType.LOCAL) {
                requireNonNull(root, "root is null");
            } else {
                requireNonNull(warehouse, "warehouse is null");
            }
            tables = Map.copyOf(tables);
        }

        public SourceSettings(SourceType type, Path root, FileFormat format,
                              Map<CanonicalTable, TableMapping> tables) {
            this(type, root, format, tables, null);
        }

        public SourceSettings(SourceType type, Path root, FileFormat format,
                              Map<CanonicalTable, TableMapping> tables, WarehouseSettings warehouse) {
            this(type, root, format, tables, warehouse, Map.of(), FormatOptions.DEFAULT);
        }

        /** For logs: where the inputs are read from (never a secret). */
        public String describe() {
            return type == SourceType.LOCAL ? root.toString() : warehouse.describe();
        }

        public TableMapping mapping(CanonicalTable table) {
            return tables.getOrDefault(table, new TableMapping(table.tableName(), Map.of()).withFormat(formatOptions));
        }

        public SourceSettings withRoot(Path newRoot) {
            return new SourceSettings(type, newRoot, format, tables, warehouse, raw, formatOptions);
        }
    }

    public AuditConfig withInputRoot(Path root) {
        return with(source.withRoot(root), outputRoot, outputWarehouse);
    }

    /** The same run with another source (tests, and a command line that points elsewhere). */
    public AuditConfig withSource(SourceSettings newSource) {
        return with(newSource, outputRoot, outputWarehouse);
    }

    /** The audit tables go to this warehouse (reports stay under the output root). */
    public AuditConfig withOutputWarehouse(WarehouseSettings warehouse) {
        return with(source, outputRoot, warehouse);
    }

    public AuditConfig withOutputRoot(Path root) {
        return with(source, root, outputWarehouse);
    }

    /** This configuration with where it reads and writes replaced: the one copy of every other field. */
    private AuditConfig with(SourceSettings newSource, Path newOutputRoot, WarehouseSettings newOutputWarehouse) {
        return new AuditConfig(reportingCurrency, lookbackDays, spark, newSource, newOutputRoot, maxQuarantinedPct,
                leadStatusStages, opportunityStages, roles, reasonCategories, handoffs, reconciliation, benchmark,
                workflows, configHash, lockStaleAfter, maxBackfillNights, newOutputWarehouse, trackedStages);
    }
}
