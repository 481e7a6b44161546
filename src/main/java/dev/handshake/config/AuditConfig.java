package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import dev.handshake.source.CanonicalTable;
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
        Duration lockStaleAfter) {

    public AuditConfig {
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

    public enum SourceType { LOCAL }

    public enum FileFormat { PARQUET, CSV }

    /** Where a canonical table is read from and which source column feeds each canonical one. */
    public record TableMapping(String path, Map<String, String> columns) {
        public TableMapping {
            requireNonNull(path, "path is null");
            columns = Map.copyOf(columns);
        }

        public String sourceColumn(String canonicalColumn) {
            return columns.getOrDefault(canonicalColumn, canonicalColumn);
        }
    }

    public record SourceSettings(SourceType type, Path root, FileFormat format,
                                 Map<CanonicalTable, TableMapping> tables) {
        public SourceSettings {
            requireNonNull(type, "type is null");
            requireNonNull(root, "root is null");
            requireNonNull(format, "format is null");
            tables = Map.copyOf(tables);
        }

        public TableMapping mapping(CanonicalTable table) {
            return tables.getOrDefault(table, new TableMapping(table.tableName(), Map.of()));
        }

        public SourceSettings withRoot(Path newRoot) {
            return new SourceSettings(type, newRoot, format, tables);
        }
    }

    public AuditConfig withInputRoot(Path root) {
        return new AuditConfig(reportingCurrency, lookbackDays, spark, source.withRoot(root),
                outputRoot, maxQuarantinedPct, leadStatusStages, opportunityStages, roles,
                reasonCategories, handoffs, reconciliation, benchmark, workflows, configHash, lockStaleAfter);
    }

    public AuditConfig withOutputRoot(Path root) {
        return new AuditConfig(reportingCurrency, lookbackDays, spark, source, root,
                maxQuarantinedPct, leadStatusStages, opportunityStages, roles, reasonCategories,
                handoffs, reconciliation, benchmark, workflows, configHash, lockStaleAfter);
    }
}
