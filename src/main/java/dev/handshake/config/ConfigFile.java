package dev.handshake.config;

import java.util.List;
import java.util.Map;

/**
 * The YAML file's shape, bound by Jackson (snake_case keys, unknown keys rejected). Every field
 * may be null here; {@link ConfigLoader} applies defaults and validates into {@link AuditConfig}.
 */
record ConfigFile(
        String reportingCurrency,
        Integer lookbackDays,
        Spark spark,
        Source source,
        Output output,
        Contract contract,
        StageMappingFile stageMapping,
        Map<String, List<String>> roleMapping,
        Map<String, List<String>> reasonCategories,
        List<Handoff> handoffs,
        Reconciliation reconciliation,
        Benchmark benchmark,
        List<WorkflowFile> workflows) {

    record Benchmark(java.math.BigDecimal materialityPct, Integer evidenceIds, List<String> governedFields,
                     List<String> captureFields, Map<String, Threshold> thresholds, Map<String, Layer> layers,
                     String definitionNextMove) {}

    record Threshold(@com.fasterxml.jackson.annotation.JsonProperty("score_1") java.math.BigDecimal score1,
                     @com.fasterxml.jackson.annotation.JsonProperty("score_2") java.math.BigDecimal score2) {}

    record Layer(String repairOwner, String nextMove) {}

    record WorkflowFile(String name, String description, Population include, Population exclude) {}

    record Population(List<String> channels, List<String> leadSources, List<String> touchTypes,
                      List<String> segments, List<String> owners, List<String> opportunityTypes) {}

    record Reconciliation(java.math.BigDecimal amountTolerance, java.math.BigDecimal amountTolerancePct,
                          Integer bookingLagDays, Integer fallbackWindowDays,
                          Map<String, List<String>> bookingStatus, Integer fiscalYearStartMonth,
                          Integer lagHistoryNights, Integer lagMinDeals, Integer periodCloseDays) {}

    record Handoff(String name, String sender, String receiver, String record, String entryStage,
                   List<String> receivingRoles, String ownerOn, String fieldsOn,
                   List<String> requiredFields, Sla sla, String actionStage, String completionStage,
                   String outcomeStage, List<String> reasonSources,
                   List<String> acceptedReasonCategories, String exceptionOwner) {}

    record Sla(Double hours, Double days) {}

    record Spark(String master, Integer shufflePartitions, Map<String, String> conf) {}

    record Source(String type, String root, String format, String profile, Jdbc jdbc,
                  Map<String, Table> tables, Options options, Map<String, RawFile> raw) {}

    record Table(String path, Map<String, ColumnFile> columns, String partitionColumn, Integer partitions,
                 Options options, String query) {}

    /** How an export writes its values (docs/own-data.md); every key optional. */
    record Options(List<String> dateFormats, List<String> timestampFormats, String timeZone, String delimiter,
                   String quote, String escape, String encoding, List<String> nullValues, String decimalSeparator) {}

    /** A raw table registered by name for the queries of source.tables.<table>.query. */
    record RawFile(String path, Options options) {}

    /**
     * A canonical column's source: a column name (the short form, {@code lead_id: Id}), or
     * {@code {column: Id}}, {@code {value: Won}}, {@code {expr: "coalesce(a, b)"}}. YAML null
     * ({@code lead_id: null}) is kept as a null map value: the column is unmapped.
     */
    record ColumnFile(String column, String value, String expr) {
        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
        static ColumnFile named(String column) {
            return new ColumnFile(column, null, null);
        }

        @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.PROPERTIES)
        ColumnFile(@com.fasterxml.jackson.annotation.JsonProperty("column") String column,
                   @com.fasterxml.jackson.annotation.JsonProperty("value") String value,
                   @com.fasterxml.jackson.annotation.JsonProperty("expr") String expr) {
            this.column = column;
            this.value = value;
            this.expr = expr;
        }
    }

    /** A JDBC warehouse connection; secrets are named (env var, file), never written here. */
    record Jdbc(String url, String account, String user, String role, String warehouse, String database,
                String schema, Auth auth, Integer fetchSize, Boolean pushWindowFilter) {}

    record Auth(String method, String privateKeyFile, String privateKeyPassphraseEnv, String tokenEnv,
                String tokenFile, String passwordEnv) {}

    record Output(String root, Long lockStaleAfterMinutes, Integer maxBackfillNights, String type, Jdbc jdbc) {}

    /** A source profile file: a mapping of canonical tables onto a landed schema, nothing else. */
    record Profile(String description, Map<String, Table> tables) {}

    record Contract(Double maxQuarantinedPct) {}

    record StageMappingFile(Map<String, List<String>> leadStatus,
                            Map<String, List<String>> opportunityStage, List<String> trackedStages) {}
}
